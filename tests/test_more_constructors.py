"""board_deparse round trips, board_urls, board_github and board_databricks (on stand-in
filesystems: GitHub, Databricks, GCS and Azure cannot be reached from the tests)."""

from __future__ import annotations

import functools
import os
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import pins
from pins.boards.base import Board
from pins.errors import PinsError, PinsMissingDependencyError, PinsReadOnlyError
from pins.testing import ConnectServer

from . import standins
from .moto_s3 import moto_s3


@pytest.fixture
def stand_ins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    return standins.install(monkeypatch, tmp_path / "services")


def _same(board: Board, text: str) -> Board:
    """The board ``text`` makes, checked to be equivalent to ``board``."""
    again = eval(text, vars(pins))
    assert type(again) is type(board) and repr(again) == repr(board)
    assert (again.versioned, again.allow_pickle_read) == (board.versioned, board.allow_pickle_read)
    assert again.pin_list() == board.pin_list()
    for name in board.pin_list():
        assert again.pin_meta(name) == board.pin_meta(name)
    cache = getattr(board, "cache", None)
    if cache is not None:
        assert again.cache.board_id == cache.board_id  # type: ignore[attr-defined]
    return again


# ---------------------------------------------------------------------- board_deparse
def test_deparse_folder_temp_local(tmp_path: Path) -> None:
    folder = pins.board_folder(tmp_path / "f", versioned=False, allow_pickle_read=True)
    folder.pin_write({"a": 1}, "cfg")
    text = pins.board_deparse(folder)
    assert text == f"board_folder({str(tmp_path / 'f')!r}, versioned=False, allow_pickle_read=True)"
    _same(folder, text)
    temp = pins.board_temp()
    temp.pin_write([1], "numbers")
    assert _same(temp, pins.board_deparse(temp)).pin_read("numbers") == [1]
    local = pins.board_local()
    local.pin_write([2], "numbers")
    assert _same(local, pins.board_deparse(local)).pin_read("numbers") == [2]


def test_deparse_url(tmp_path: Path) -> None:
    served = pins.board_folder(tmp_path / "served")
    meta = served.pin_write({"a": 1}, "cfg")
    served.write_board_manifest()
    assert meta.version is not None

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=tmp_path / "served")
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        manifest = pins.board_url(url)
        assert pins.board_deparse(manifest) == f"board_url({url!r})"
        _same(manifest, pins.board_deparse(manifest))
        paths = {"cfg": f"cfg/{meta.version.version}/"}
        explicit = pins.board_url(url.replace("//", "//ana:s3cret@"), paths)
        text = pins.board_deparse(explicit)
        assert text == f"board_url({url!r}, {paths!r})" and "s3cret" not in text
        _same(explicit, text)
    finally:
        server.shutdown()
        server.server_close()


def test_deparse_connect_without_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with ConnectServer(users=["susan:publisher"], data_dir=tmp_path / "connect") as server:
        key = server.api_key("susan")
        board = pins.board_connect(server.url, api_key=key, allow_pickle_read=False)
        board.pin_write({"a": 1}, "cfg")
        text = pins.board_deparse(board)
        assert text == f"board_connect(server_url={server.url!r}, allow_pickle_read=False)"
        assert key not in text
        monkeypatch.setenv("CONNECT_API_KEY", key)
        assert _same(board, text).pin_read("susan/cfg") == {"a": 1}


def test_deparse_object_stores(stand_ins: dict[str, Any]) -> None:
    gcs = pins.board_gcs("bucket/pins", token="secret-token", project="p1")
    gcs.pin_write({"a": 1}, "cfg")
    text = pins.board_deparse(gcs)
    assert text == "board_gcs('bucket/pins', project='p1')"
    _same(gcs, text)
    azure = pins.board_azure(
        "container/pins", versioned=False, account_name="acct", account_key="k"
    )
    azure.pin_write({"b": 2}, "cfg")
    text = pins.board_deparse(azure)
    assert text == "board_azure('container/pins', account_name='acct', versioned=False)"
    _same(azure, text)
    assert stand_ins["adlfs"].made[-1] == {"account_name": "acct"}  # no key when deparsed
    memory = pins.board_memory(f"deparse-{uuid.uuid4().hex[:8]}")
    memory.pin_write([1], "n")
    _same(memory, pins.board_deparse(memory))
    memory.pin_delete("n")
    url_made = pins.board_fsspec(f"memory://deparse-{uuid.uuid4().hex[:8]}", cache=None)
    assert pins.board_deparse(url_made).startswith("board_fsspec('memory://deparse-")
    with pytest.raises(PinsError, match="filesystem object"):
        pins.board_deparse(pins.board_fsspec(memory.fs, "/elsewhere", cache=None))


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_s3("deparse-bucket") as endpoint:
        yield endpoint


