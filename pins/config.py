"""Every environment variable pins reads, read in one place and at call time.

| variable | what it does |
|---|---|
| ``PINS_CACHE_DIR`` | root of the on-disk cache of remote boards |
| ``PINS_DATA_DIR`` | folder of :func:`pins.board_local` |
| ``PINS_ALLOW_PICKLE_READ`` | ``1`` allows reading pickle-based pins (joblib) |
| ``PINS_OFFLINE`` | ``1`` makes remote boards answer from the cache only |
| ``PINS_QUIET`` | ``1`` silences the messages pins prints on stderr |
| ``PINS_PROGRESS`` | ``1``: progress bars even when stderr is no terminal; ``0``: never |
| ``PINS_BOARD`` | the ``pins`` command's board (as :func:`pins.board_from_uri` reads it) |
| ``CONNECT_SERVER`` | default Posit Connect server URL |
| ``CONNECT_API_KEY`` | default Posit Connect API key (never logged or stored) |
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = [
    "PINS_ENV_CACHE_DIR",
    "PINS_ENV_DATA_DIR",
    "PINS_ENV_INSECURE_READ",
    "allow_pickle_read",
    "board",
    "cache_dir",
    "connect_api_key",
    "connect_server",
    "data_dir",
    "offline",
    "progress",
    "quiet",
]

#: The names of the variables, under pins-python's names for them.
PINS_ENV_CACHE_DIR = "PINS_CACHE_DIR"
PINS_ENV_DATA_DIR = "PINS_DATA_DIR"
PINS_ENV_INSECURE_READ = "PINS_ALLOW_PICKLE_READ"

APP_NAME = "pins"
#: The folder name of ``board_local()``: pins-python's, so its users find their pins.
DATA_APP_NAME = "pins-py"
_TRUE = {"1", "true", "yes", "on"}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def cache_dir() -> Path:
    """``PINS_CACHE_DIR``, else the platform's user cache folder for pins."""
    value = os.environ.get(PINS_ENV_CACHE_DIR)
    return Path(value) if value else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """``PINS_DATA_DIR``, else the platform's user data folder of pins-python
    (``~/.local/share/pins-py`` on Linux), so that both share ``board_local()``.

    R pins keeps its ``board_local()`` in ``<user data folder>/pins``; set
    ``PINS_DATA_DIR`` there to share it with R.
    """
    value = os.environ.get(PINS_ENV_DATA_DIR)
    return Path(value) if value else Path(platformdirs.user_data_dir(DATA_APP_NAME))


def allow_pickle_read(explicit: bool | None = None) -> bool:
    """The board's own setting when given, else ``PINS_ALLOW_PICKLE_READ``."""
    return explicit if explicit is not None else _flag(PINS_ENV_INSECURE_READ)


def offline(explicit: bool | None = None) -> bool:
    """The board's own setting when given, else ``PINS_OFFLINE``."""
    return explicit if explicit is not None else _flag("PINS_OFFLINE")


def quiet() -> bool:
    """``PINS_QUIET``: whether the messages of :func:`pins.messages.inform` are silenced."""
    return _flag("PINS_QUIET")


def progress() -> bool | None:
    """``PINS_PROGRESS``: True (``1``) shows progress bars even when standard error is
    not a terminal, False (``0``) never; None (unset) decides by the terminal."""
    value = os.environ.get("PINS_PROGRESS", "").strip().lower()
    if not value:
        return None
    return value in _TRUE


def board() -> str | None:
    """``PINS_BOARD``: the board of the ``pins`` command, as :func:`pins.board_from_uri`
    reads it."""
    return os.environ.get("PINS_BOARD", "").strip() or None


def connect_server() -> str | None:
    return os.environ.get("CONNECT_SERVER") or None


def connect_api_key() -> str | None:
    return os.environ.get("CONNECT_API_KEY") or None
