"""Rules every constructor and every board keeps: one meaning of ``cache=None``, caller
mistakes that are ValueErrors (and TypeErrors when of the wrong kind), read-only
metadata with one type of ``created``, offline boards, and what ``import pins`` costs."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import pins
from pins import config
from pins.boards.base import Board
from pins.errors import (
    PinsArgumentError,
    PinsArgumentTypeError,
    PinsError,
    PinsOfflineError,
)
from pins.testing import ConnectServer

from . import standins


@pytest.fixture
def connect() -> Iterator[ConnectServer]:
    with ConnectServer(users=["susan:publisher"]) as server:
        yield server


# ---------------------------------------------------------------------- cache=None
def _remote_constructors(server: ConnectServer, tmp_path: Path) -> dict[str, Callable[..., Board]]:
    url = "http://127.0.0.1:9/board/"  # nothing is asked of it here
    return {
        "board_url": lambda **kw: pins.board_url(url, **kw),
        "board(http)": lambda **kw: pins.board("http", url.removeprefix("http://"), **kw),
        "board_connect": lambda **kw: pins.board_connect(
            server.url, api_key=server.api_key("susan"), **kw
        ),
        "board(rsc)": lambda **kw: pins.board(
            "rsc",
            storage_options={"server_url": server.url, "api_key": server.api_key("susan")},
            **kw,
        ),
        "board_fsspec": lambda **kw: pins.board_fsspec(f"memory://none-{tmp_path.name}", **kw),
        "board(memory)": lambda **kw: pins.board("memory", f"/none-{tmp_path.name}", **kw),
        "board_s3": lambda **kw: pins.board_s3("bucket/pins", anon=True, **kw),
        "board_github": lambda **kw: pins.board_github("org", "repo", sha="main", **kw),
        "board_gcs": lambda **kw: pins.board_gcs("bucket/pins", **kw),
        "board_databricks": lambda **kw: pins.board_databricks("/Volumes/c/s/v/pins", **kw),
    }


def test_cache_none_is_a_temporary_cache_on_every_remote_constructor(
    connect: ConnectServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    standins.install(monkeypatch, tmp_path / "services")
    for label, make in _remote_constructors(connect, tmp_path).items():
        default = make()
        assert default.cache.root == config.cache_dir(), label  # type: ignore[attr-defined]
        temporary = make(cache=None)
        root = Path(temporary.cache.root)  # type: ignore[attr-defined]
        assert root != config.cache_dir() and root.is_dir(), label
        assert config.cache_dir() not in root.parents, label
        del temporary
        gc.collect()
        assert not root.exists(), f"{label}: the temporary cache outlived its board"
    assert pins.board_memory().cache.root != config.cache_dir()  # always temporary


def test_the_cache_default_is_one_typed_value() -> None:
    import inspect

    from pins.boards._args import DEFAULT

    assert repr(DEFAULT) == "DEFAULT"
    constructors = [getattr(pins, name) for name in pins.__all__ if name.startswith("board")]
    with_cache = [c for c in constructors if "cache" in inspect.signature(c).parameters]
    assert len(with_cache) == 11  # every remote constructor but board_memory (always temporary)
    for constructor in with_cache:
        parameter = inspect.signature(constructor).parameters["cache"]
        assert "Any" not in str(parameter.annotation), constructor.__name__
        if constructor not in (pins.board_connect, pins.board_rsconnect):  # read by kind
            assert parameter.default is DEFAULT, constructor.__name__


# ---------------------------------------------------------------------- caller mistakes
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pin_get_rsconnect's
def test_bad_values_are_value_errors_and_bad_kinds_type_errors(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path / "b")
    board.pin_write([1], "p")
    bad_values: list[Callable[[], object]] = [
        lambda: pins.board_url("ftp://example.org/board"),
        lambda: board.pin_versions_prune("p", n=0),
        lambda: board.pin_versions_prune("p"),
        lambda: pins.board("nosuchprotocol", "x"),
        lambda: pins.board_fsspec("memory://", path=""),
        lambda: pins.pin_get_rsconnect("not a url", None),
        lambda: pins.board_url("http://127.0.0.1:9/", pin_paths={"cfg": "/"}),
        lambda: board.pin_write([2], None),
    ]
    for call in bad_values:
        with pytest.raises(ValueError) as caught:
            call()
        assert isinstance(caught.value, PinsError), caught.value
        if isinstance(caught.value, PinsArgumentError):
            assert not isinstance(caught.value, TypeError)
    bad_kinds: list[Callable[[], object]] = [
        lambda: pins.board_folder(tmp_path, "yes"),  # type: ignore[arg-type]
        lambda: pins.board_connect("http://127.0.0.1:9", 42),
        lambda: pins.board_fsspec(42),
    ]
    for call in bad_kinds:
        with pytest.raises(TypeError) as caught:
            call()
        assert isinstance(caught.value, PinsArgumentTypeError)
        assert isinstance(caught.value, ValueError)  # a PinsArgumentError too


# ---------------------------------------------------------------------- metadata
def test_meta_is_read_only_and_its_created_is_one_type(tmp_path: Path) -> None:
    import json

    board = pins.board_folder(tmp_path / "b")
    board.pin_write({"a": 1}, "cfg", metadata={"owner": "ana", "tags": ["x"]}, tags=["t"])
    meta = board.pin_meta("cfg")
    changes: list[Callable[[], object]] = [
        lambda: meta.user.update(owner="bob"),
        lambda: meta.user.__setitem__("owner", "bob"),
        lambda: meta.user["tags"].append("y"),
        lambda: meta.local.clear(),
        lambda: meta.tags.append("u"),  # type: ignore[union-attr]
        lambda: meta.unknown_fields.setdefault("x", 1),
    ]
    for change in changes:
        with pytest.raises(TypeError, match="read-only"):
            change()
    assert meta.user == {"owner": "ana", "tags": ["x"]} and meta.tags == ["t"]
    assert json.loads(json.dumps(meta.to_dict(), default=str))["user"] == meta.user
    copy = dict(meta.user)
    copy["owner"] = "bob"  # a copy changes
    assert board.pin_meta("cfg").user["owner"] == "ana"

    (version,) = board.pin_versions("cfg", as_df=False)
    searched = board.pin_search("cfg")
    assert meta.created == version.created == board.pin_versions("cfg")["created"][0]
    assert searched["created"][0] == version.created  # pin_search and pin_versions agree


# ---------------------------------------------------------------------- offline
def test_board_memory_takes_offline(tmp_path: Path) -> None:
    online = pins.board_memory(f"offline-{tmp_path.name}")
    online.pin_write({"a": 1}, "cfg")
    offline = pins.board_memory(f"offline-{tmp_path.name}", offline=True)
    offline.cache = online.cache  # what was read online is cached
    assert online.pin_read("cfg") == {"a": 1}
    assert offline.pin_read("cfg") == {"a": 1}
    assert offline.pin_list() == ["cfg"]  # the pins in the cache
    empty = pins.board_memory(f"offline-{tmp_path.name}", offline=True)
    with pytest.raises(PinsOfflineError, match="offline"):
        empty.pin_list()  # nothing cached: not "no pins"


# ---------------------------------------------------------------------- packaging
def test_import_pins_loads_no_fsspec_and_nothing_heavy() -> None:
    code = (
        "import sys, pins; heavy = ('fsspec', 'requests', 'pandas', 'numpy', 'pyarrow', "
        "'werkzeug', 'importlib.metadata'); print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_what_is_required_and_what_is_an_extra() -> None:
    """As installed: tqdm is required (the progress bars), werkzeug only by the testing
    extra, pyarrow by pins itself; every optional dependency has a lower bound."""
    import importlib.metadata
    import re

    required: set[str] = set()
    extras: dict[str, set[str]] = {}
    for requirement in importlib.metadata.requires("pins") or []:
        spec, _, marker = requirement.partition(";")
        name = re.split(r"[<>=!~\[ ]", spec.strip(), maxsplit=1)[0].lower()
        extra = re.search(r"extra == ['\"]([\w-]+)['\"]", marker)
        if extra is None:
            required.add(name)
        else:
            extras.setdefault(extra.group(1), set()).add(name)
            assert ">=" in spec, requirement
    assert {"pyarrow", "pandas", "fsspec", "requests"} <= required
    assert "werkzeug" not in required and {"tqdm", "click"} <= required
    assert extras["testing"] == {"werkzeug", "pytest"}
    assert {"werkzeug", "pytest"} <= extras["test"]
