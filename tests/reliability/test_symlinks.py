"""Symbolic links in a board on this machine's disk (a folder board, and an fsspec board
on the local filesystem): nothing is read from or written to outside the board, loops do
not break listing, deleting a linked pin removes the link only, and boards that use
links inside themselves (or are reached through one) read as usual."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import pins
from pins.boards.base import Board
from pins.errors import (
    PinNotFoundError,
    PinsError,
    PinsInsecureReadError,
    PinsInsecureWriteError,
)

SECRET = {"secret": "outside the board"}


class _Local:
    """A board in ``<tmp>/board`` and the folder it is in, whichever kind it is."""

    def __init__(self, board: Board, path: Path) -> None:
        self.board = board
        self.path = path

    def __getattr__(self, name: str) -> Any:
        return getattr(self.board, name)


def _make(kind: str, path: Path) -> Board:
    if kind == "folder":
        return pins.board_folder(path)
    return pins.board_fsspec(f"file://{path}", cache=None)  # a cache of its own


@pytest.fixture(params=["folder", "fsspec"])
def board(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    made = _Local(_make(request.param, tmp_path / "board"), tmp_path / "board")
    made.kind = request.param
    made.pin_write({"inside": True}, "x", type="json")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.json").write_text('{"secret": "outside the board"}')
    return made


def _version_dir(board: Any) -> Path:
    meta = board.pin_meta("x")
    assert meta.version is not None
    return Path(board.path) / "x" / meta.version.version


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (links not followed) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _never_outside(board: Any, *calls: str) -> None:
    """Every read either refuses or gives no data from outside the board."""
    for call in calls:
        try:
            value = eval(call, {"board": board})
        except PinsError:
            continue
        assert value != SECRET, call
        if call.startswith("board.pin_download"):
            assert all("outside" not in os.path.realpath(p) for p in value), call


def test_a_data_file_linked_out_of_the_board_is_refused(board: Any) -> None:
    data = _version_dir(board) / "x.json"
    data.unlink()
    data.symlink_to(board.path.parent / "outside" / "x.json")
    with pytest.raises(PinsInsecureReadError, match="leads out of"):
        board.pin_read("x")
    with pytest.raises(PinsInsecureReadError):
        board.pin_download("x")


def test_a_data_txt_linked_out_of_the_board_is_refused(board: Any) -> None:
    outside = board.path.parent / "outside"
    meta_file = _version_dir(board) / "data.txt"
    shutil.copy(meta_file, outside / "data.txt")
    meta_file.unlink()
    version = meta_file.parent.name
    meta_file.symlink_to(outside / "data.txt")
    reader = _make(board.kind, board.path)  # nothing cached: it reads the board
    with pytest.raises(PinsInsecureReadError):
        reader.pin_meta("x", version)
    _never_outside(reader, "board.pin_read('x')", "board.pin_download('x')")


def test_version_and_pin_folders_linked_out_are_not_read(board: Any, tmp_path: Path) -> None:
    version = _version_dir(board)
    outside = tmp_path / "outside"
    shutil.copy(version / "data.txt", outside / "data.txt")
    # a newer version folder that is a link out of the board
    newer = board.path / "x" / "29990101T000000Z-aaaaa"
    newer.symlink_to(outside, target_is_directory=True)
    assert [v.version for v in board.pin_versions("x", as_df=False)] == [version.name]
    assert board.pin_read("x") == {"inside": True}
    with pytest.raises(PinsInsecureReadError):
        board.pin_read("x", version=newer.name)
    # a pin folder that is a link out of the board
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(board.path / "x", elsewhere / "y", symlinks=True)
    (elsewhere / "y" / version.name / "x.json").write_text('{"secret": "outside the board"}')
    (board.path / "y").symlink_to(elsewhere / "y", target_is_directory=True)
    assert board.pin_list() == ["x"]
    with pytest.raises(PinNotFoundError):
        board.pin_read("y")
    assert not board.pin_exists("y")


def test_links_inside_the_board_and_a_linked_board_read_as_usual(
    board: Any, tmp_path: Path
) -> None:
    (board.path / "alias").symlink_to(board.path / "x", target_is_directory=True)
    assert board.pin_read("alias") == {"inside": True}
    data = _version_dir(board) / "x.json"
    kept = board.path / "x.json-original"
    data.rename(kept)
    data.symlink_to(kept)  # a data file linked to another file of the board
    assert board.pin_read("x") == {"inside": True}
    reached = tmp_path / "reached-by-link"
    reached.symlink_to(board.path, target_is_directory=True)
    linked = _make(board.kind, reached)
    # fsspec lists a link to a folder as "other", not a folder: not a pin to pin_list
    assert linked.pin_list() == (["alias", "x"] if board.kind == "folder" else ["x"])
    assert linked.pin_read("alias") == {"inside": True}
    assert linked.pin_read("x") == {"inside": True}
    linked.pin_write({"through": "a link"}, "z")
    assert board.pin_read("z") == {"through": "a link"}


def test_link_loops_do_not_break_the_board(board: Any) -> None:
    (board.path / "loop").symlink_to(board.path / "loop")
    (board.path / "x" / "20200101T000000Z-bbbbb").symlink_to(
        board.path / "x" / "20200101T000000Z-bbbbb"
    )
    assert board.pin_list() == ["x"]
    assert board.pin_read("x") == {"inside": True}
    assert len(board.pin_versions("x", as_df=False)) == 1
    assert list(board.pin_search()["name"]) == ["x"]
    with pytest.raises(PinsError):
        board.pin_read("loop")


def test_deleting_a_linked_pin_removes_the_link_only(board: Any) -> None:
    (board.path / "alias").symlink_to(board.path / "x", target_is_directory=True)
    board.pin_delete("alias")
    assert not os.path.lexists(board.path / "alias")
    assert [p.name for p in board.path.iterdir()] == ["x"]  # no hidden link left behind
    assert board.pin_read("x") == {"inside": True}
    version = _version_dir(board)
    older = board.path / "x" / "20000101T000000Z-ccccc"
    older.symlink_to(version, target_is_directory=True)
    board.pin_version_delete("x", older.name)
    assert not os.path.lexists(older) and version.is_dir()
    assert board.pin_read("x") == {"inside": True}


# ---------------------------------------------------------------------- writes
def test_a_write_into_a_pin_folder_linked_out_is_refused(board: Any, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "zz").mkdir()
    before = _tree(outside)
    (board.path / "z").symlink_to(outside / "zz", target_is_directory=True)
    (board.path / "dangling").symlink_to(outside / "made-by-a-write", target_is_directory=True)
    source = tmp_path / "notes.txt"
    source.write_text("notes")
    for name in ("z", "dangling"):
        with pytest.raises(PinsInsecureWriteError, match="leads out of"):
            board.pin_write({"a": 1}, name)
        with pytest.raises(PinsInsecureWriteError):
            board.pin_upload([source], name)
        with pytest.raises(PinNotFoundError):
            board.pin_delete(name)
    assert _tree(outside) == before and sorted(os.listdir(outside / "zz")) == []
    assert not os.path.lexists(outside / "made-by-a-write")
    assert os.path.islink(board.path / "z")  # left as it was
    assert board.pin_list() == ["x"]


def test_a_version_folder_linked_out_is_not_written_through(board: Any, tmp_path: Path) -> None:
    """A link planted where the next version will be committed, pointing at a copy of that
    version outside the board: the write neither reads it nor takes it for done."""
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    scratch = _make(board.kind, tmp_path / "scratch")
    meta = scratch.pin_write({"new": 1}, "x", created=when)
    assert meta.version is not None
    planted = tmp_path / "outside" / "planted"
    shutil.copytree(tmp_path / "scratch" / "x" / meta.version.version, planted)
    before = _tree(tmp_path / "outside")
    (board.path / "x" / meta.version.version).symlink_to(planted, target_is_directory=True)
    with pytest.raises(PinsInsecureWriteError, match="leads out of"):
        board.pin_write({"new": 1}, "x", created=when)
    assert _tree(tmp_path / "outside") == before
    assert board.pin_read("x") == {"inside": True}


def test_the_manifest_replaces_a_link_never_writes_through_it(board: Any, tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "manifest.yaml"
    outside.write_text("kept: true\n")
    (board.path / "_pins.yaml").symlink_to(outside)
    board.write_board_manifest()
    assert outside.read_text() == "kept: true\n"
    assert not os.path.islink(board.path / "_pins.yaml")
    assert "x/" in (board.path / "_pins.yaml").read_text()


def test_deleting_a_pin_holding_a_link_out_leaves_the_outside_alone(
    board: Any, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(_version_dir(board), outside / "copy")
    (board.path / "x" / "29990101T000000Z-aaaaa").symlink_to(
        outside / "copy", target_is_directory=True
    )
    before = _tree(outside)
    board.pin_delete("x")
    assert _tree(outside) == before
    assert board.pin_list() == [] and not os.path.lexists(board.path / "x")
