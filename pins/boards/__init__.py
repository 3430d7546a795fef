"""Boards, where pins live: the constructors and the board classes.

pins-python's names of the board classes are kept for type hints and ``isinstance``:
``BaseBoard`` is :class:`Board`, ``BoardRsConnect`` the Connect board and
``BoardManual`` the URL board (these two are imported on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._args import DEFAULT
from ._scanning import PinFiles
from .base import Board
from .constructors import (
    board,
    board_connect,
    board_folder,
    board_local,
    board_rsconnect,
    board_temp,
    board_url,
    board_urls,
)
from .deparse import board_deparse
from .folder import FolderBoard
from .hosted import board_databricks, board_github
from .object_stores import board_azure, board_fsspec, board_gcs, board_memory, board_s3
from .uri import board_from_uri

if TYPE_CHECKING:
    from .connect import ConnectBoard as BoardRsConnect
    from .url import UrlBoard as BoardManual

BaseBoard = Board

__all__ = [
    "DEFAULT",
    "BaseBoard",
    "Board",
    "BoardManual",
    "BoardRsConnect",
    "FolderBoard",
    "PinFiles",
    "board",
    "board_azure",
    "board_connect",
    "board_databricks",
    "board_deparse",
    "board_folder",
    "board_from_uri",
    "board_fsspec",
    "board_gcs",
    "board_github",
    "board_local",
    "board_memory",
    "board_rsconnect",
    "board_s3",
    "board_temp",
    "board_url",
    "board_urls",
]


def __getattr__(name: str) -> Any:
    if name == "BoardRsConnect":
        from .connect import ConnectBoard

        return ConnectBoard
    if name == "BoardManual":
        from .url import UrlBoard

        return UrlBoard
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
