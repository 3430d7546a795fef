"""pins: publish, version and share data on boards.

>>> import pins
>>> board = pins.board_temp()
>>> meta = board.pin_write({"alpha": 0.05}, "settings", title="Model settings")
>>> board.pin_read("settings")
{'alpha': 0.05}
>>> board.pin_list()
['settings']
"""

from __future__ import annotations

from . import errors
from .boards import (
    Board,
    FolderBoard,
    PinFiles,
    board,
    board_azure,
    board_connect,
    board_databricks,
    board_deparse,
    board_folder,
    board_from_uri,
    board_fsspec,
    board_gcs,
    board_github,
    board_local,
    board_memory,
    board_rsconnect,
    board_s3,
    board_temp,
    board_url,
    board_urls,
)
from .cache import cache_info, cache_prune
from .errors import (
    PinNotFoundError,
    PinsError,
    PinsHashError,
    PinsInsecureReadError,
    PinsNameError,
    PinsVersionError,
    PinVersionNotFoundError,
)
from .legacy import pin_get_rsconnect, pin_rsconnect
from .meta import Meta, Version

__version__ = "1.0.0.dev0"

__all__ = [
    "Board",
    "FolderBoard",
    "Meta",
    "PinFiles",
    "PinNotFoundError",
    "PinVersionNotFoundError",
    "PinsError",
    "PinsHashError",
    "PinsInsecureReadError",
    "PinsNameError",
    "PinsVersionError",
    "Version",
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
    "cache_info",
    "cache_prune",
    "errors",
    "pin_get_rsconnect",
    "pin_rsconnect",
]
