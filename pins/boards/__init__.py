"""Board constructors: where pins live."""

from __future__ import annotations

import os
import tempfile
import weakref
from pathlib import Path
from typing import Any

from .. import config
from ..errors import PinsError
from .base import Board
from .folder import FolderBoard

__all__ = ["Board", "FolderBoard", "board", "board_folder", "board_local", "board_temp"]


def board_folder(
    path: str | os.PathLike[str], versioned: bool = True, allow_pickle_read: bool | None = None
) -> FolderBoard:
    """A board in a folder on this machine or a mounted share.

    Parameters
    ----------
    path
        The folder; created on the first write.
    versioned
        Whether writes keep earlier versions by default.
    allow_pickle_read
        Whether joblib pins may be read (they unpickle, which runs code). ``None``
        defers to ``PINS_ALLOW_PICKLE_READ``.

    Examples
    --------
    >>> import tempfile
    >>> board = board_folder(tempfile.mkdtemp())
    >>> board.pin_write({"a": 1}, "settings").type
    'json'
    >>> board.pin_read("settings")
    {'a': 1}
    """
    return FolderBoard(path, versioned=versioned, allow_pickle_read=allow_pickle_read)


def board_temp(versioned: bool = True, allow_pickle_read: bool | None = None) -> FolderBoard:
    """A board in a new temporary folder, deleted when the board is garbage-collected
    or the interpreter exits."""
    tmp = tempfile.TemporaryDirectory(prefix="pins-board-")
    board = FolderBoard(tmp.name, versioned=versioned, allow_pickle_read=allow_pickle_read)
    weakref.finalize(board, tmp.cleanup)
    return board


def board_local(versioned: bool = True, allow_pickle_read: bool | None = None) -> FolderBoard:
    """The board in this user's data folder: ``PINS_DATA_DIR``, else the platform's
    user data folder for pins (``~/.local/share/pins`` on Linux)."""
    return FolderBoard(config.data_dir(), versioned=versioned, allow_pickle_read=allow_pickle_read)


_FOLDER_PROTOCOLS = ("file", "local")


def board(
    protocol: str,
    path: str | os.PathLike[str] = "",
    versioned: bool = True,
    cache: Any = None,
    allow_pickle_read: bool | None = None,
    storage_options: dict[str, Any] | None = None,
) -> Board:
    """A board named by protocol and path, as ``pins.board("file", "/data/pins")``.

    Supported protocols: ``file`` and ``local`` (a folder).
    """
    if protocol in _FOLDER_PROTOCOLS:
        where = Path(path) if str(path) else config.data_dir()
        return FolderBoard(where, versioned=versioned, allow_pickle_read=allow_pickle_read)
    raise PinsError(
        f"Unknown board protocol {protocol!r}; this version of pins supports "
        f"{', '.join(_FOLDER_PROTOCOLS)}."
    )
