"""``Board.pin_browse``: find the address of a pin version and open it in the browser."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..messages import inform
from ._checks import version_id

if TYPE_CHECKING:
    from .base import Board

__all__ = ["browse"]

_BROWSABLE = ("http", "https", "file")


def browse(board: Board, name: str, version: str | None, local: bool, open_it: bool) -> str:
    """The address :meth:`~pins.boards.base.Board.pin_browse` returns, opened with
    :mod:`webbrowser` when ``open_it``."""
    meta = board.pin_meta(name, version)
    pin, found = meta.name or name, version_id(meta)
    if local:
        paths = board._fetch_files(pin, found, meta)
        url = Path(paths[0]).resolve().parent.as_uri()
    else:
        url = board._browse_url(pin, found)
    if open_it:
        if urlsplit(url).scheme in _BROWSABLE:
            webbrowser.open(url)
        else:
            inform(
                f"{url} cannot be opened in a web browser; pin_browse(..., local=True) opens "
                "the local copy."
            )
    return url
