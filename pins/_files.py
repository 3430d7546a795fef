"""Changing files so that no reader sees half a change: the folder board and the cache
both write and delete through these.

* :func:`atomic_write`: write to a hidden temporary name in the same folder, then one
  :func:`os.replace` (readers see the old file or the new one, never a part).
* :func:`discard`: rename a folder to a hidden name first, then delete it (readers see
  the folder or nothing, never half of it).

Hidden names start with ``.``; every reader of a board or of the cache skips them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from pathlib import Path

__all__ = ["atomic_write", "discard", "hidden_name", "remove_empty_parents"]

#: The prefix of every temporary name (a hidden name: readers skip it).
TMP_PREFIX = ".tmp-"


def hidden_name(path: Path) -> Path:
    """A new hidden name beside ``path`` (never more than 200 characters long)."""
    return path.with_name(f"{TMP_PREFIX}{secrets.token_hex(6)}-{path.name}"[:200])


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a hidden temporary file and one ``os.replace``,
    creating the folder when needed."""
    tmp = hidden_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def discard(path: Path) -> bool:
    """Remove a folder so that no reader sees it half-deleted: hide it, then delete it.
    Returns False when it did not exist."""
    hidden = hidden_name(path)
    try:
        os.rename(path, hidden)
    except FileNotFoundError:
        return False
    shutil.rmtree(hidden, ignore_errors=True)
    return True


def remove_empty_parents(folder: Path, stop: Path) -> None:
    """Remove ``folder`` and its parents up to (not including) ``stop`` while they are
    empty; a folder that is not empty (or cannot be removed) ends it."""
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
