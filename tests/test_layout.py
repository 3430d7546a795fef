"""The pins 1.0 layout, once for the folder and fsspec boards: one error border, the
write-conflict rule, names every system can hold, and a cache that holds any name."""

from __future__ import annotations

import inspect
import shutil
from datetime import datetime, timezone
from pathlib import Path

import fsspec
import pytest

import pins
from pins.boards._layout import LayoutBoard
from pins.boards.base import Board
from pins.boards.folder import FolderBoard
from pins.boards.fsspec_board import FsspecBoard
from pins.cache import PinsCache
from pins.errors import (
    PinsAuthError,
    PinsError,
    PinsNameError,
    PinsStorageError,
    PinsWriteConflictError,
)
from pins.hashing import hash_file

UNPORTABLE = {
    "CON": "device name",
    "nul.txt": "device name",
    "a:b": "does not allow :",
    "x?": r"does not allow \?",
    "a<b>": "does not allow < >",
    "trail.": "drops a '.'",
}


def _boards(tmp_path: Path) -> list[Board]:
    memory = f"memory://layout-{tmp_path.name}"
    return [pins.board_folder(tmp_path / "folder"), pins.board_fsspec(memory, cache=None)]


# ---------------------------------------------------------------------- one border
def test_the_same_disk_failure_is_the_same_error_from_both_boards(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the board's folder should be")
    folder = pins.board_folder(blocker)
    local = pins.board_fsspec(f"file://{blocker}", cache=None)
    failures = []
    for board in (folder, local):
        with pytest.raises(PinsStorageError, match="is not a folder"):
            board.pin_list()  # not read as an empty board
        with pytest.raises(PinsStorageError) as info:
            board.pin_write([1], "p")
        assert isinstance(info.value, OSError)  # as the failure under it
        assert isinstance(info.value.__cause__, OSError)
        assert not isinstance(info.value.__cause__, PinsError)
        failures.append(type(info.value))
    assert failures == [PinsStorageError, PinsStorageError]


def test_refused_access_is_the_same_error_from_both_boards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pins.board_folder(tmp_path / "b").pin_write([1], "p")

    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("os.scandir", refuse)
    monkeypatch.setattr("os.listdir", refuse)  # what fsspec's local filesystem lists with
    for board in (pins.board_folder(tmp_path / "b"), pins.board_fsspec(f"file://{tmp_path}/b")):
        with pytest.raises(PinsAuthError, match="access was refused") as info:
            board.pin_list()
        assert isinstance(info.value.__cause__, PermissionError)


# ---------------------------------------------------------------------- the layout, once
def test_both_boards_are_the_layout_board() -> None:
    assert issubclass(FolderBoard, LayoutBoard) and issubclass(FsspecBoard, LayoutBoard)
    assert Board.__abstractmethods__ == {
        "_latest_versions",
        "_list_versions",
        "_read_meta_text",
        "_fetch_files",
        "_store_version",
        "_delete_version",
        "_delete_pin",
    }
    assert not hasattr(Board, "_list_pins") and not hasattr(Board, "meta_file")


def test_both_boards_order_and_skip_the_same_way(tmp_path: Path) -> None:
    """Stray entries, hidden folders and invalid names are skipped alike; a version id
    that is not a version name sorts first."""
    folder, memory = _boards(tmp_path)
    for board in (folder, memory):
        board.pin_write({"i": 1}, "p", created=datetime(2024, 1, 1, tzinfo=timezone.utc))
        board.pin_write({"i": 2}, "p", created=datetime(2024, 1, 2, tzinfo=timezone.utc))
    fs = fsspec.filesystem("memory")
    root = memory.root  # type: ignore[attr-defined]
    for name in ("p/zzz-not-a-version-name", "p/.hidden", ".hidden-pin/v", "_pins.yaml/v"):
        (folder.path / name).mkdir(parents=True)  # type: ignore[attr-defined]
        (folder.path / name / "data.txt").write_text("title: stray")  # type: ignore[attr-defined]
        fs.pipe(f"{root}/{name}/data.txt", b"title: stray")
    ids = [[v.version for v in b.pin_versions("p", as_df=False)] for b in (folder, memory)]
    assert ids[0] == ids[1] and ids[0][0] == "zzz-not-a-version-name"
    assert folder.pin_list() == memory.pin_list() == ["p"]
    assert folder.pin_read("p") == memory.pin_read("p") == {"i": 2}


# ---------------------------------------------------------------------- write conflicts
def test_folder_write_conflict_loses_nothing(tmp_path: Path) -> None:
    """Another writer committed the same version id with other content first."""
    board = pins.board_folder(tmp_path / "b")
    when = datetime(2024, 3, 1, 12, tzinfo=timezone.utc)
    mine = board.pin_write({"mine": True}, "cfg", created=when)
    assert mine.version is not None
    theirs = board.path / "cfg" / "theirs"
    shutil.copytree(board.path / "cfg" / mine.version.version, theirs)
    (theirs / "data.txt").write_text(
        (theirs / "data.txt").read_text().replace(mine.pin_hash, "f" * 16)
    )
    board.pin_version_delete("cfg", mine.version.version)
    theirs.rename(board.path / "cfg" / mine.version.version)  # committed by the other one
    with pytest.raises(PinsWriteConflictError, match="Nothing was lost"):
        board.pin_write({"mine": True}, "cfg", created=when)
    assert board.pin_meta("cfg").pin_hash == "f" * 16  # theirs is kept
    assert [p.name for p in (board.path / "cfg").iterdir()] == [mine.version.version]
    # the same content committed meanwhile by another writer is not a conflict
    (board.path / "cfg" / mine.version.version / "data.txt").write_text(
        (board.path / "cfg" / mine.version.version / "data.txt")
        .read_text()
        .replace("f" * 16, mine.pin_hash)
    )
    again = board.pin_write({"mine": True}, "cfg", created=when, force_identical_write=True)
    assert again.version == mine.version


# ---------------------------------------------------------------------- names
@pytest.mark.parametrize(("name", "reason"), list(UNPORTABLE.items()))
def test_names_another_system_cannot_hold_are_refused(
    tmp_path: Path, name: str, reason: str
) -> None:
    source = tmp_path / "ok.txt"
    source.write_text("x")
    for board in _boards(tmp_path):
        with pytest.raises(PinsNameError, match=reason):
            board.pin_write([1], name)
        with pytest.raises(PinsNameError, match=reason):
            board.pin_upload(source, name)
        assert board.pin_list() == []
    assert not list((tmp_path / "folder").rglob("*"))  # nothing staged on disk


def test_file_names_another_system_cannot_hold_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "src" / "report:v2.csv"
    bad.parent.mkdir()
    bad.write_text("a\n1\n")
    for board in _boards(tmp_path):
        with pytest.raises(PinsNameError, match=r"file name 'report:v2\.csv'"):
            board.pin_upload(bad, "report")
        assert board.pin_list() == []


def test_a_name_that_differs_only_in_case_is_refused(tmp_path: Path) -> None:
    for board in _boards(tmp_path):
        board.pin_write([1], "Sales")
        with pytest.raises(PinsNameError, match=r"'Sales'.*differs only in case"):
            board.pin_write([2], "sales")
        board.pin_write([3], "Sales")  # a new version of the pin itself is fine
        assert board.pin_list() == ["Sales"]
        assert board.pin_read("Sales") == [3]


def test_pins_written_by_others_with_such_names_are_read(tmp_path: Path) -> None:
    """Reading stays lenient: a board written on Linux with names Windows refuses (and
    names that differ only in case) is read, through the cache too."""
    folder = pins.board_folder(tmp_path / "folder")
    good = folder.pin_write({"v": 1}, "good")
    assert good.version is not None
    memory_root = f"/others-{tmp_path.name}"
    fs = fsspec.filesystem("memory")
    for name in ("a:b", "CON", "Good"):
        target = folder.path / name / good.version.version
        shutil.copytree(folder.path / "good" / good.version.version, target)
        fs.put(str(target), f"{memory_root}/{name}/{good.version.version}", recursive=True)
    fs.put(str(folder.path / "good"), f"{memory_root}/good", recursive=True)
    assert folder.pin_read("a:b") == folder.pin_read("CON") == {"v": 1}
    cache_root = tmp_path / "cache"
    remote = pins.board_fsspec(f"memory://{memory_root}", cache=str(cache_root))
    assert remote.pin_list() == ["CON", "Good", "a:b", "good"]
    for name in remote.pin_list():
        assert remote.pin_read(name) == {"v": 1}
    cached = pins.cache_info(cache_root)
    assert sorted(cached["pin"]) == ["CON", "Good", "a:b", "good"]
    folders = [p.relative_to(cache_root).parts[1] for p in cache_root.glob("*/*")]
    assert "a:b" not in folders and "CON" not in folders
    assert len({f.lower() for f in folders if f != "board.json"}) == 4  # no case collision


def test_cache_paths_are_safe_on_every_system(tmp_path: Path) -> None:
    cache = PinsCache("url:https://example.org/", root=tmp_path)
    version = "20240115T120000Z-a8cc8"
    assert cache.version_dir("sales", version) == cache.path / "sales" / version
    for a, b in (("Sales", "sales"), ("É", "é"), ("ab", "AB")):
        assert str(cache.pin_dir(a)).lower() != str(cache.pin_dir(b)).lower()
    for name in ("CON", "nul.txt", "a:b", "x?", "a<b>", "trail."):
        path = cache.put_file("p", version, name, b"x")
        assert path.name not in UNPORTABLE and path.read_bytes() == b"x"
        assert path.name.split(".")[0].lower() not in ("con", "nul")
        assert cache.get_file("p", version, name) == path
        assert hash_file(path)
    assert cache.put_file("p", version, "Report é.pdf", b"y").name == "Report é.pdf"


def test_constructors_take_offline_by_keyword_only() -> None:
    """Every remote constructor takes ``offline``, by keyword only."""
    for constructor in (
        pins.board,
        pins.board_connect,
        pins.board_url,
        pins.board_fsspec,
        pins.board_s3,
        pins.board_gcs,
        pins.board_azure,
        pins.board_memory,
        pins.board_github,
        pins.board_databricks,
    ):
        parameter = inspect.signature(constructor).parameters["offline"]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, constructor.__name__
        assert parameter.default is None
