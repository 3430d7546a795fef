"""The board contract on the folder board, plus what only a folder can show."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

import pins
from pins.boards.folder import FolderBoard
from pins.errors import PinsMetadataError, PinsNameError
from pins.testing.contract import BoardContract


class TestFolderBoardContract(BoardContract):
    @pytest.fixture
    def board(self, tmp_path: Path) -> FolderBoard:
        return pins.board_folder(tmp_path / "board")


def _one_version_dir(board: FolderBoard, name: str) -> Path:
    (folder,) = [p for p in (board.path / name).iterdir() if not p.name.startswith(".")]
    return folder


@pytest.fixture
def board(tmp_path: Path) -> FolderBoard:
    return pins.board_folder(tmp_path / "board")


def test_layout_and_data_txt(board: FolderBoard) -> None:
    meta = board.pin_write({"a": 1}, "cfg", metadata={"k": "v"})
    folder = _one_version_dir(board, "cfg")
    assert meta.version is not None and folder.name == meta.version.version
    assert sorted(p.name for p in folder.iterdir()) == ["cfg.json", "data.txt"]
    data = yaml.safe_load((folder / "data.txt").read_text(encoding="utf-8"))
    assert set(data) == {
        "file", "file_size", "pin_hash", "type", "title", "description",
        "created", "api_version", "user",
    }  # fmt: skip
    assert data["api_version"] == 1 and data["user"] == {"k": "v"}
    assert data["file_size"] == (folder / "cfg.json").stat().st_size
    assert not {"name", "version", "local"} & set(data)


def test_version_folders_are_not_private(board: FolderBoard) -> None:
    board.pin_write([1], "perm")
    mode = _one_version_dir(board, "perm").stat().st_mode & 0o777
    assert mode & 0o055 == 0o055 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_readers_skip_what_is_not_a_version(board: FolderBoard) -> None:
    board.pin_write({"v": 1}, "tidy")
    pin_dir = board.path / "tidy"
    (pin_dir / "stray.txt").write_text("x")
    (pin_dir / "20990101T000000Z-aaaaa").mkdir()  # no data.txt: incomplete
    (pin_dir / ".pins-staging-dead").mkdir()
    (pin_dir / ".pins-staging-dead" / "data.txt").write_text("file: x\n")
    (board.path / "not_a_pin.txt").write_text("x")
    (board.path / "empty_pin").mkdir()
    (board.path / "_pins.yaml").write_text("{}\n")
    assert board.pin_list() == ["tidy"]
    assert len(board.pin_versions("tidy", as_df=False)) == 1
    assert board.pin_read("tidy") == {"v": 1}
    assert not board.pin_exists("empty_pin")


def test_failed_write_leaves_no_trace(board: FolderBoard) -> None:
    with pytest.raises(pins.errors.PinsTypeError):
        board.pin_write({"bad": object()}, "ghost", type="json")
    assert not (board.path / "ghost").exists()
    board.pin_write({"ok": 1}, "real")
    with pytest.raises(pins.errors.PinsTypeError):
        board.pin_write({"bad": object()}, "real", type="json")
    assert [p.name.startswith(".") for p in (board.path / "real").iterdir()] == [False]


@pytest.mark.parametrize(
    "file_field", ["../../outside.txt", "/etc/passwd", "sub/x.csv", "..", ["ok.csv", "../x"]]
)
def test_data_txt_file_path_refused(board: FolderBoard, file_field: object) -> None:
    board.pin_write({"a": 1}, "evil")
    folder = _one_version_dir(board, "evil")
    data = yaml.safe_load((folder / "data.txt").read_text())
    data["file"] = file_field
    (folder / "data.txt").write_text(yaml.safe_dump(data))
    with pytest.raises(PinsMetadataError, match="not a plain file name"):
        board.pin_read("evil")
    with pytest.raises(PinsMetadataError):
        board.pin_download("evil")


@pytest.mark.parametrize(
    "text",
    [
        "file: [unclosed\n",
        "- just\n- a list\n",
        "file: x.json\ntype: json\n",  # required fields missing
        "file: x.json\nfile_size: -1\npin_hash: ab\ntype: json\ncreated: x\napi_version: 1\n",
        "file: x.json\nfile_size: 1\npin_hash: ab\ntype: json\ncreated: x\napi_version: 2\n",
        "!!python/object:os.system\nfile: x\n",
    ],
)
def test_malformed_data_txt(board: FolderBoard, text: str) -> None:
    board.pin_write({"a": 1}, "broken")
    board.pin_write({"a": 1}, "fine")
    (_one_version_dir(board, "broken") / "data.txt").write_text(text)
    with pytest.raises(PinsMetadataError):
        board.pin_meta("broken")
    # a broken pin does not break search over the others
    assert list(board.pin_search()["name"]) == ["fine"]


def test_missing_data_file(board: FolderBoard) -> None:
    board.pin_write({"a": 1}, "lost")
    (_one_version_dir(board, "lost") / "lost.json").unlink()
    with pytest.raises(PinsMetadataError, match="missing"):
        board.pin_read("lost")


def test_corrupted_file_caught_by_hash(board: FolderBoard) -> None:
    meta = board.pin_write({"a": 1}, "tamper")
    path = _one_version_dir(board, "tamper") / "tamper.json"
    path.write_text('{"a": 2}')
    with pytest.raises(pins.errors.PinsHashError, match="changed or corrupted"):
        board.pin_read("tamper", hash=meta.pin_hash[:5])


def test_bad_names_write_nothing_outside(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path / "inner" / "board")
    for bad in ["../escape", "..", "a/../../b", "/abs"]:
        with pytest.raises(PinsNameError):
            board.pin_write([1], bad)
        with pytest.raises(PinsNameError):
            board.pin_upload([], bad)
    assert sorted(p.name for p in tmp_path.rglob("*")) == []


def test_upload_refuses_reserved_and_duplicate_names(board: FolderBoard, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "same.txt").write_text(folder)
    (tmp_path / "data.txt").write_text("x")
    with pytest.raises(PinsNameError, match="same name"):
        board.pin_upload([tmp_path / "a" / "same.txt", tmp_path / "b" / "same.txt"], "dups")
    with pytest.raises(PinsNameError, match=r"data\.txt"):
        board.pin_upload([tmp_path / "data.txt"], "meta")
    with pytest.raises(PinsNameError, match="not a file"):
        board.pin_upload([tmp_path / "a"], "folder")
    assert board.pin_list() == []


def test_manifest(board: FolderBoard) -> None:
    first = board.pin_write({"i": 1}, "m1")
    second = board.pin_write({"i": 2}, "m1")
    board.pin_write([1], "m2")
    manifest = board.write_board_manifest()
    on_disk = yaml.safe_load((board.path / "_pins.yaml").read_text())
    assert on_disk == manifest
    assert first.version is not None and second.version is not None
    assert on_disk["m1"] == [f"m1/{first.version.version}/", f"m1/{second.version.version}/"]
    assert list(on_disk) == ["m1", "m2"]
    assert board.pin_list() == ["m1", "m2"]  # the manifest is not a pin


def test_v0_pin_is_read(board: FolderBoard) -> None:
    folder = board.path / "legacy" / "20200101T000000Z-00000"
    folder.mkdir(parents=True)
    (folder / "data.csv").write_text("a,b\n1,x\n2,y\n")
    (folder / "data.txt").write_text("path: data.csv\ntype: table\ntitle: old\n")
    meta = board.pin_meta("legacy")
    assert meta.is_legacy and meta.type == "table" and meta.file == "data.csv"
    df = board.pin_read("legacy")
    assert list(df.columns) == ["a", "b"] and len(df) == 2


def test_constructors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINS_DATA_DIR", str(tmp_path / "data"))
    local = pins.board_local()
    assert local.path == tmp_path / "data"
    assert pins.board("file", tmp_path / "x").path == tmp_path / "x"  # type: ignore[attr-defined]
    with pytest.raises(pins.PinsError, match="Unknown board protocol"):
        pins.board("gopher", "x")
    temp = pins.board_temp()
    temp.pin_write([1], "t")
    where = temp.path
    assert where.exists()
    del temp
    import gc

    gc.collect()
    assert not where.exists()


def _writer(path: str, n: int, start: float) -> str:
    import time

    board = pins.board_folder(path)
    while time.time() < start:
        time.sleep(0.001)
    try:
        meta = board.pin_write({"writer": n}, "race")
    except pins.errors.PinsWriteConflictError:
        return "conflict"
    assert meta.version is not None
    return meta.version.version


def test_concurrent_writers_lose_nothing(board: FolderBoard) -> None:
    import time
    from concurrent.futures import ProcessPoolExecutor

    board.pin_write({"writer": -1}, "race")
    start = time.time() + 1.0
    with ProcessPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_writer, [str(board.path)] * 4, range(4), [start] * 4))
    written = [r for r in results if r != "conflict"]
    versions = {v.version for v in board.pin_versions("race", as_df=False)}
    assert set(written) <= versions
    assert len(versions) == 1 + len(set(written))
    for version in versions:  # every version is complete and readable
        assert board.pin_read("race", version=version)["writer"] in range(-1, 4)
    leftovers = [p.name for p in (board.path / "race").iterdir() if p.name.startswith(".")]
    assert leftovers == []
