"""``pins.tests.helpers`` for pins-python's test modules, written for this package.

The names they import: the board builders (one per backend, each making boards with
this package's public constructors, as a user would), ``rm_env``, ``skip_if_dbc``,
``xfail_fs``, ``DEFAULT_CREATION_DATE`` and ``Snapshot``.

Boards are built the way pins-python's builders build theirs: a fresh folder (or
prefix) per board, no cache of the user's (remote boards get ``cache=None``: a temporary
one), the Connect boards as the user ``derek`` of the emulator.
"""

from __future__ import annotations

import functools
import inspect
import io
import json
import os
import shutil
import tarfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
import requests

import pins

from .internals import fs_protocol
from .servers import S3_BUCKET, SERVERS

#: The creation time pins-python's tests stamp on a version they snapshot.
DEFAULT_CREATION_DATE = datetime(2020, 1, 13, 23, 58, 59)


@contextmanager
def rm_env(*names: str) -> Iterator[None]:
    """Unset ``names`` inside the block; the whole environment is as before after it."""
    saved = dict(os.environ)
    for name in names:
        os.environ.pop(name, None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _protocol_of(value: object) -> object:
    fs = getattr(value, "fs", None)
    return fs_protocol(fs) if fs is not None and hasattr(fs, "protocol") else None


def skip_if_dbc(test: Callable[..., Any]) -> Callable[..., Any]:
    """Skip the test when one of its boards is on Databricks (read-only there)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> Any:
        bound = inspect.signature(test).bind_partial(*args, **kwargs).arguments
        if any(_protocol_of(value) == "dbc" for value in bound.values()):
            pytest.skip("Databricks boards are read-only")
        return test(*args, **kwargs)

    return run


def xfail_fs(*protocols: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark the test (whose first argument is ``board``) as an expected failure on the
    boards of these protocols."""

    def decorate(test: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(test)
        def run(board: Any, *args: Any, **kwargs: Any) -> Any:
            if _protocol_of(board) in protocols:
                pytest.xfail(f"expected to fail on {_protocol_of(board)}")
            return test(board, *args, **kwargs)

        return run

    return decorate


# ---------------------------------------------------------------------- folders and S3
class BoardBuilder:
    """Boards on a local folder (``file``) or on S3 (``s3``, the moto server).

    Each board is a new folder (prefix) named by a uuid; :meth:`teardown` removes them.
    Backends that cannot be reached from here (``gcs``, ``abfs``, ``dbc``) are never
    built: their tests are skipped before they ask.
    """

    def __init__(self, fs_name: str, path: str | None = None) -> None:
        self.fs_name = fs_name
        self._tmp: TemporaryDirectory[str] | None = None
        if fs_name == "file":
            if path is not None:
                raise ValueError("a file board builder makes its own temporary folder")
            self._tmp = TemporaryDirectory(prefix="pinspy-suite-file-")
            path = self._tmp.name
        elif fs_name == "s3":
            path = path or os.environ.get("PINS_TEST_S3__PATH", S3_BUCKET)
        self.path = path
        self._roots: dict[int, str] = {}

    def _fs(self) -> Any:
        if self.fs_name != "s3":
            raise RuntimeError(f"no {self.fs_name} service can be reached from this machine")
        import s3fs

        SERVERS.s3_endpoint()
        return s3fs.S3FileSystem(use_listings_cache=False)

    def create_tmp_board(self, src_board: str | None = None, versioned: bool = True) -> Any:
        root = f"{self.path}/{uuid.uuid4()}"
        if self.fs_name == "file":
            if src_board is not None:
                shutil.copytree(src_board, root)
            else:
                os.makedirs(root)
            board = pins.board_folder(root, versioned=versioned)
        else:
            fs = self._fs()
            if src_board is not None:
                fs.put(str(src_board), root, recursive=True)
            board = pins.board_s3(root, versioned=versioned, cache=None)
        self._roots[id(board)] = root
        return board

    def _remove(self, root: str) -> None:
        if self.fs_name == "file":
            shutil.rmtree(root, ignore_errors=True)
        else:
            fs = self._fs()
            if fs.exists(root):
                fs.rm(root, recursive=True)

    def teardown_board(self, board: Any) -> None:
        root = self._roots.pop(id(board), None)
        if root is not None:
            self._remove(root)

    def teardown(self) -> None:
        for root in self._roots.values():
            self._remove(root)
        self._roots.clear()


# ---------------------------------------------------------------------- Posit Connect
class ConnectUser:
    """A user of the emulator: a ``requests`` session with the user's key, and the
    calls the builders need to fill and empty the user's content."""

    def __init__(self, name: str) -> None:
        server = SERVERS.connect()
        self.name = name
        self.server_url: str = server.url
        self._key: str = server.api_key(name)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Key {self._key}"

    def board(self, versioned: bool = True) -> Any:
        key = self._key
        return pins.board_connect(self.server_url, api_key=key, versioned=versioned, cache=None)

    def _api(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, f"{self.server_url}/__api__/v1/{path}", **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def content(self) -> list[dict[str, Any]]:
        guid = self._api("GET", "user")["guid"]
        rows: list[dict[str, Any]] = self._api("GET", "content", params={"owner_guid": guid})
        return rows

    def delete_content(self) -> None:
        for row in self.content():
            self._api("DELETE", f"content/{row['guid']}")

    def put_version(self, pin: str, folder: Path) -> None:
        """Upload a version folder of a board as a new bundle of the content ``pin``."""
        guid = next((row["guid"] for row in self.content() if row["name"] == pin), None)
        if guid is None:
            guid = self._api("POST", "content", json={"name": pin})["guid"]
        bundle = self._api("POST", f"content/{guid}/bundles", data=_bundle(folder))
        task = self._api("POST", f"content/{guid}/deploy", json={"bundle_id": bundle["id"]})
        deadline = time.monotonic() + 60
        while not self._api("GET", f"tasks/{task['task_id']}", params={"wait": 1})["finished"]:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the deploy of {pin} did not finish")


def _bundle(folder: Path) -> bytes:
    """A gzip tar of the folder's files with a static ``manifest.json`` and an index."""
    members = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    members.setdefault("index.html", b"<html><body>a pin</body></html>")
    manifest = {
        "version": 1,
        "locale": "en_US",
        "platform": "3.5.1",
        "metadata": {
            "appmode": "static",
            "content_category": "pin",
            "primary_rmd": None,
            "primary_html": "index.html",
        },
        "files": {name: {"checksum": ""} for name in members},
    }
    members["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


class RscBoardBuilder(BoardBuilder):
    """Connect boards of the user ``derek``, on the emulator. A source board is copied
    in version by version (each version one bundle, oldest first)."""

    def __init__(self, fs_name: str = "rsc", path: str | None = None) -> None:
        self.fs_name = fs_name
        self.path = None
        self._roots = {}

    def create_tmp_board(self, src_board: str | None = None, versioned: bool = True) -> Any:
        user = ConnectUser("derek")
        if src_board is not None:
            for version in sorted(Path(src_board).glob("*/*"), key=str):
                if version.is_dir():
                    user.put_version(version.parent.name, version)
        return user.board(versioned=versioned)

    def teardown_board(self, board: Any) -> None:
        ConnectUser("derek").delete_content()

    def teardown(self) -> None:
        ConnectUser("derek").delete_content()


def rsc_delete_user_content(user: ConnectUser) -> None:
    user.delete_content()


# ---------------------------------------------------------------------- snapshots
class Snapshot:
    """A folder to compare a folder or a file with (never updated here)."""

    def __init__(self, path: Path, snapshot_update: bool = False) -> None:
        if snapshot_update:
            raise ValueError("snapshots of pins-python's suite are never rewritten here")
        self.path = Path(path)

    def assert_has_same_files(self, dst_dir: str | Path) -> list[Path]:
        mine = sorted(p.relative_to(self.path) for p in self.path.rglob("*"))
        theirs = sorted(p.relative_to(dst_dir) for p in Path(dst_dir).rglob("*"))
        assert mine == theirs, f"files differ: {set(mine) ^ set(theirs)}"
        return mine

    def assert_equal_dir(self, dst_dir: str | Path) -> None:
        for rel in self.assert_has_same_files(dst_dir):
            if (self.path / rel).is_file():
                assert (self.path / rel).read_text() == (Path(dst_dir) / rel).read_text(), rel

    def assert_equal_file(self, dst_file: str | Path) -> None:
        assert self.path.read_text() == Path(dst_file).read_text()
