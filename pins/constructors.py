"""The board constructors, under the module name pins-python gives them
(``from pins.constructors import board_folder``); the same functions as ``pins.*``."""

from __future__ import annotations

from .boards import (
    board,
    board_azure,
    board_connect,
    board_databricks,
    board_deparse,
    board_folder,
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

__all__ = [
    "board",
    "board_azure",
    "board_connect",
    "board_databricks",
    "board_deparse",
    "board_folder",
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
