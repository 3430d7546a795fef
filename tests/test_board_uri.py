"""pins.board_from_uri: every board kind from its URI and from board_deparse's text, and
the texts it refuses (it reads constructor calls with ast, never eval)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pins
from pins.boards.base import Board
from pins.errors import PinsArgumentError
from pins.testing import ConnectServer

from . import standins
from .moto_s3 import moto_s3
from .servers import FolderServer, s3_test_credentials


def _round_trip(board: Board) -> Board:
    """board_deparse's text makes, through board_from_uri, the same board with the same pins."""
    text = pins.board_deparse(board)
    again = pins.board_from_uri(text)
    assert type(again) is type(board) and repr(again) == repr(board)
    assert pins.board_deparse(again) == text
    assert (again.versioned, again.allow_pickle_read) == (board.versioned, board.allow_pickle_read)
    assert again.pin_list() == board.pin_list() and board.pin_list()
    for name in board.pin_list():
        assert again.pin_meta(name) == board.pin_meta(name)
    return again


def _same_as(uri: str, board: Board) -> Board:
    """The URI makes the board that ``board`` is (same deparse text, same pins)."""
    made = pins.board_from_uri(uri)
    assert pins.board_deparse(made) == pins.board_deparse(board)
    assert made.pin_list() == board.pin_list()
    return made


# ---------------------------------------------------------------------- each kind
def test_folder_local_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = pins.board_folder(tmp_path / "f", versioned=False, allow_pickle_read=True)
    folder.pin_write({"a": 1}, "cfg")
    _round_trip(folder)
    assert pins.board_from_uri(str(tmp_path / "f")).pin_read("cfg") == {"a": 1}
    made = _same_as(f"file://{tmp_path / 'f'}?versioned=false&allow_pickle_read=true", folder)
    assert made.versioned is False and made.allow_pickle_read is True
    monkeypatch.setenv("HOME", str(tmp_path))
    assert pins.board_from_uri("~/f").pin_read("cfg") == {"a": 1}
    monkeypatch.chdir(tmp_path)
    assert pins.board_from_uri("f").pin_read("cfg") == {"a": 1}  # a relative folder
    temp = pins.board_temp()
    temp.pin_write([1], "numbers")
    assert _round_trip(temp).pin_read("numbers") == [1]
    local = pins.board_local()
    local.pin_write([2], "numbers")
    assert _round_trip(local).pin_read("numbers") == [2]
    assert pins.board_from_uri("board_local()").pin_read("numbers") == [2]


def test_url(tmp_path: Path) -> None:
    served = pins.board_folder(tmp_path / "www")
    meta = served.pin_write({"a": 1}, "cfg")
    served.write_board_manifest()
    assert meta.version is not None
    server = FolderServer(tmp_path / "www")
    try:
        manifest = pins.board_url(server.url)
        _round_trip(manifest)
        assert _same_as(server.url, manifest).pin_read("cfg") == {"a": 1}
        explicit = pins.board_url(server.url, {"cfg": f"cfg/{meta.version.version}/"})
        assert _round_trip(explicit).pin_read("cfg") == {"a": 1}
        offline = pins.board_from_uri(f"{server.url}?offline=true")
        assert offline.pin_read("cfg") == {"a": 1}  # cached by the reads above
    finally:
        server.stop()


def test_connect_takes_the_key_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ConnectServer(users=["susan:publisher"], data_dir=tmp_path / "connect") as server:
        key = server.api_key("susan")
        board = pins.board_connect(server.url, api_key=key, access_type="all")
        board.pin_write({"a": 1}, "cfg")
        monkeypatch.setenv("CONNECT_API_KEY", key)
        assert _round_trip(board).pin_read("susan/cfg") == {"a": 1}
        made = _same_as(f"connect:{server.url}?access_type=all", board)
        assert made.pin_read("susan/cfg") == {"a": 1}
        monkeypatch.setenv("CONNECT_SERVER", server.url)
        assert pins.board_from_uri("connect:").pin_list() == ["susan/cfg"]
        url = server.url
    for text in (
        f"board_connect(server_url={url!r}, api_key={key!r})",
        f"board_rsconnect({url!r}, {key!r})",
        f"connect:{url}?api_key={key}",
    ):
        with pytest.raises(PinsArgumentError) as caught:
            pins.board_from_uri(text)
        assert key not in str(caught.value).replace(text, "")  # not echoed beyond the text


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_s3("uri-bucket") as endpoint:
        yield endpoint


def test_s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    s3_test_credentials(monkeypatch)
    board = pins.board_s3("uri-bucket/pins", endpoint_url=s3_endpoint)
    board.pin_write({"a": 1}, "cfg")
    _round_trip(board)
    made = _same_as(f"s3://uri-bucket/pins?endpoint_url={s3_endpoint}", board)
    assert made.pin_read("cfg") == {"a": 1}


def test_stores_on_stand_ins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    made = standins.install(monkeypatch, tmp_path / "services")
    gcs = pins.board_gcs("bucket/pins", project="p1")
    gcs.pin_write({"a": 1}, "cfg")
    _round_trip(gcs)
    _same_as("gs://bucket/pins?project=p1", gcs)
    _same_as("gcs://bucket/pins?project=p1", gcs)
    azure = pins.board_azure("container/pins", versioned=False, account_name="acct")
    azure.pin_write({"b": 2}, "cfg")
    _round_trip(azure)
    _same_as("az://container/pins?account_name=acct&versioned=false", azure)
    _same_as("abfs://container/pins?account_name=acct&versioned=false", azure)
    assert made["adlfs"].made[-1] == {"account_name": "acct"}
    dbc = pins.board_databricks("/Volumes/main/default/pins", host="https://dbc.example")
    dbc.pin_write({"c": 3}, "cfg")
    _round_trip(dbc)
    clone = pins.board_folder(tmp_path / "services" / "github" / "org" / "repo" / "board")
    clone.pin_write({"d": 4}, "cfg")
    github = pins.board_github("org", "repo", "board")
    _round_trip(github)
    assert _same_as("github://org/repo/board", github).pin_read("cfg") == {"d": 4}
    pins.board_from_uri("github://org/repo?sha=v1")
    assert made["github"].made[-1]["sha"] == "v1"


