"""Every environment variable pins reads, read in one place and at call time.

==========================  =====================================================
``PINS_CACHE_DIR``          root of the on-disk cache of remote boards
``PINS_DATA_DIR``           folder of :func:`pins.board_local`
``PINS_ALLOW_PICKLE_READ``  ``1`` allows reading pickle-based pins (joblib)
``PINS_OFFLINE``            ``1`` makes remote boards answer from the cache only
``CONNECT_SERVER``          default Posit Connect server URL
``CONNECT_API_KEY``         default Posit Connect API key (never logged or stored)
==========================  =====================================================
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = [
    "allow_pickle_read",
    "cache_dir",
    "connect_api_key",
    "connect_server",
    "data_dir",
    "offline",
]

APP_NAME = "pins"
_TRUE = {"1", "true", "yes", "on"}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def cache_dir() -> Path:
    """``PINS_CACHE_DIR``, else the platform's user cache folder for pins."""
    value = os.environ.get("PINS_CACHE_DIR")
    return Path(value) if value else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """``PINS_DATA_DIR``, else the platform's user data folder for pins."""
    value = os.environ.get("PINS_DATA_DIR")
    return Path(value) if value else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def allow_pickle_read(explicit: bool | None = None) -> bool:
    """The board's own setting when given, else ``PINS_ALLOW_PICKLE_READ``."""
    return explicit if explicit is not None else _flag("PINS_ALLOW_PICKLE_READ")


def offline(explicit: bool | None = None) -> bool:
    """The board's own setting when given, else ``PINS_OFFLINE``."""
    return explicit if explicit is not None else _flag("PINS_OFFLINE")


def connect_server() -> str | None:
    return os.environ.get("CONNECT_SERVER") or None


def connect_api_key() -> str | None:
    return os.environ.get("CONNECT_API_KEY") or None
