"""Where a remote board's cache keeps things (:class:`CacheFolder`, the base of
:class:`~pins._cache_store.PinsCache`): the folder of each board, pin, version and file
(see the layout in :mod:`pins._cache_store`), and the whole cached versions that
:func:`~pins.cache.cache_info` lists and :func:`~pins.cache.cache_prune` deletes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from . import config
from ._cache_io import os_errors
from ._files import TMP_PREFIX, atomic_write, discard, remove_empty_parents, sweep
from .errors import PinsCacheError, PinsNameError
from .names import META_FILE, path_component, path_name, validate_file_name, validate_version

__all__ = [
    "BOARD_FILE",
    "INDEX_DIR",
    "LAST_USED",
    "RECORDS",
    "CacheEntry",
    "CacheFolder",
    "board_key",
    "version_dirs",
]

F = TypeVar("F", bound="CacheFolder")

BOARD_FILE = "board.json"
INDEX_DIR = "_index"
RECORDS = ".verified"
LAST_USED = ".last_used"
RESERVED = (RECORDS, LAST_USED)
MARKERS = (META_FILE, RECORDS, LAST_USED)  # a folder holding one of these is a version


def board_key(board_id: str) -> str:
    """The name of a board's cache folder: 16 hex characters of sha256(board_id)."""
    return hashlib.sha256(board_id.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class CacheEntry:
    """One cached version, as :func:`pins.cache_info` shows it."""

    board: str | None
    pin: str
    version: str
    files: int
    size_bytes: int
    last_used: datetime
    path: Path


class CacheFolder:
    """The folders of one board's cache (its ``board_id`` and ``root`` as for
    :class:`~pins._cache_store.PinsCache`, which reads and writes in them)."""

    def __init__(self, board_id: str, root: str | os.PathLike[str] | None = None) -> None:
        self.board_id = board_id
        self.root = Path(root) if root is not None else config.cache_dir()
        self.path = self.root / board_key(board_id)

    @classmethod
    def in_root(cls: type[F], root: str | os.PathLike[str] | None = None) -> list[F]:
        """The cache of every board in ``root`` (``PINS_CACHE_DIR`` by default). A folder
        whose ``board.json`` cannot be read is a cache whose ``board_id`` is ``""``."""
        where = Path(root) if root is not None else config.cache_dir()
        caches = []
        with os_errors(f"list {where}"):
            try:
                entries = sorted(os.scandir(where), key=lambda e: e.name)
            except (FileNotFoundError, NotADirectoryError):
                return []
            for entry in entries:
                if entry.name.startswith(".") or not entry.is_dir():
                    continue
                board_id = ""
                with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
                    board_id = str(json.loads(Path(entry.path, BOARD_FILE).read_bytes())["board"])
                cache = cls(board_id, where)
                cache.path = Path(entry.path)
                caches.append(cache)
        return caches

    def sweep(self) -> list[Path]:
        """Remove the temporary files that downloads killed mid-way left in this board's
        folder, once nothing has written to them for an hour; return them."""
        return sweep(self.path, (TMP_PREFIX,))

    # ------------------------------------------------------------------ layout
    def pin_dir(self, pin: str) -> Path:
        """The folder of a pin: one level per ``/``-separated component, each validated."""
        if not isinstance(pin, str):
            raise PinsNameError(f"Invalid pin name {pin!r}: it must be a string.")
        parts = [validate_version(part) for part in pin.split("/")]
        if parts[0] in (INDEX_DIR, BOARD_FILE):
            raise PinsNameError(f"Invalid pin name {pin!r}: the cache reserves that name.")
        return self.path.joinpath(*(path_component(part) for part in parts))

    def version_dir(self, pin: str, version: str) -> Path:
        """The folder of one version: ``<path>/<pin components...>/<version>/``."""
        return self.pin_dir(pin) / path_component(validate_version(version))

    def _file_path(self, pin: str, version: str, file_name: str) -> Path:
        name = validate_file_name(file_name)
        if name in RESERVED or name.startswith(TMP_PREFIX):
            raise PinsNameError(f"Invalid file name {name!r}: the cache reserves that name.")
        return self.version_dir(pin, version) / path_component(name, keep_case=True)

    def _prepare(self, folder: Path | None = None) -> None:
        """Write board.json on the board's first write; create a version folder."""
        board_file = self.path / BOARD_FILE
        if not board_file.exists():
            atomic_write(board_file, json.dumps({"board": self.board_id}).encode("utf-8"))
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def entries(self) -> list[CacheEntry]:
        """Every version cached for this board (a version deleted meanwhile is skipped)."""
        found = []
        with os_errors(f"list {self.path}"):
            for folder in version_dirs(self.path):
                try:
                    files = [p.stat().st_size for p in folder.iterdir() if p.name[0] != "."]
                    marker = folder / LAST_USED
                    used = (marker if marker.exists() else folder).stat().st_mtime
                except FileNotFoundError:
                    continue
                parts = folder.relative_to(self.path).parts
                found.append(
                    CacheEntry(
                        board=self.board_id or None,
                        pin="/".join(path_name(p) for p in parts[:-1]),
                        version=path_name(parts[-1]),
                        files=len(files),
                        size_bytes=sum(files),
                        last_used=datetime.fromtimestamp(used, timezone.utc),
                        path=folder,
                    )
                )
        return found

    def delete_entry(self, entry: CacheEntry) -> None:
        """Forget a version that :meth:`entries` listed."""
        if self.path not in entry.path.parents:
            raise PinsCacheError(f"{entry.path} is not in the cache folder {self.path}.")
        with os_errors(f"delete {entry.path}"):
            discard(entry.path)
            remove_empty_parents(entry.path.parent, self.path)


def version_dirs(folder: Path, depth: int = 0) -> Iterator[Path]:
    """Version folders below a board's cache folder (at most four levels deep)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir() or entry.name == INDEX_DIR:
            continue
        path = Path(entry.path)
        if depth > 0 and any((path / marker).exists() for marker in MARKERS):
            yield path
        elif depth < 4:
            yield from version_dirs(path, depth + 1)
