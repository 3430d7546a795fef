"""The on-disk cache of remote boards: :class:`PinsCache` (layout, atomic put, verify,
touch, list, delete). It is public as :mod:`pins.cache`, which adds
:func:`~pins.cache.cache_info` and :func:`~pins.cache.cache_prune` on top of it.

Each board gets its own folder, named by a hash of the board's identity (protocol and
location, never a secret), so two boards never share entries::

    <root>/<16 hex of sha256(board_id)>/
        board.json                       {"board": "<board_id>"}
        _index/<key>.json                small documents (a manifest, name -> guid lookups)
        <pin components...>/<version>/
            data.txt                     the version's metadata
            <files>                      its files, as fetched
            .verified/<file>             [size, mtime_ns, xxh64] recorded when it was put
            .last_used                   touched on every hit, for pruning

Names become paths through :func:`pins.names.path_component`: a name Windows cannot hold
(``CON``, ``a:b``), and for pins and versions a name that differs from another only in
case, get a path of their own (``%XX`` escapes), so a board written on Linux by anyone
is cached on every system.

Versions are immutable, so a cached version never goes stale; what is checked is that
the bytes on disk are still the bytes that were verified. A cached data.txt (small) is
hashed on every read and dropped when it is not what was stored, so that the caller
fetches it again. A file whose size or mtime changed since it was recorded is hashed
again: it is served if the hash still matches, dropped otherwise. A change that keeps
both the size and the mtime (someone rewriting bytes in place and resetting the mtime)
is not detected; pass ``hash=`` to a read to check the bytes themselves (a read that
fails that check fetches the version once more).

Every write goes to a hidden temporary name and is moved into place (:mod:`pins._files`),
so readers never see half a file and two processes putting the same file both succeed.
A put that fails leaves nothing behind: no file, and no version folder that was not
there before. A ``cache_prune`` that removes a version while it is being put makes the
put create the folder again; one that removes a file a reader was given makes the
reader's open fail, and the board's read starts again.

A cache that cannot be written (a read-only folder, a full disk, a quota) does not stop
the board: with one warning, what it would store goes to a temporary cache that lasts
as long as this object, and reads go through it; what was cached before is still read.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import secrets
import shutil
import tempfile
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import xxhash

from ._cache_folder import (
    INDEX_DIR,
    LAST_USED,
    RECORDS,
    CacheEntry,
    CacheFolder,
    board_key,
    version_dirs,
)
from ._cache_io import (
    UNUSABLE,
    CacheVanished,
    cache_error,
    chunks_of,
    os_errors,
    read_or_none,
    settled,
    touch,
    write_all,
)
from ._files import TMP_PREFIX, atomic_write, discard, remove_empty_parents
from .errors import PinsCacheError, PinsHashError
from .hashing import hash_file
from .messages import warn
from .names import META_FILE, path_name, validate_version

__all__ = ["CacheEntry", "CacheVanished", "PinsCache", "board_key"]

_log = logging.getLogger("pins")
T = TypeVar("T")


class PinsCache(CacheFolder):
    """The cache folder of one remote board.

    Parameters
    ----------
    board_id
        The board's identity, such as ``"url:https://host/board/"`` or
        ``"connect:https://host:3939"``; it must not contain secrets.
    root
        The cache root; ``PINS_CACHE_DIR`` or the platform's cache folder by default.

    Examples
    --------
    >>> import tempfile
    >>> cache = PinsCache("url:https://example.org/board/", root=tempfile.mkdtemp())
    >>> cache.put_meta("cfg", "20240115T120000Z-a8cc8", b"file: cfg.json\\n")
    >>> cache.get_meta("cfg", "20240115T120000Z-a8cc8")
    b'file: cfg.json\\n'
    >>> cache.put_file("cfg", "20240115T120000Z-a8cc8", "cfg.json", b"{}").name
    'cfg.json'
    >>> cache.cached_versions("cfg")
    ['20240115T120000Z-a8cc8']
    >>> [(e.pin, e.version, e.files) for e in cache.entries()]
    [('cfg', '20240115T120000Z-a8cc8', 2)]
    """

    def __init__(self, board_id: str, root: str | os.PathLike[str] | None = None) -> None:
        super().__init__(board_id, root)
        self._spill: PinsCache | None = None  # see _instead
        self._is_spill = False

    def __repr__(self) -> str:
        return f"PinsCache({self.board_id!r}, root={str(self.root)!r})"

    # ------------------------------------------------------------------ unusable
    def _instead(self, exc: PinsCacheError) -> PinsCache:
        """The cache to use instead of this one when it cannot be written (read-only,
        full): a temporary one, made once with one warning. Any other failure is raised."""
        cause = exc.__cause__
        if not self._unusable(exc) or not isinstance(cause, OSError):
            raise exc
        if self._spill is None:
            with os_errors("make a temporary cache"):
                folder = tempfile.mkdtemp(prefix="pins-cache-")
            weakref.finalize(self, shutil.rmtree, folder, True)
            spill = PinsCache(self.board_id, root=folder)
            spill._is_spill = True
            self._spill = spill
            warn(
                f"The pins cache {self.path} cannot be written ({cause.strerror}); what is "
                "read is not cached there but in a temporary cache, deleted when the board "
                "is. Check PINS_CACHE_DIR, its permissions and free space."
            )
        return self._spill

    def _unusable(self, exc: PinsCacheError) -> bool:
        """Whether ``exc`` says that this cache cannot be written at all."""
        cause = exc.__cause__
        return not self._is_spill and isinstance(cause, OSError) and cause.errno in UNUSABLE

    # ------------------------------------------------------------------ metadata
    def get_meta(self, pin: str, version: str) -> bytes | None:
        """The cached data.txt of a version, or None (also when its bytes are not the
        ones stored: then it is dropped, to be fetched again)."""
        path = self.version_dir(pin, version) / META_FILE
        try:
            with os_errors(f"read {path}"):
                data = read_or_none(path)
                if data is not None and not self._intact(path, data):
                    _log.warning("The cached %s changed since it was stored: dropped.", path)
                    self._drop(path, path.parent / RECORDS / path.name)
                    data = None
                if data is not None:
                    touch(path.parent / LAST_USED)
        except PinsCacheError as exc:
            return self._instead(exc).get_meta(pin, version)
        if data is None and self._spill is not None:
            return self._spill.get_meta(pin, version)
        return data

    def _intact(self, path: Path, data: bytes) -> bool:
        """Whether ``data`` (read from ``path``) is what was stored there: its xxh64 is
        the one recorded. A data.txt cached before records were kept has none (true)."""
        record = read_or_none(path.parent / RECORDS / path.name)
        if record is None:
            return True
        try:
            recorded = json.loads(record)[2]
        except (ValueError, TypeError, IndexError, KeyError):
            return False
        return bool(recorded == xxhash.xxh64(data).hexdigest())

    def put_meta(self, pin: str, version: str, data: bytes) -> None:
        """Store a version's data.txt, atomically, with its hash."""
        folder = self.version_dir(pin, version)
        digest = str(xxhash.xxh64(data).hexdigest())

        def store() -> None:
            self._prepare(folder)
            atomic_write(folder / META_FILE, data)
            self._record(folder / META_FILE, digest)

        try:
            with os_errors(f"write {folder / META_FILE}"):
                settled(store)
                touch(folder / LAST_USED)
        except CacheVanished as exc:  # pruned while it was put: the caller has the bytes
            _log.debug("Not cached: %s", exc)
        except PinsCacheError as exc:
            self._instead(exc).put_meta(pin, version, data)

    def cached_versions(self, pin: str) -> list[str]:
        """The versions of a pin whose data.txt is cached, in no particular order."""
        pin_dir = self.pin_dir(pin)
        with os_errors(f"list {pin_dir}"):
            try:
                entries = list(os.scandir(pin_dir))
            except (FileNotFoundError, NotADirectoryError):
                entries = []
            found = [
                path_name(e.name)
                for e in entries
                if not e.name.startswith(".")
                and e.is_dir()
                and os.path.isfile(os.path.join(e.path, META_FILE))
            ]
        if self._spill is not None:
            found += [v for v in self._spill.cached_versions(pin) if v not in found]
        return found

    def cached_pins(self) -> dict[str, list[str]]:
        """Every pin with a cached data.txt, and the versions of it that have one."""
        found: dict[str, list[str]] = {}
        with os_errors(f"list {self.path}"):
            for folder in version_dirs(self.path):
                if (folder / META_FILE).is_file():
                    parts = folder.relative_to(self.path).parts
                    pin = "/".join(path_name(p) for p in parts[:-1])
                    found.setdefault(pin, []).append(path_name(parts[-1]))
        for pin, versions in (self._spill.cached_pins() if self._spill else {}).items():
            found.setdefault(pin, []).extend(v for v in versions if v not in found[pin])
        return found

    # ------------------------------------------------------------------ files
    def get_file(
        self, pin: str, version: str, file_name: str, size: int | None = None
    ) -> Path | None:
        """The path of a cached file, or None when it is missing or no longer verified.

        A file whose size or mtime differs from what was recorded when it was put, or
        whose size is not ``size`` (when given), is hashed again: it is served if the hash
        still matches the recorded one, deleted otherwise. A file with no record is left
        alone but not served.
        """
        path = self._file_path(pin, version, file_name)
        try:
            with os_errors(f"read {path}"):
                found = self._verified(path, size)
        except PinsCacheError as exc:
            return self._instead(exc).get_file(pin, version, file_name, size)
        if found is None and self._spill is not None:
            return self._spill.get_file(pin, version, file_name, size)
        return found

    def _verified(self, path: Path, size: int | None) -> Path | None:
        record_path = path.parent / RECORDS / path.name
        try:
            stat = path.stat()
            recorded_size, recorded_mtime, recorded_hash = json.loads(record_path.read_bytes())
            changed = (stat.st_size, stat.st_mtime_ns) != (recorded_size, recorded_mtime)
            if changed or (size is not None and stat.st_size != size):
                if hash_file(path) != recorded_hash:
                    _log.warning("Cached %s changed since it was verified: dropped.", path)
                    self._drop(path, record_path)
                    return None
                with contextlib.suppress(OSError):  # best effort: it was just verified
                    self._record(path, recorded_hash)
        except (FileNotFoundError, NotADirectoryError):  # not cached, or pruned meanwhile
            return None
        except (ValueError, TypeError):
            _log.warning("Ignoring the unreadable cache record %s.", record_path)
            return None
        touch(path.parent / LAST_USED)
        return path

    def put_file(
        self,
        pin: str,
        version: str,
        file_name: str,
        source: str | os.PathLike[str] | bytes | Iterable[bytes],
        expected_hash: str | None = None,
    ) -> Path:
        """Store a file, hashing it while it streams in; return its cached path.

        ``source`` is a path to copy, bytes, or an iterable of byte chunks (such as an
        HTTP response body, opened before it is given here); it is never held in memory
        whole, and an error it raises is raised unchanged. When ``expected_hash`` is
        given and the xxh64 differs, :class:`PinsHashError` is raised. A put that fails
        leaves nothing behind.
        """
        path = self._file_path(pin, version, file_name)
        # not in the version's folder: a cache_prune that removes it does not take this
        tmp = self.path / f"{TMP_PREFIX}{secrets.token_hex(6)}"
        chunks = chunks_of(source)
        try:
            try:
                with os_errors(f"write {path}"):
                    self._prepare()
                    out = open(tmp, "wb", buffering=0)  # noqa: SIM115 - closed just below
            except PinsCacheError as exc:
                return self._instead(exc).put_file(pin, version, file_name, chunks, expected_hash)
            with out:
                digest, unwritten = write_all(out, chunks)  # the source's errors pass
            if unwritten is not None:  # the disk filled up (or went read-only) meanwhile
                error, rest = unwritten
                instead = self._instead(cache_error(error, path))
                rest_of_it = itertools.chain(chunks_of(tmp), [rest], chunks)
                return instead.put_file(pin, version, file_name, rest_of_it, expected_hash)
            if expected_hash is not None and digest != expected_hash.strip().lower():
                raise PinsHashError(
                    f"{file_name!r} of pin {pin!r} version {version} has hash {digest}, but "
                    f"its metadata records {expected_hash}: the download is corrupt or the "
                    "server's copy was changed. Nothing was cached."
                )
            try:
                with os_errors(f"write {path}"):
                    self._install(tmp, path, digest)
            except PinsCacheError as exc:
                return self._instead(exc).put_file(pin, version, file_name, tmp, expected_hash)
            return path
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
            close = getattr(source, "close", None)
            if callable(close):
                close()

    def _install(self, tmp: Path, path: Path, digest: str) -> None:
        """Move a complete file into its version's folder, with its record."""

        def move() -> None:
            self._prepare(path.parent)
            os.replace(tmp, path)

        settled(move)
        with contextlib.suppress(FileNotFoundError):  # pruned at once: fetched again
            self._record(path, digest)
            touch(path.parent / LAST_USED)

    def _record(self, path: Path, digest: str) -> None:
        stat = path.stat()
        record = json.dumps([stat.st_size, stat.st_mtime_ns, digest]).encode("utf-8")
        atomic_write(path.parent / RECORDS / path.name, record)

    @staticmethod
    def _drop(path: Path, record_path: Path) -> None:
        for stale in (record_path, path):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()

    # ------------------------------------------------------------------ small documents
    def _json_path(self, key: str) -> Path:
        return self.path / INDEX_DIR / f"{validate_version(key)}.json"

    def get_json(self, key: str) -> Any | None:
        """A small JSON document stored for this board, or None (also when unreadable)."""
        path = self._json_path(key)
        with os_errors(f"read {path}"):
            data = read_or_none(path)
        if data is None:
            return self._spill.get_json(key) if self._spill is not None else None
        try:
            return json.loads(data)
        except ValueError:
            _log.warning("Ignoring the unreadable cache document %s.", path)
            return None

    def put_json(self, key: str, value: Any) -> None:
        """Store a small JSON document for this board, atomically."""
        path = self._json_path(key)
        data = json.dumps(value, ensure_ascii=False).encode("utf-8")
        try:
            with os_errors(f"write {path}"):
                self._prepare()
                atomic_write(path, data)
        except PinsCacheError as exc:
            self._instead(exc).put_json(key, value)

    # ------------------------------------------------------------------ whole versions
    def delete_version(self, pin: str, version: str) -> None:
        """Forget one cached version (nothing happens when it is not cached)."""
        self._forget(self.version_dir(pin, version))
        if self._spill is not None:
            self._spill.delete_version(pin, version)

    def delete_pin(self, pin: str) -> None:
        """Forget every cached version of a pin."""
        self._forget(self.pin_dir(pin))
        if self._spill is not None:
            self._spill.delete_pin(pin)

    def _forget(self, folder: Path) -> None:
        """Delete a folder; in a cache that cannot be written, leave it with a warning."""
        try:
            with os_errors(f"delete {folder}"):
                discard(folder)
                remove_empty_parents(folder.parent, self.path)
        except PinsCacheError as exc:
            if not self._unusable(exc):
                raise
            _log.warning("%s", exc)
