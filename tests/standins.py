"""Stand-ins for filesystems of services that cannot be reached from the tests (GitHub,
Google Cloud Storage, Azure, Databricks): each is fsspec's ``DirFileSystem`` over a local
folder (parents made on write, as in a bucket), with the protocol, constructor arguments
and attributes of the real one, and records the arguments it was made with."""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fsspec.implementations.dirfs import DirFileSystem
from fsspec.implementations.local import LocalFileSystem


class StandInFS(DirFileSystem):
    """Paths are relative to ``base`` (a class attribute the test sets), as a bucket's or
    a repository's are relative to the service."""

    cachable = False
    base: ClassVar[Path]
    made: ClassVar[list[dict[str, Any]]]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(path=str(self.base), fs=LocalFileSystem(auto_mkdir=True))
        type(self).made.append(kwargs)
        self.kwargs = kwargs

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        stripped = super()._strip_protocol(path)
        return stripped.lstrip("/") if isinstance(stripped, str) else stripped


class GithubStandIn(StandInFS):
    """``GithubFileSystem(org, repo, sha=None, username=None, token=None)`` over
    ``base/<org>/<repo>``; ``root`` is the branch, as on the real one."""

    protocol = "github"

    def __init__(
        self,
        org: str,
        repo: str,
        sha: str | None = None,
        username: str | None = None,
        token: str | None = None,
        **kwargs: Any,
    ) -> None:
        if (username is None) != (token is None):
            raise ValueError("Auth required both username and token")
        super().__init__(org=org, repo=repo, sha=sha, username=username, token=token)
        self.path = str(self.base / org / repo)
        self.org, self.repo, self.root = org, repo, sha or "main"

    def _open(self, path: str, mode: str = "rb", *args: Any, **kwargs: Any) -> Any:
        if mode != "rb":
            raise NotImplementedError  # as GithubFileSystem
        return super()._open(path, mode, *args, **kwargs)


def _stand_in(name: str, protocol: str | tuple[str, ...], base: Path) -> type[StandInFS]:
    cls = type(name, (StandInFS,), {"protocol": protocol})
    cls.base = base
    cls.made = []
    return cls


def install(monkeypatch: pytest.MonkeyPatch, base: Path) -> dict[str, type[StandInFS]]:
    """Put the stand-ins where pins looks for the real ones: the modules ``gcsfs``,
    ``adlfs`` and ``fsspec_databricks``, and fsspec's ``github`` protocol."""
    made: dict[str, type[StandInFS]] = {}
    for module, class_name, protocol in (
        ("gcsfs", "GCSFileSystem", ("gs", "gcs")),
        ("adlfs", "AzureBlobFileSystem", ("abfs", "az")),
        ("fsspec_databricks", "DatabricksFileSystem", "dbfs"),
    ):
        cls = _stand_in(class_name, protocol, base / module)
        fake = types.ModuleType(module)
        setattr(fake, class_name, cls)
        monkeypatch.setitem(sys.modules, module, fake)
        made[module] = cls
    GithubStandIn.base = base / "github"
    GithubStandIn.made = []
    registry = importlib.import_module("fsspec.registry")  # fsspec.registry is a mapping
    monkeypatch.setitem(registry._registry, "github", GithubStandIn)
    made["github"] = GithubStandIn
    return made
