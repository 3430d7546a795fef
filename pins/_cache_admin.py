"""Looking over the whole cache: :func:`cache_info` and :func:`cache_prune`."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from . import config
from .cache import (
    _LAST_USED,
    _MARKERS,
    BOARD_FILE,
    _os_errors,
    _prune_empty,
    _remove_tree,
)
from .errors import PinsArgumentError, PinsArgumentTypeError, PinsCacheError
from .messages import inform

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["cache_info", "cache_prune"]

_log = logging.getLogger("pins")


def _version_dirs(folder: Path, depth: int = 0) -> Iterator[Path]:
    """Version folders below a board's cache folder (at most four levels deep)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        path = Path(entry.path)
        if depth > 0 and any((path / marker).exists() for marker in _MARKERS):
            yield path
        elif depth < 4:
            yield from _version_dirs(path, depth + 1)


def _board_folders(root: Path) -> Iterator[tuple[Path, str | None]]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        board_id = None
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            board_id = json.loads(Path(entry.path, BOARD_FILE).read_bytes()).get("board")
        yield Path(entry.path), board_id


@dataclass(frozen=True)
class _Entry:
    """One cached version, as :func:`cache_info` shows it."""

    board: str | None
    pin: str
    version: str
    files: int
    size_bytes: int
    last_used: datetime
    path: Path


def _entries(root: Path) -> list[_Entry]:
    entries = []
    for board_folder, board_id in _board_folders(root):
        for folder in _version_dirs(board_folder):
            try:  # a version deleted meanwhile is skipped
                files = [p.stat().st_size for p in folder.iterdir() if not p.name.startswith(".")]
                marker = folder / _LAST_USED
                used = (marker if marker.exists() else folder).stat().st_mtime
            except FileNotFoundError:
                continue
            pin = "/".join(folder.parent.relative_to(board_folder).parts)
            when = datetime.fromtimestamp(used, timezone.utc)
            entries.append(_Entry(board_id, pin, folder.name, len(files), sum(files), when, folder))
    return entries


def cache_info(cache_root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every cached version of every remote board, one row each, in ``cache_root``
    (``PINS_CACHE_DIR`` by default).

    Columns: ``board`` (the board's identity), ``pin``, ``version``, ``files`` (the
    number of cached files, data.txt included), ``size_bytes`` and ``last_used`` (UTC).
    """
    import pandas as pd

    where = Path(cache_root) if cache_root is not None else config.cache_dir()
    with _os_errors(f"list {where}"):
        rows = _entries(where)
    columns = ["board", "pin", "version", "files", "size_bytes", "last_used"]
    frame = pd.DataFrame([astuple(r)[:6] for r in rows], columns=columns)
    frame["last_used"] = pd.to_datetime(frame["last_used"], utc=True)
    return frame.astype({"files": "int64", "size_bytes": "int64"})


def cache_prune(
    days: float = 30, cache_root: str | os.PathLike[str] | None = None, prompt: bool = True
) -> list[Path]:
    """Delete cached versions that were not used for ``days`` days, in ``cache_root``
    (``PINS_CACHE_DIR`` by default).

    With ``prompt=True`` ask for confirmation on the terminal; when standard input is
    not a terminal nothing is deleted (pass ``prompt=False`` to delete without asking).
    Returns the version folders that were deleted.
    """
    if isinstance(days, bool) or not isinstance(days, (int, float)) or days < 0:
        raise PinsCacheError(f"days must be a number of at least 0, not {days!r}.")
    if isinstance(cache_root, bool) or not isinstance(cache_root, (str, os.PathLike, type(None))):
        raise PinsArgumentTypeError(
            f"cache_root must be a folder, not {cache_root!r}. The call is "
            "cache_prune(days, cache_root, prompt); pass prompt=False by name."
        )
    if not isinstance(prompt, bool):
        raise PinsArgumentTypeError(f"prompt must be True or False, not {prompt!r}.")
    where = Path(cache_root) if cache_root is not None else config.cache_dir()
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    with _os_errors(f"list {where}"):
        old = [r for r in _entries(where) if r.last_used < cutoff]
    if not old:
        inform(f"No cached version has gone unused for {days} days; nothing to delete.")
        return []
    size_mb = sum(r.size_bytes for r in old) / 1e6
    question = f"Delete {len(old)} versions ({size_mb:.1f} MB)? [y/N] "
    if prompt:
        if not sys.stdin.isatty():
            inform(
                f"cache_prune: {len(old)} versions ({size_mb:.1f} MB) are unused, but "
                "standard input is not a terminal to ask; nothing deleted. Call "
                "cache_prune(prompt=False) to delete them."
            )
            return []
        if input(question).strip().lower() not in ("y", "yes"):
            return []
    deleted = []
    for row in old:
        folder = row.path
        with _os_errors(f"delete {folder}"):
            _remove_tree(folder)
            _prune_empty(folder.parent, where / folder.relative_to(where).parts[0])
        deleted.append(folder)
    inform(f"cache_prune: deleted {len(deleted)} cached versions ({size_mb:.1f} MB).")
    return deleted
