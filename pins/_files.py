"""Changing files so that no reader sees half a change: the folder board and the cache
both write and delete through these.

* :func:`atomic_write`: write to a hidden temporary name in the same folder, then one
  :func:`os.replace` (readers see the old file or the new one, never a part).
* :func:`discard`: rename a folder to a hidden name first, then delete it (readers see
  the folder or nothing, never half of it). A symbolic link is removed itself: what it
  points to is never touched.
* :func:`sweep`: remove what writers that were killed left behind (hidden staging
  folders, temporary files, folders hidden to be deleted) once it is older than
  :data:`LEFTOVER_AGE`, so that no live writer's files are taken.
* :func:`temp_folder`: a private folder in the system's temporary folder (where writes to
  object stores and Posit Connect stage a version and its bundle), named with the
  process id; now and then those that killed processes left are swept, once nothing
  wrote to them for :data:`LEFTOVER_AGE` and (where the system can tell) the process that
  made them is gone.

Hidden names start with ``.``; every reader of a board or of the cache skips them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = [
    "LEFTOVER_AGE",
    "TMP_PREFIX",
    "atomic_write",
    "discard",
    "hidden_name",
    "remove_empty_parents",
    "sweep",
    "temp_folder",
]

#: The prefix of every temporary name (a hidden name: readers skip it).
TMP_PREFIX = ".tmp-"
#: Seconds after which a hidden leftover nobody has written to belongs to a writer that
#: died: no write goes an hour without touching its staging folder's files.
LEFTOVER_AGE = 3600.0
#: The prefixes of the folders pins makes in the system's temporary folder.
TEMP_PREFIXES = ("pins-staging-", "pins-bundle-")
#: Seconds between two sweeps of the system's temporary folder by one process.
_TEMP_SWEEP_EVERY = 600.0
_temp_swept: float | None = None  # when this process last swept it (time.monotonic)


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
    if os.path.islink(path):
        try:
            os.unlink(path)
        except FileNotFoundError:
            return False
        return True
    hidden = hidden_name(path)
    try:
        os.rename(path, hidden)
    except FileNotFoundError:
        return False
    shutil.rmtree(hidden, ignore_errors=True)
    return True


def _last_written(path: str) -> float:
    """The newest mtime of ``path`` and, for a folder, of what it holds (a live writer
    keeps writing the files of its staging folder, not the folder itself)."""
    newest = os.lstat(path).st_mtime
    if os.path.isdir(path) and not os.path.islink(path):
        with os.scandir(path) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    newest = max(newest, entry.stat(follow_symlinks=False).st_mtime)
    return newest


def sweep(
    folder: Path,
    prefixes: tuple[str, ...],
    age: float = LEFTOVER_AGE,
    keep: Callable[[str], bool] | None = None,
) -> list[Path]:
    """Remove the entries of ``folder`` whose names start with one of ``prefixes`` (hidden
    names, or pins' own in the system's temporary folder) and that nothing wrote for
    ``age`` seconds, unless ``keep(name)``; return them. Best effort: what cannot be
    listed or removed is left for the next time."""
    assert all(p.startswith(".") or p in TEMP_PREFIXES for p in prefixes), "only ours"
    removed = []
    cutoff = time.time() - age
    try:
        with os.scandir(folder) as scan:
            entries = [e for e in scan if e.name.startswith(prefixes)]
    except OSError:
        return []
    for entry in entries:
        try:
            if _last_written(entry.path) > cutoff or (keep is not None and keep(entry.name)):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def remove_empty_parents(folder: Path, stop: Path) -> None:
    """Remove ``folder`` and its parents up to (not including) ``stop`` while they are
    empty; a folder that is not empty (or cannot be removed) ends it."""
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


@contextlib.contextmanager
def temp_folder(prefix: str) -> Iterator[Path]:
    """A new private folder in the system's temporary folder, removed afterwards; its
    name is ``prefix`` (one of :data:`TEMP_PREFIXES`), this process's id and a random
    part. Every :data:`_TEMP_SWEEP_EVERY` seconds at most, the folders that killed
    processes left there are swept first."""
    _sweep_temp()
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _sweep_temp() -> None:
    global _temp_swept
    now = time.monotonic()
    if _temp_swept is not None and now - _temp_swept < _TEMP_SWEEP_EVERY:
        return
    _temp_swept = now
    # where it cannot be told whether a process runs, a day without a write is the sign
    age = LEFTOVER_AGE if os.name == "posix" else 24 * LEFTOVER_AGE
    sweep(Path(tempfile.gettempdir()), TEMP_PREFIXES, age, keep=_maker_runs)


def _maker_runs(name: str) -> bool:
    """Whether the process that made the temporary folder ``name`` may still run: the
    process id in its name is that of a live process. Names without one (made by older
    versions) and systems that cannot tell are judged by age alone."""
    prefix = next((p for p in TEMP_PREFIXES if name.startswith(p)), "")
    pid = name[len(prefix) :].split("-", 1)[0]
    if os.name != "posix" or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except (OverflowError, OSError):  # PermissionError: another user's; else unclear
        return True
    return True