def test_memory_and_other_fsspec_protocols(tmp_path: Path) -> None:
    memory = pins.board_memory(f"uri-{uuid.uuid4().hex[:8]}")
    memory.pin_write([1], "n")
    _round_trip(memory)
    _same_as(f"memory://{memory.root.strip('/')}", memory)
    url_made = pins.board_fsspec(f"memory://uri-{uuid.uuid4().hex[:8]}", cache=None)
    url_made.pin_write([2], "n")
    _round_trip(url_made)
    import fsspec

    if "local" not in fsspec.available_protocols():  # fsspec before 2023.9 has no "local"
        with pytest.raises(PinsArgumentError, match="names no board"):
            pins.board_from_uri(f"local://{tmp_path / 'fs'}")
        return
    local = pins.board_from_uri(f"local://{tmp_path / 'fs'}?versioned=false")
    assert local.versioned is False and repr(local).startswith("board_fsspec(")
    local.pin_write([3], "n")
    assert pins.board_folder(tmp_path / "fs").pin_read("n") == [3]


def test_frame_in_a_uri_and_in_deparse_text(
    tmp_path: Path, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``?frame=`` picks the library tables are read into, on every kind of board text,
    and board_deparse's text keeps it: the board made again reads into that library."""
    pl = pytest.importorskip("polars")
    import pyarrow as pa

    folder = pins.board_folder(tmp_path / "f")
    folder.pin_write(pa.table({"x": [1, 2]}), "t")
    made = pins.board_from_uri(f"file://{tmp_path / 'f'}?frame=polars&versioned=false")
    assert (made.frame, made.versioned) == ("polars", False)
    assert isinstance(made.pin_read("t"), pl.DataFrame)
    again = _round_trip(made)
    assert again.frame == "polars" and "frame='polars'" in pins.board_deparse(again)
    assert isinstance(pins.board_from_uri(f"{tmp_path / 'f'}").pin_read("t"), pd.DataFrame)
    memory = pins.board_from_uri(f"memory://uri-{uuid.uuid4().hex[:8]}?frame=pyarrow")
    memory.pin_write(pa.table({"x": [1]}), "t")
    assert isinstance(memory.pin_read("t"), pa.Table)
    assert _round_trip(memory).frame == "pyarrow"
    s3_test_credentials(monkeypatch)
    s3 = pins.board_from_uri(f"s3://uri-bucket/frames?endpoint_url={s3_endpoint}&frame=polars")
    s3.pin_write(pa.table({"x": [3]}), "t")
    assert s3.pin_read("t")["x"].to_list() == [3]
    assert _round_trip(s3).frame == "polars"
    with ConnectServer(users=["susan:publisher"]) as server:
        monkeypatch.setenv("CONNECT_API_KEY", server.api_key("susan"))
        connect = pins.board_from_uri(f"connect:{server.url}?frame=polars&access_type=all")
        connect.pin_write(pa.table({"x": [4]}), "table")
        assert isinstance(connect.pin_read("susan/table"), pl.DataFrame)
        assert _round_trip(connect).frame == "polars"
    for bad in ("nope", ""):
        with pytest.raises(PinsArgumentError, match="frame must be one of"):
            pins.board_from_uri(f"file://{tmp_path / 'f'}?frame={bad}")


# ---------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("board_folder(__import__('os').getcwd())", "not a literal"),
        ("board_folder('/tmp', *['x'])", "no \\*"),
        ("board_folder(**{'path': '/tmp'})", "no \\*\\*"),
        ("board_temp()", "does not call a board constructor"),
        ("board_folder('/x').pin_delete('a')", "does not call a board constructor"),
        ("os.system('true')", "does not call a board constructor"),
        ("board_folder('/x'", "not a valid call"),
        ("board_folder('/x', colour='red')", "colour"),
        ("board_s3('b/p', secret='s')", "never holds a secret"),
        ("board_s3('b/p', client_kwargs={'aws_secret_access_key': 's'})", "never holds a secret"),
        ("board_github('o', 'r', 'p', 'ghp-token')", "at most 3 positional"),
        ("s3://b/p?key=k", "not an option"),
        ("s3://b/p?versioned=maybe", "true or false"),
        ("nosuchprotocol://x", "names no board"),
        ("github://org", "github://org/repo"),
        ("", "non-empty"),
    ],
)
def test_refused(text: str, says: str) -> None:
    with pytest.raises(PinsArgumentError, match=says):
        pins.board_from_uri(text)


def test_a_call_is_read_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"board_folder(open({str(marker)!r}, 'w').name)"
    with pytest.raises(PinsArgumentError):
        pins.board_from_uri(text)
    assert not marker.exists()


def test_the_pins_prefix_and_windows_drives(tmp_path: Path) -> None:
    board: Any = pins.board_from_uri(f"pins.board_folder({str(tmp_path)!r})")
    assert board.path == tmp_path
    assert str(pins.board_from_uri("C:/data/pins").path).endswith("data/pins")
    assert pins.board_from_uri(f"{tmp_path}/sales(1)").path == tmp_path / "sales(1)"
