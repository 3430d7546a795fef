"""Boards, where pins live: the constructors and the board classes."""

from __future__ import annotations

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

__all__ = [
    "DEFAULT",
    "Board",
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
