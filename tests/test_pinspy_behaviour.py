"""pins-python behaviour kept: what a write says on stderr, data.txt fields read as
attributes, one short hash for a version, single-file pins of a URL board, pin_browse."""

from __future__ import annotations

import functools
import io
import logging
import threading
import webbrowser
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

import pins
from pins.boards.folder import FolderBoard
from pins.errors import PinsUnsupportedTypeError
from pins.meta import Meta
from pins.testing import ConnectServer


@pytest.fixture
def board(tmp_path: Path) -> FolderBoard:
    return pins.board_folder(tmp_path / "board")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What pin_browse asked the web browser to open (no real browser is started)."""
    calls: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: calls.append(url) or True)
    return calls


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "served"
    root.mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# ---------------------------------------------------------------------- messages
def test_writes_say_what_they_did(board: FolderBoard, capsys: pytest.CaptureFixture[str]) -> None:
    meta = board.pin_write({"a": 1}, "cfg")
    assert meta.version is not None
    err = capsys.readouterr().err
    assert f"Pin 'cfg': wrote version {meta.version.version}." in err
    again = board.pin_write({"a": 1}, "cfg")
    assert again.version == meta.version
    err = capsys.readouterr().err
    assert "Pin 'cfg': the hash has not changed, so nothing was stored" in err
    assert f"the latest version is still {meta.version.version}." in err
    board.pin_write({"a": 2}, "cfg")
    capsys.readouterr()
    board.pin_versions_prune("cfg", n=1)
    assert f"deleted 1 old version(s): {meta.version.version}" in capsys.readouterr().err
    assert capsys.readouterr().out == ""  # messages never go to stdout


def test_messages_are_silenced(
    board: FolderBoard, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PINS_QUIET", "1")
    board.pin_write({"a": 1}, "cfg")
    assert capsys.readouterr().err == ""
    monkeypatch.delenv("PINS_QUIET")
    logger = logging.getLogger("pins.messages")
    logger.setLevel(logging.WARNING)
    try:
        board.pin_write({"a": 2}, "cfg")
    finally:
        logger.setLevel(logging.INFO)
    assert capsys.readouterr().err == ""
    routed = io.StringIO()
    handler = logging.StreamHandler(routed)
    monkeypatch.setattr(logger, "handlers", [handler])  # sent elsewhere instead
    board.pin_write({"a": 3}, "cfg")
    assert capsys.readouterr().err == "" and "wrote version" in routed.getvalue()


# ---------------------------------------------------------------------- metadata
def test_unknown_fields_are_attributes(board: FolderBoard) -> None:
    meta = board.pin_write({"a": 1}, "cfg")
    assert meta.version is not None
    data_txt = board.path / "cfg" / meta.version.version / "data.txt"
    fields = yaml.safe_load(data_txt.read_text())
    data_txt.write_text(yaml.safe_dump({**fields, "some_other_field": 1}))
    read = board.pin_meta("cfg")
    assert read.some_other_field == 1 == read.unknown_fields["some_other_field"]
    with pytest.raises(AttributeError, match="'title'"):
        read.titel  # noqa: B018 - a typo of a known field is not looked up
    with pytest.raises(AttributeError):
        read.not_there  # noqa: B018
    assert not hasattr(read, "__array__")
    out = io.StringIO()
    assert read.to_pin_yaml(out) is None and "some_other_field: 1" in out.getvalue()
    assert read.to_pin_yaml() == out.getvalue()
    back = Meta.from_pin_dict(yaml.safe_load(out.getvalue()), "cfg", read.version, {"x": 1})
    assert back.some_other_field == 1 and back.name == "cfg" and back.local == {"x": 1}


def test_meta_and_versions_agree_on_the_hash(board: FolderBoard) -> None:
    meta = board.pin_write({"a": 1}, "cfg")
    latest = board.pin_versions("cfg", as_df=False)[-1]
    read = board.pin_meta("cfg")
    assert read.version is not None and meta.version is not None
    assert read.version.hash == latest.hash == meta.version.hash == read.pin_hash[:5]
    assert list(board.pin_versions("cfg")["hash"]) == [read.pin_hash[:5]]


# ---------------------------------------------------------------------- URL boards
def test_a_pin_path_may_name_a_single_file(
    board: FolderBoard, http_root: tuple[Path, str], tmp_path: Path
) -> None:
    root, url = http_root
    served = pins.board_folder(root)
    served.pin_write({"x": [1, 2]}, "df")
    version = served.pin_versions("df", as_df=False)[-1].version
    (root / "loose.txt").write_text("first")
    web = pins.board_url(
        url, {"df": f"df/{version}/df.json", "loose": "loose.txt"}, cache=tmp_path / "c"
    )
    (path,) = web.pin_download("df")
    assert Path(path).read_bytes() == (root / "df" / version / "df.json").read_bytes()
    meta = web.pin_meta("df")
    assert (meta.type, meta.file, meta.version and meta.version.version) == (
        "file",
        ["df.json"],
        version,
    )
    with pytest.raises(NotImplementedError):
        web.pin_read("df")
    assert Path(web.pin_download("loose")[0]).read_text() == "first"
    (root / "loose.txt").write_text("second")  # not in a version folder: it may change
    assert Path(web.pin_download("loose")[0]).read_text() == "second"
    assert web.pin_list() == ["df", "loose"]
    with pytest.raises(PinsUnsupportedTypeError):
        web.pin_read("loose")


# ---------------------------------------------------------------------- pin_browse
def test_browse_folder_and_local(board: FolderBoard, opened: list[str]) -> None:
    first = board.pin_write({"a": 1}, "cfg")
    board.pin_write({"a": 2}, "cfg")
    assert first.version is not None
    url = board.pin_browse("cfg", first.version.version)
    assert url == (board.path / "cfg" / first.version.version).as_uri()
    assert opened == [url]
    latest = board.pin_browse("cfg", open=False)
    assert latest != url and latest.startswith("file://") and opened == [url]
    assert board.pin_browse("cfg", local=True, open=False) == latest  # a folder is local


def test_browse_url_and_cache(
    http_root: tuple[Path, str], tmp_path: Path, opened: list[str]
) -> None:
    root, url = http_root
    served = pins.board_folder(root)
    meta = served.pin_write({"a": 1}, "cfg")
    served.write_board_manifest()
    assert meta.version is not None
    web = pins.board_url(url, cache=tmp_path / "c")
    page = web.pin_browse("cfg")
    assert page == f"{url}cfg/{meta.version.version}/" and opened == [page]
    assert requests.get(page + "data.txt", timeout=10).status_code == 200
    local = web.pin_browse("cfg", local=True)
    assert local == web.cache.version_dir("cfg", meta.version.version).resolve().as_uri()
    assert (web.cache.version_dir("cfg", meta.version.version) / "cfg.json").is_file()


def test_browse_connect(tmp_path: Path, opened: list[str]) -> None:
    with ConnectServer(users=["susan:publisher"], data_dir=tmp_path / "connect") as server:
        key = server.api_key("susan")
        board = pins.board_connect(server.url, api_key=key, cache=tmp_path / "c")
        first = board.pin_write({"a": 1}, "cfg")
        board.pin_write({"a": 2}, "cfg")
        guid = board._guid("susan/cfg")
        assert board.pin_browse("susan/cfg") == f"{server.url}/connect/#/apps/{guid}"
        assert first.version is not None
        old = board.pin_browse("cfg", first.version.version, open=False)
        assert old == f"{server.url}/content/{guid}/_rev{first.version.version}/"
        page = requests.get(old + "data.txt", headers={"Authorization": f"Key {key}"}, timeout=10)
        assert page.status_code == 200 and yaml.safe_load(page.text)["title"] == first.title
        assert opened == [f"{server.url}/connect/#/apps/{guid}"]


def test_browse_an_object_store(opened: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    board = pins.board_memory("browse-test")
    board.pin_write({"a": 1}, "cfg")
    url = board.pin_browse("cfg")
    assert url.startswith("memory:///browse-test/cfg/") and opened == []
    assert "cannot be opened in a web browser" in capsys.readouterr().err
    local = board.pin_browse("cfg", local=True)
    assert opened == [local] and local.startswith("file://")
    board.pin_delete("cfg")
