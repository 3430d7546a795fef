"""board_url: a folder board served over HTTP on loopback, read through the URL board."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import requests
import yaml

import pins
from pins.boards.folder import FolderBoard
from pins.boards.url import UrlBoard
from pins.cache import PinsCache
from pins.errors import (
    PinNotFoundError,
    PinsAuthError,
    PinsError,
    PinsHashError,
    PinsMetadataError,
    PinsOfflineError,
    PinsOfflineWarning,
    PinsReadOnlyError,
    PinsServerError,
    PinVersionNotFoundError,
)

from .conftest import FIXTURES
from .servers import FolderServer as _Server
from .servers import serve_folder as _serve


# ---------------------------------------------------------------------- fixtures
@pytest.fixture
def folder(tmp_path: Path) -> FolderBoard:
    board = pins.board_folder(tmp_path / "served")
    board.pin_write({"i": 1}, "cfg", title="Settings one")
    board.pin_write({"i": 2}, "cfg", title="Settings two")
    board.pin_write(pd.DataFrame({"x": [1, 2], "s": ["a", "é"]}), "frame", type="csv")
    (tmp_path / "a.txt").write_text("alpha é", encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(bytes(range(256)))
    board.pin_upload([tmp_path / "a.txt", tmp_path / "b.bin"], "files")
    board.pin_write([1, 2, 3], "na me é", title="Quoted name")
    board.write_board_manifest()
    return board


@pytest.fixture
def server(folder: FolderBoard) -> Iterator[_Server]:
    yield from _serve(folder.path)


@pytest.fixture
def board(server: _Server, tmp_path: Path) -> UrlBoard:
    return pins.board_url(server.url, cache=str(tmp_path / "cache"))


def _no_retries() -> requests.Session:
    return requests.Session()  # fails at once, where the default session retries


def _versions(board: pins.Board, name: str) -> list[str]:
    return [v.version for v in board.pin_versions(name, as_df=False)]


# ---------------------------------------------------------------------- reading
def test_reads_everything_the_folder_holds(board: UrlBoard, folder: FolderBoard) -> None:
    assert board.pin_list() == folder.pin_list() == ["cfg", "files", "frame", "na me é"]
    for name in folder.pin_list():
        assert _versions(board, name) == _versions(folder, name)
        for version in _versions(folder, name):
            assert board.pin_meta(name, version) == folder.pin_meta(name, version)
            if name != "files":
                got, want = board.pin_read(name, version), folder.pin_read(name, version)
                if isinstance(want, pd.DataFrame):
                    pd.testing.assert_frame_equal(got, want)
                else:
                    assert got == want
    assert board.pin_read("cfg") == {"i": 2}
    first = _versions(folder, "cfg")[0]
    assert board.pin_read("cfg", version=first, hash=folder.pin_meta("cfg", first).pin_hash) == {
        "i": 1
    }
    a, b = board.pin_download("files")
    assert (
        Path(a).read_text(encoding="utf-8") == "alpha é" and Path(b).read_bytes()[:3] == b"\0\1\2"
    )
    assert board.pin_exists("cfg") and not board.pin_exists("nope")
    assert list(board.pin_search("settings")["name"]) == ["cfg"]
    assert [m.name for m in board.pin_search("quoted", as_df=False)] == ["na me é"]
    versions = board.pin_versions("cfg")
    assert list(versions.columns)[:3] == ["version", "created", "hash"]


def test_missing_pin_and_version(board: UrlBoard) -> None:
    with pytest.raises(PinNotFoundError):
        board.pin_read("nope")
    with pytest.raises(PinVersionNotFoundError):
        board.pin_meta("cfg", "20000101T000000Z-abcde")
    with pytest.raises(PinsError):
        board.pin_read("../cfg")


def test_read_only(board: UrlBoard, tmp_path: Path, server: _Server) -> None:
    (tmp_path / "f.txt").write_text("x")
    version = _versions(board, "cfg")[0]
    meta = board.pin_meta("cfg")
    server.log.clear()
    refused = [
        lambda: board.pin_write({"i": 3}, "cfg"),
        lambda: board.pin_upload(tmp_path / "f.txt", "f"),
        lambda: board.pin_delete("cfg"),
        lambda: board.pin_version_delete("cfg", version),
        lambda: board.pin_versions_prune("cfg", n=1),
    ]
    for call in refused:
        with pytest.raises(PinsReadOnlyError, match="read-only"):
            call()
    with pytest.raises(PinsReadOnlyError):
        board._store_version("cfg", tmp_path, "v", meta)
    assert server.log == []  # refused before anything is asked
    assert len(_versions(board, "cfg")) == 2


# ---------------------------------------------------------------------- cache and requests
def test_cached_reads_make_no_file_requests(board: UrlBoard, server: _Server) -> None:
    board.pin_read("frame")
    board.pin_download("files")
    old = _versions(board, "cfg")[0]
    board.pin_read("cfg", version=old)
    assert "frame/" in " ".join(server.paths())
    server.log.clear()
    board.pin_read("frame")
    board.pin_download("files")
    board.pin_read("cfg", version=old)
    board.pin_meta("cfg", old)
    assert server.log == [("_pins.yaml", 304, 0)] * 2  # pin_read and pin_download of latest


def test_request_budget(board: UrlBoard, server: _Server) -> None:
    board.pin_read("cfg")
    assert len(server.log) == 3  # manifest, data.txt, the file
    server.log.clear()
    board.pin_read("cfg")
    assert server.log == [("_pins.yaml", 304, 0)]


def test_manifest_is_revalidated(board: UrlBoard, server: _Server) -> None:
    board.pin_list()
    board.pin_list()
    board.pin_read("cfg")
    manifest = [entry for entry in server.log if entry[0] == "_pins.yaml"]
    assert manifest[0][1] == 200 and manifest[0][2] > 0
    assert [(status, size) for _, status, size in manifest[1:]] == [(304, 0), (304, 0)]


def test_new_version_is_seen(board: UrlBoard, folder: FolderBoard, server: _Server) -> None:
    assert board.pin_read("cfg") == {"i": 2}
    folder.pin_write({"i": 3}, "cfg")
    folder.write_board_manifest()
    assert board.pin_read("cfg") == {"i": 3}
    assert len(_versions(board, "cfg")) == 3


def test_corrupted_cached_file_is_fetched_again(board: UrlBoard, server: _Server) -> None:
    assert board.pin_read("cfg") == {"i": 2}
    meta = board.pin_meta("cfg")
    assert meta.version is not None
    cached = board.cache.get_file("cfg", meta.version.version, "cfg.json")
    assert cached is not None
    cached.write_text('{"i": "corrupted"}')
    server.log.clear()
    assert board.pin_read("cfg") == {"i": 2}
    assert f"cfg/{meta.version.version}/cfg.json" in server.paths()


def test_server_file_not_matching_its_hash(board: UrlBoard, folder: FolderBoard) -> None:
    meta = folder.pin_meta("cfg")
    assert meta.version is not None
    (folder.path / "cfg" / meta.version.version / "cfg.json").write_text('{"i": 666}')
    with pytest.raises(PinsHashError):
        board.pin_read("cfg")
    assert board.cache.get_file("cfg", meta.version.version, "cfg.json") is None


# ---------------------------------------------------------------------- offline
def test_server_gone_warns_and_serves_the_cache(server: _Server, tmp_path: Path) -> None:
    board = pins.board_url(server.url, cache=str(tmp_path / "c"), session=_no_retries())
    assert board.pin_read("cfg") == {"i": 2}
    server.stop()
    with pytest.warns(PinsOfflineWarning, match="127.0.0.1") as record:
        assert board.pin_read("cfg") == {"i": 2}
    assert record[0].filename == __file__  # the warning names the caller's line
    with pytest.warns(PinsOfflineWarning):
        assert board.pin_list() == ["cfg"]  # only what is cached
    with pytest.warns(PinsOfflineWarning), pytest.raises(PinsOfflineError, match="frame"):
        board.pin_read("frame")


def test_offline_makes_no_requests(
    server: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    online = pins.board_url(server.url, cache=str(tmp_path / "c"))
    assert online.pin_read("cfg") == {"i": 2}
    old, new = _versions(online, "cfg")
    server.log.clear()
    offline = pins.board_url(server.url, cache=str(tmp_path / "c"), offline=True)
    assert offline.pin_read("cfg") == {"i": 2}
    assert _versions(offline, "cfg") == [new]  # what is cached
    with pytest.raises(PinsOfflineError, match="not cached"):
        offline.pin_read("cfg", version=old)
    monkeypatch.setenv("PINS_OFFLINE", "1")
    assert pins.board_url(server.url, cache=str(tmp_path / "c")).pin_read("cfg") == {"i": 2}
    assert server.log == []


def test_nothing_cached(server: _Server, tmp_path: Path) -> None:
    offline = pins.board_url(server.url, cache=str(tmp_path / "c"), offline=True)
    with pytest.raises(PinsOfflineError, match="nothing is cached") as info:
        offline.pin_list()
    assert server.url in str(info.value)
    offline.cache.put_json("manifest", {"pins": "not a mapping"})  # unusable: as if absent
    with pytest.raises(PinsOfflineError, match="nothing is cached"):
        offline.pin_list()
    assert server.log == []
    server.stop()
    gone = pins.board_url(server.url, cache=str(tmp_path / "c"), session=_no_retries())
    with pytest.raises(PinsOfflineError, match="nothing is cached"):
        gone.pin_read("cfg")


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("status", "error"), [(500, PinsServerError), (403, PinsAuthError), (401, PinsAuthError)]
)
def test_http_errors(board: UrlBoard, server: _Server, status: int, error: type) -> None:
    server.faults["_pins.yaml"] = (status, b"no")
    with pytest.raises(error, match=str(status)) as info:
        board.pin_list()
    assert isinstance(info.value.__cause__, requests.HTTPError)


def test_missing_data_txt_and_file(board: UrlBoard, server: _Server, folder: FolderBoard) -> None:
    old, new = _versions(folder, "cfg")
    server.faults[f"cfg/{old}/data.txt"] = (404, b"")
    with pytest.raises(PinVersionNotFoundError, match="missing from the server"):
        board.pin_meta("cfg", old)
    server.faults[f"cfg/{new}/data.txt"] = (200, b"<html>a login page</html>")
    with pytest.raises(PinsServerError, match=r"not a pins data\.txt"):
        board.pin_meta("cfg", new)
    assert board.cache.get_meta("cfg", new) is None
    version = _versions(folder, "frame")[0]
    server.faults[f"frame/{version}/frame.csv"] = (404, b"")
    with pytest.raises(PinsMetadataError, match=r"frame\.csv"):
        board.pin_read("frame")


def test_no_manifest_or_a_bad_one(folder: FolderBoard, server: _Server, tmp_path: Path) -> None:
    board = pins.board_url(server.url, cache=str(tmp_path / "c"))
    (folder.path / "_pins.yaml").unlink()
    with pytest.raises(PinsServerError, match="write_board_manifest"):
        board.pin_list()
    (folder.path / "_pins.yaml").write_text("- just\n- a list\n")
    with pytest.raises(PinsServerError, match="not a mapping"):
        board.pin_list()
    version = _versions(folder, "cfg")[0]
    manifest = {
        "../evil": ["x/"],
        "cfg": [f"cfg/{version}/", "cfg/../", f"elsewhere/{version}/"],
        "bad": "cfg/",
    }
    (folder.path / "_pins.yaml").write_text(yaml.safe_dump(manifest))
    assert board.pin_list() == ["cfg"]
    assert _versions(board, "cfg") == [version]


def test_retries_then_server_error(board: UrlBoard, server: _Server) -> None:
    server.faults["_pins.yaml"] = (503, b"busy")
    with pytest.raises(PinsServerError):
        board.pin_list()
    assert server.paths() == ["_pins.yaml"] * 4  # the first try and 3 retries


def test_bad_urls() -> None:
    with pytest.raises(PinsError, match="http"):
        pins.board_url("ftp://example.org/board")
    with pytest.raises(PinsError, match="version folder"):
        pins.board_url("http://127.0.0.1:9/", pin_paths={"cfg": 3})  # type: ignore[dict-item]
    with pytest.raises(PinsError, match="version folder"):
        pins.board_url("http://127.0.0.1:9/", pin_paths={"cfg": "/"})


def test_credentials_never_reach_repr_or_cache(server: _Server, tmp_path: Path) -> None:
    url = server.url.replace("http://", "http://ana:s3cret@")
    board = pins.board_url(url, cache=str(tmp_path / "c"))
    assert board.pin_read("cfg") == {"i": 2}
    assert "s3cret" not in repr(board)
    assert "s3cret" not in json.dumps(pins.cache_info(tmp_path / "c")["board"].tolist())
    for path in (tmp_path / "c").rglob("*"):
        assert path.is_dir() or b"s3cret" not in path.read_bytes()


# ---------------------------------------------------------------------- pin_paths, cache=
def test_pin_paths(folder: FolderBoard, server: _Server, tmp_path: Path) -> None:
    first = _versions(folder, "cfg")[0]
    frame = _versions(folder, "frame")[0]
    board = pins.board_url(
        server.url,
        pin_paths={"cfg": f"cfg/{first}/", "table": f"{server.url}frame/{frame}/"},
        cache=str(tmp_path / "c"),
    )
    assert board.pin_list() == ["cfg", "table"]
    assert _versions(board, "cfg") == [first]
    assert board.pin_read("cfg") == {"i": 1}
    assert list(board.pin_read("table")["x"]) == [1, 2]
    assert "_pins.yaml" not in server.paths()


def test_cache_argument(server: _Server, tmp_path: Path) -> None:
    store = PinsCache("url:my-own", root=tmp_path / "mine")
    assert pins.board_url(server.url, cache=store).cache is store
    temporary = pins.board_url(server.url, cache=None)
    assert temporary.pin_read("cfg") == {"i": 2}
    by_protocol = pins.board("http", server.url.removeprefix("http://"))
    assert isinstance(by_protocol, UrlBoard) and by_protocol.pin_read("cfg") == {"i": 2}
    default = pins.board_url(server.url)  # PINS_CACHE_DIR, set by conftest
    assert default.cache.root == pins.config.cache_dir()
    assert default.cache.board_id == f"url:{server.url}"


# ---------------------------------------------------------------------- other writers' boards
@pytest.mark.parametrize("name", ["pinspy_board", "pinsr_board"])
def test_fixture_boards_over_http(name: str, tmp_path: Path) -> None:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    local = pins.board_folder(root, allow_pickle_read=True)
    local.write_board_manifest()
    for server in _serve(root):
        board = pins.board_url(server.url, cache=str(tmp_path / "c"), allow_pickle_read=True)
        assert board.pin_list() == local.pin_list()
        for pin in local.pin_list():
            assert _versions(board, pin) == _versions(local, pin)
            assert board.pin_meta(pin) == local.pin_meta(pin)
            assert [Path(p).read_bytes() for p in board.pin_download(pin)] == [
                Path(p).read_bytes() for p in local.pin_download(pin)
            ]
        if name == "pinspy_board":
            old = _versions(board, "penguins_csv")[0]
            assert board.pin_read("penguins_csv", version=old).shape == (344, 8)
            assert board.pin_read("cfg_json") == json.loads(
                (FIXTURES / "expected" / "cfg_json.json").read_text()
            )
        else:
            assert board.pin_read("settings") == {
                "alpha": 0.05,
                "methods": ["lm", "glm"],
                "nested": {"a": 1, "b": "x"},
            }
            assert len(board.pin_read("iris_csv")) == 50


def test_docstring_examples() -> None:
    import doctest

    import pins.boards.url

    result = doctest.testmod(pins.boards.url)
    assert result.attempted > 0 and result.failed == 0
