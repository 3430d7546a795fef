"""Symbolic links that lead out of a board on this machine's disk: the folder board and
an fsspec board on the local filesystem read nothing and write nothing through them.

A path *leads out* when, its links followed, it is not inside the board's folder (its
real path, so that a board folder reached through a link is read as usual). Reading
through such a path raises :class:`~pins.errors.PinsInsecureReadError`, writing
:class:`~pins.errors.PinsInsecureWriteError`; listings skip such folders (and links in a
loop) with a warning, and deleting one removes the link itself, never what it points to.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import PinsInsecureReadError, PinsInsecureWriteError

__all__ = ["leads_out", "refuse_read_out", "refuse_write_out", "skip_links_out", "skipped"]

_log = logging.getLogger("pins")


def leads_out(path: str | Path, root: str) -> bool:
    """Whether ``path``, its links followed, is outside the folder whose real path is
    ``root``.

    >>> leads_out("/data/board/pin", "/data/board"), leads_out("/data/other", "/data/board")
    (False, True)
    """
    real = os.path.realpath(path)
    return real != root and not real.startswith(root.rstrip(os.sep) + os.sep)


def refuse_read_out(path: str | Path, root: str, board: object) -> None:
    """Raise :class:`PinsInsecureReadError` when ``path`` leads out of ``board``."""
    if leads_out(path, root):
        raise PinsInsecureReadError(
            f"{path} leads out of {board!r} (a symbolic link to {os.path.realpath(path)}); "
            "pins reads nothing outside the board."
        )


def refuse_write_out(path: str | Path, root: str, board: object, doing: str) -> None:
    """Raise :class:`PinsInsecureWriteError` when ``path`` leads out of ``board``."""
    if leads_out(path, root):
        raise PinsInsecureWriteError(
            f"Cannot {doing}: {path} is a symbolic link that leads out of {board!r} (to "
            f"{os.path.realpath(path)}), and pins writes nothing outside the board. Nothing "
            "was written; remove the link, or write to another pin name."
        )


def skipped(path: str | Path) -> None:
    """Say that a listing skips ``path``, a link leading out of the board."""
    _log.warning("Skipping %s: a symbolic link that leads out of the board.", path)


def skip_links_out(root: str) -> Callable[[str, Mapping[str, Any]], bool]:
    """A filter for an fsspec listing (``path``, ``info``) of a local board: true, with a
    warning, for an entry that is a link to a folder leading out of the folder ``root``
    (its real path). A file linked out is listed, and refused when it is read."""

    def skip(path: str, info: Mapping[str, Any]) -> bool:
        if not info.get("islink") or os.path.isfile(path) or not leads_out(path, root):
            return False
        skipped(path)
        return True

    return skip
