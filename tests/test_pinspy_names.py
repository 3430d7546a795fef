"""Names and attributes pins-python scripts touch beyond the pin methods, as its own test
suite found them (tests/interop/test_pinspy_suite.py): ``pins.constructors``, the board
class names, ``pins.config``'s variable names, ``board.fs`` and ``board.board``, a
Connect board's ``user_name`` and ``fs.info``; and the behaviour it checks: ``feather``
deprecated for writing, its message for identical content, ``board_url("", {...})``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import fsspec
import pandas as pd
import pytest

import pins
from pins import boards, config, constructors
from pins.boards.connect import ConnectBoard
from pins.boards.url import UrlBoard
from pins.errors import PinNotFoundError, PinsArgumentError, PinsArgumentTypeError
from pins.testing import ConnectServer

from .servers import serve_folder


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder over HTTP on 127.0.0.1: (folder, URL ending in /)."""
    root = tmp_path / "served"
    root.mkdir()
    for server in serve_folder(root):
        yield root, server.url


def test_module_and_class_names() -> None:
    folder = Path("/data/pins")
    board = eval(pins.board_deparse(pins.board_folder(folder)), constructors.__dict__)
    assert board.path == folder
    assert constructors.board_connect is pins.board_connect
    assert boards.BaseBoard is pins.Board
    assert boards.BoardRsConnect is ConnectBoard
    assert boards.BoardManual is UrlBoard
    assert isinstance(pins.board_temp(), boards.BaseBoard)
    with pytest.raises(AttributeError):
        boards.BoardNotThere  # noqa: B018
    assert (config.PINS_ENV_CACHE_DIR, config.PINS_ENV_DATA_DIR) == (
        "PINS_CACHE_DIR",
        "PINS_DATA_DIR",
    )
    assert config.PINS_ENV_INSECURE_READ == "PINS_ALLOW_PICKLE_READ"


def test_board_fs_and_board(tmp_path: Path) -> None:
    folder = pins.board_folder(tmp_path / "b")
    assert folder.board == str(tmp_path / "b")
    assert "file" in folder.fs.protocol
    folder.pin_write({"a": 1}, "cfg")
    assert folder.fs.exists(f"{folder.board}/cfg")
    memory = pins.board_memory("/names-test")
    assert memory.board.strip("/") == "names-test"
    assert memory.fs.protocol == "memory"


def test_connect_board_fs_and_user_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ConnectServer(users=["susan:publisher"], data_dir=tmp_path / "connect") as server:
        key = server.api_key("susan")
        board = pins.board_connect(server.url, api_key=key, cache=None)
        assert board.user_name == "susan"
        board.pin_write({"a": 1}, "open-data", title="Open", access_type="all")
        capsys.readouterr()
        board.pin_write({"a": 1}, "open-data")
        err = capsys.readouterr().err
        assert "Pin 'open-data': the hash has not changed, so nothing was stored" in err
        assert board.fs.protocol == "rsc"
        info = board.fs.info("open-data")
        assert info == board.fs.info("susan/open-data")
        assert (info["title"], info["access_type"]) == ("Open", "all")
        assert key not in repr(board.fs)
        with pytest.raises(PinNotFoundError):
            board.fs.info("susan/nothing-here")
        public = pins.board_url("", {"open": info["content_url"]}, cache=tmp_path / "c")
        assert public.pin_read("open") == {"a": 1}
        with pytest.raises(PinsArgumentTypeError, match="board_connect"):
            boards.BoardRsConnect("", board.fs)  # pins-python's internal constructor


def test_url_board_of_absolute_pin_paths(served: tuple[Path, str], tmp_path: Path) -> None:
    root, url = served
    folder = pins.board_folder(root)
    frame = pd.DataFrame({"x": [1, 2]})
    version = folder.pin_write(frame, "df", type="csv").version
    assert version is not None
    paths = {"df": f"{url}df/{version.version}/", "raw": f"{url}df/{version.version}/df.csv"}
    board = pins.board_url("", paths, cache=tmp_path / "cache")
    pd.testing.assert_frame_equal(board.pin_read("df"), frame)
    assert (
        Path(board.pin_download("raw")[0]).read_bytes()
        == (root / "df" / version.version / "df.csv").read_bytes()
    )
    again = eval(pins.board_deparse(board), constructors.__dict__)
    assert again.pin_list() == ["df", "raw"]
    other = pins.board_url("", {"df": paths["raw"]}, cache=tmp_path / "cache")
    assert other.pin_meta("df").type == "file"  # same name, other URL: not the cached one
    with pytest.raises(PinsArgumentError, match="absolute"):
        pins.board_url("", {"df": "df/"})
    with pytest.raises(PinsArgumentError, match="http"):
        pins.board_url("")


def test_feather_is_deprecated_for_writing(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    frame = pd.DataFrame({"x": [1, 2, 3]})
    with pytest.warns(DeprecationWarning, match="type='arrow'"):
        meta = board.pin_write(frame, "f", type="feather")
    assert meta.type == "arrow"
    pd.testing.assert_frame_equal(board.pin_read("f"), frame)
    assert fsspec.filesystem("file").exists(str(tmp_path / "f"))
