"""Symbolic links in a folder board: nothing is read from outside the board, loops do
not break listing, deleting a linked pin removes the link only, and boards that use
links inside themselves (or are reached through one) read as usual."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import pins
from pins.errors import PinNotFoundError, PinsError, PinsInsecureReadError

SECRET = {"secret": "outside the board"}


@pytest.fixture
def board(tmp_path: Path) -> pins.boards.FolderBoard:
    board = pins.board_folder(tmp_path / "board")
    board.pin_write({"inside": True}, "x", type="json")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.json").write_text('{"secret": "outside the board"}')
    return board


def _version_dir(board: pins.boards.FolderBoard) -> Path:
    meta = board.pin_meta("x")
    assert meta.version is not None
    return board.path / "x" / meta.version.version


def _never_outside(board: pins.boards.FolderBoard, *calls: str) -> None:
    """Every read either refuses or gives no data from outside the board."""
    for call in calls:
        try:
            value = eval(call, {"board": board})
        except PinsError:
            continue
        assert value != SECRET, call
        if call.startswith("board.pin_download"):
            assert all("outside" not in os.path.realpath(p) for p in value), call


def test_a_data_file_linked_out_of_the_board_is_refused(board: pins.boards.FolderBoard) -> None:
    data = _version_dir(board) / "x.json"
    data.unlink()
    data.symlink_to(board.path.parent / "outside" / "x.json")
    with pytest.raises(PinsInsecureReadError, match="leads out of"):
        board.pin_read("x")
    with pytest.raises(PinsInsecureReadError):
        board.pin_download("x")


def test_a_data_txt_linked_out_of_the_board_is_refused(board: pins.boards.FolderBoard) -> None:
    outside = board.path.parent / "outside"
    meta_file = _version_dir(board) / "data.txt"
    shutil.copy(meta_file, outside / "data.txt")
    meta_file.unlink()
    meta_file.symlink_to(outside / "data.txt")
    with pytest.raises(PinsInsecureReadError):
        board.pin_meta("x", _version_dir(board).name)
    _never_outside(board, "board.pin_read('x')", "board.pin_download('x')")


def test_version_and_pin_folders_linked_out_are_not_read(
    board: pins.boards.FolderBoard, tmp_path: Path
) -> None:
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
    board: pins.boards.FolderBoard, tmp_path: Path
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
    linked = pins.board_folder(reached)
    assert linked.pin_list() == ["alias", "x"]
    assert linked.pin_read("x") == {"inside": True}
    linked.pin_write({"through": "a link"}, "z")
    assert board.pin_read("z") == {"through": "a link"}


def test_link_loops_do_not_break_the_board(board: pins.boards.FolderBoard) -> None:
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


def test_deleting_a_linked_pin_removes_the_link_only(board: pins.boards.FolderBoard) -> None:
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
