"""The on-disk cache of remote boards: :class:`PinsCache` (one board's folder, see
:mod:`pins._cache_store` for its layout), and looking over the whole cache with
:func:`cache_info` and :func:`cache_prune`, which use :class:`PinsCache`'s public
methods only (``in_root``, ``entries``, ``delete_entry``).
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ._cache_store import CacheEntry, PinsCache, board_key
from .errors import PinsArgumentTypeError, PinsCacheError
from .messages import inform

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CacheEntry", "PinsCache", "board_key", "cache_info", "cache_prune"]


def _entries(cache_root: str | os.PathLike[str] | None) -> list[tuple[PinsCache, CacheEntry]]:
    return [(cache, entry) for cache in PinsCache.in_root(cache_root) for entry in cache.entries()]


def cache_info(cache_root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every cached version of every remote board, one row each, in ``cache_root``
    (``PINS_CACHE_DIR`` by default).

    Columns: ``board`` (the board's identity), ``pin``, ``version``, ``files`` (the
    number of cached files, data.txt included), ``size_bytes`` and ``last_used`` (UTC).

    Raises
    ------
    PinsCacheError
        The cache folder cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> cache = PinsCache("url:https://example.org/board/", root=tempfile.mkdtemp())
    >>> cache.put_meta("cfg", "20240115T120000Z-a8cc8", b"file: cfg.json\\n")
    >>> cache_info(cache.root)[["board", "pin", "files"]].values.tolist()
    [['url:https://example.org/board/', 'cfg', 1]]
    """
    import pandas as pd

    rows = [
        [e.board, e.pin, e.version, e.files, e.size_bytes, e.last_used]
        for _, e in _entries(cache_root)
    ]
    columns = ["board", "pin", "version", "files", "size_bytes", "last_used"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["last_used"] = pd.to_datetime(frame["last_used"], utc=True)
    return frame.astype({"files": "int64", "size_bytes": "int64"})


def cache_prune(
    days: float = 30, cache_root: str | os.PathLike[str] | None = None, prompt: bool = True
) -> list[Path]:
    """Delete cached versions that were not used for ``days`` days, in ``cache_root``
    (``PINS_CACHE_DIR`` by default).

    With ``prompt=True`` ask for confirmation on the terminal; when standard input is
    not a terminal nothing is deleted (pass ``prompt=False`` to delete without asking).
    Returns the version folders that were deleted. Temporary files that downloads killed
    mid-way left, an hour old, are removed in any case.

    Raises
    ------
    PinsCacheError
        ``days`` is not a number of at least 0, or the cache cannot be changed.
    PinsArgumentTypeError
        ``cache_root`` or ``prompt`` of the wrong kind.

    Examples
    --------
    >>> import tempfile
    >>> cache_prune(days=30, cache_root=tempfile.mkdtemp(), prompt=False)
    []
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
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    for cache in PinsCache.in_root(cache_root):
        cache.sweep()  # what killed downloads left
    old = [(cache, e) for cache, e in _entries(cache_root) if e.last_used < cutoff]
    if not old:
        inform(f"No cached version has gone unused for {days} days; nothing to delete.")
        return []
    size_mb = sum(e.size_bytes for _, e in old) / 1e6
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
    for cache, entry in old:
        cache.delete_entry(entry)
    inform(f"cache_prune: deleted {len(old)} cached versions ({size_mb:.1f} MB).")
    return [entry.path for _, entry in old]