def test_deparse_s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    board = pins.board_s3(
        "deparse-bucket/pins", endpoint_url=s3_endpoint, key="test", secret="test"
    )
    board.pin_write({"a": 1}, "cfg")
    text = pins.board_deparse(board)
    assert text == f"board_s3('deparse-bucket/pins', endpoint_url={s3_endpoint!r})"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")  # the credentials come from elsewhere
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    _same(board, text)


# ---------------------------------------------------------------------- board_urls
def test_board_urls_is_a_deprecated_board_url(tmp_path: Path) -> None:
    with pytest.warns(DeprecationWarning, match="board_url"):
        board = pins.board_urls("http://127.0.0.1:9/", {"cfg": "cfg/20240101T000000Z-abcde/"})
    assert repr(board) == "board_url('http://127.0.0.1:9/')" and board.pin_list() == ["cfg"]


# ---------------------------------------------------------------------- board_github
def test_board_github_reads_a_repository(stand_ins: dict[str, Any], tmp_path: Path) -> None:
    clone = pins.board_folder(tmp_path / "services" / "github" / "rstudio" / "pins" / "board")
    clone.pin_write({"a": 1}, "cfg")
    meta = clone.pin_write({"a": 2}, "cfg")
    assert meta.version is not None
    board = pins.board_github("rstudio", "pins", "board", "ghp-token", cache=tmp_path / "c")
    assert stand_ins["github"].made[-1] == {
        "org": "rstudio",
        "repo": "pins",
        "sha": None,
        "username": "rstudio",
        "token": "ghp-token",
    }
    assert "ghp-token" not in repr(board) + board.cache.board_id
    assert board.pin_list() == ["cfg"] and board.pin_read("cfg") == {"a": 2}
    assert board.pin_versions("cfg", as_df=False) == clone.pin_versions("cfg", as_df=False)
    for write in (
        lambda: board.pin_write({"a": 3}, "cfg"),
        lambda: board.pin_delete("cfg"),
        lambda: board.pin_versions_prune("cfg", n=1),
    ):
        with pytest.raises(PinsReadOnlyError, match="read-only"):
            write()
    assert len(clone.pin_versions("cfg", as_df=False)) == 2
    assert board.pin_browse("cfg", open=False) == (
        f"https://github.com/rstudio/pins/tree/main/board/cfg/{meta.version.version}"
    )
    text = pins.board_deparse(board)
    assert text == "board_github('rstudio', 'pins', path='board')"
    root = pins.board_github("rstudio", "pins", sha="v1")  # the repository's root, a tag
    assert root.pin_list() == [] and stand_ins["github"].made[-1]["sha"] == "v1"
    assert pins.board("github", "board", storage_options={"org": "rstudio", "repo": "pins"})


# ---------------------------------------------------------------------- board_databricks
def test_board_databricks(stand_ins: dict[str, Any], tmp_path: Path) -> None:
    board = pins.board_databricks("/Volumes/main/default/pins", host="https://dbc.example")
    board.pin_write({"a": 1}, "cfg")
    assert board.pin_read("cfg") == {"a": 1}
    stored = tmp_path / "services" / "fsspec_databricks" / "Volumes" / "main" / "default" / "pins"
    assert (stored / "cfg").is_dir() and pins.board_folder(stored).pin_read("cfg") == {"a": 1}
    assert stand_ins["fsspec_databricks"].made[-1] == {"host": "https://dbc.example"}
    text = pins.board_deparse(board)
    assert text == "board_databricks('/Volumes/main/default/pins', host='https://dbc.example')"
    _same(board, text)
    assert pins.board("dbc", "/Volumes/main/default/pins").pin_read("cfg") == {"a": 1}


def test_missing_extras_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    for module, extra, call in (
        ("fsspec_databricks", "databricks", lambda: pins.board_databricks("/Volumes/a/b/c")),
        ("gcsfs", "gcs", lambda: pins.board_gcs("bucket/pins")),
        ("adlfs", "azure", lambda: pins.board_azure("container/pins")),
    ):
        monkeypatch.setitem(sys.modules, module, None)  # import fails
        with pytest.raises(PinsMissingDependencyError, match=rf'pip install "pins\[{extra}\]"'):
            call()


def test_pyproject_extras_have_lower_bounds() -> None:
    tomllib = pytest.importorskip("tomllib")
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    extras = pyproject["project"]["optional-dependencies"]
    for name in ("s3", "gcs", "azure", "databricks"):
        assert extras[name] and all(">=" in req for req in extras[name]), name
