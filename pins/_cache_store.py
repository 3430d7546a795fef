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
import errno
import hashlib
import itertools
import json
import logging
import os
import secrets
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, TypeVar

import xxhash

from . import config
from ._files import TMP_PREFIX, atomic_write, discard, remove_empty_parents
from .errors import PinsCacheError, PinsError, PinsHashError, PinsNameError
from .hashing import CHUNK_SIZE, hash_file
from .messages import warn
from .names import META_FILE, path_component, path_name, validate_file_name, validate_version

__all__ = ["CacheEntry", "CacheVanished", "PinsCache", "board_key"]

_log = logging.getLogger("pins")
T = TypeVar("T")

BOARD_FILE = "board.json"
INDEX_DIR = "_index"
_RECORDS = ".verified"
_LAST_USED = ".last_used"
_RESERVED = (_RECORDS, _LAST_USED)
_MARKERS = (META_FILE, _RECORDS, _LAST_USED)  # a folder holding one of these is a version
#: The failures of a cache that cannot be written at all: read-only, no space, a quota.
_UNUSABLE = frozenset(
    {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
)


def board_key(board_id: str) -> str:
    """The name of a board's cache folder: 16 hex characters of sha256(board_id)."""
    return hashlib.sha256(board_id.encode("utf-8")).hexdigest()[:16]


class CacheVanished(PinsCacheError):
    """A folder of the cache vanished while it was written (another process's
    ``cache_prune`` removed the version): what was put is not cached."""


#: What an OSError is when a folder vanished under a write.
_VANISHING = (FileNotFoundError, FileExistsError, NotADirectoryError)


@contextlib.contextmanager
def _os_errors(what: str) -> Iterator[None]:
    """Turn an :class:`OSError` into :class:`PinsCacheError`, the one border of the cache
    (a :class:`~pins.errors.PinsError` passes unchanged)."""
    try:
        yield
    except PinsError:
        raise
    except OSError as exc:
        kind = CacheVanished if isinstance(exc, _VANISHING) else PinsCacheError
        raise kind(
            f"The pins cache could not {what}: {exc}. Check PINS_CACHE_DIR and its "
            "permissions and free space."
        ) from exc


def _settled(step: Callable[[], T]) -> T:
    """``step()``, tried again when a folder it works in vanished meanwhile (a
    ``cache_prune`` in another process removed the version)."""
    for _ in range(3):
        with contextlib.suppress(*_VANISHING):
            return step()
    return step()


def _touch(path: Path) -> None:
    """Mark a version as used now; best effort (a read-only cache still serves)."""
    with contextlib.suppress(OSError):
        path.touch()


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


class PinsCache:
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
        self.board_id = board_id
        self.root = Path(root) if root is not None else config.cache_dir()
        self.path = self.root / board_key(board_id)
        self._spill: PinsCache | None = None  # see _instead
        self._is_spill = False

    def __repr__(self) -> str:
        return f"PinsCache({self.board_id!r}, root={str(self.root)!r})"

    @classmethod
    def in_root(cls, root: str | os.PathLike[str] | None = None) -> list[PinsCache]:
        """The cache of every board in ``root`` (``PINS_CACHE_DIR`` by default). A folder
        whose ``board.json`` cannot be read is a cache whose ``board_id`` is ``""``."""
        where = Path(root) if root is not None else config.cache_dir()
        caches = []
        with _os_errors(f"list {where}"):
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
        if name in _RESERVED or name.startswith(TMP_PREFIX):
            raise PinsNameError(f"Invalid file name {name!r}: the cache reserves that name.")
        return self.version_dir(pin, version) / path_component(name, keep_case=True)

    def _prepare(self, folder: Path | None = None) -> None:
        """Write board.json on the board's first write; create a version folder."""
        board_file = self.path / BOARD_FILE
        if not board_file.exists():
            atomic_write(board_file, json.dumps({"board": self.board_id}).encode("utf-8"))
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ unusable
    def _instead(self, exc: PinsCacheError) -> PinsCache:
        """The cache to use instead of this one when it cannot be written (read-only,
        full): a temporary one, made once with one warning. Any other failure is raised."""
        cause = exc.__cause__
        if not self._unusable(exc) or not isinstance(cause, OSError):
            raise exc
        if self._spill is None:
            with _os_errors("make a temporary cache"):
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
        return not self._is_spill and isinstance(cause, OSError) and cause.errno in _UNUSABLE

    # ------------------------------------------------------------------ metadata
    def get_meta(self, pin: str, version: str) -> bytes | None:
        """The cached data.txt of a version, or None (also when its bytes are not the
        ones stored: then it is dropped, to be fetched again)."""
        path = self.version_dir(pin, version) / META_FILE
        try:
            with _os_errors(f"read {path}"):
                data = _read_or_none(path)
                if data is not None and not self._intact(path, data):
                    _log.warning("The cached %s changed since it was stored: dropped.", path)
                    self._drop(path, path.parent / _RECORDS / path.name)
                    data = None
                if data is not None:
                    _touch(path.parent / _LAST_USED)
        except PinsCacheError as exc:
            return self._instead(exc).get_meta(pin, version)
        if data is None and self._spill is not None:
            return self._spill.get_meta(pin, version)
        return data

    def _intact(self, path: Path, data: bytes) -> bool:
        """Whether ``data`` (read from ``path``) is what was stored there: its xxh64 is
        the one recorded. A data.txt cached before records were kept has none (true)."""
        record = _read_or_none(path.parent / _RECORDS / path.name)
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
            with _os_errors(f"write {folder / META_FILE}"):
                _settled(store)
                _touch(folder / _LAST_USED)
        except CacheVanished as exc:  # pruned while it was put: the caller has the bytes
            _log.debug("Not cached: %s", exc)
        except PinsCacheError as exc:
            self._instead(exc).put_meta(pin, version, data)

    def cached_versions(self, pin: str) -> list[str]:
        """The versions of a pin whose data.txt is cached, in no particular order."""
        pin_dir = self.pin_dir(pin)
        with _os_errors(f"list {pin_dir}"):
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
        with _os_errors(f"list {self.path}"):
            for folder in _version_dirs(self.path):
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
            with _os_errors(f"read {path}"):
                found = self._verified(path, size)
        except PinsCacheError as exc:
            return self._instead(exc).get_file(pin, version, file_name, size)
        if found is None and self._spill is not None:
            return self._spill.get_file(pin, version, file_name, size)
        return found

    def _verified(self, path: Path, size: int | None) -> Path | None:
        record_path = path.parent / _RECORDS / path.name
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
        _touch(path.parent / _LAST_USED)
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
        chunks = _chunks(source)
        try:
            try:
                with _os_errors(f"write {path}"):
                    self._prepare()
                    out = open(tmp, "wb", buffering=0)  # noqa: SIM115 - closed just below
            except PinsCacheError as exc:
                return self._instead(exc).put_file(pin, version, file_name, chunks, expected_hash)
            with out:
                digest, unwritten = _write_all(out, chunks)  # the source's errors pass
            if unwritten is not None:  # the disk filled up (or went read-only) meanwhile
                error, rest = unwritten
                instead = self._instead(_cache_error(error, path))
                rest_of_it = itertools.chain(_chunks(tmp), [rest], chunks)
                return instead.put_file(pin, version, file_name, rest_of_it, expected_hash)
            if expected_hash is not None and digest != expected_hash.strip().lower():
                raise PinsHashError(
                    f"{file_name!r} of pin {pin!r} version {version} has hash {digest}, but "
                    f"its metadata records {expected_hash}: the download is corrupt or the "
                    "server's copy was changed. Nothing was cached."
                )
            try:
                with _os_errors(f"write {path}"):
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

        _settled(move)
        with contextlib.suppress(FileNotFoundError):  # pruned at once: fetched again
            self._record(path, digest)
            _touch(path.parent / _LAST_USED)

    def _record(self, path: Path, digest: str) -> None:
        stat = path.stat()
        record = json.dumps([stat.st_size, stat.st_mtime_ns, digest]).encode("utf-8")
        atomic_write(path.parent / _RECORDS / path.name, record)

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
        with _os_errors(f"read {path}"):
            data = _read_or_none(path)
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
            with _os_errors(f"write {path}"):
                self._prepare()
                atomic_write(path, data)
        except PinsCacheError as exc:
            self._instead(exc).put_json(key, value)

    # ------------------------------------------------------------------ whole versions
    def entries(self) -> list[CacheEntry]:
        """Every version cached for this board (a version deleted meanwhile is skipped)."""
        found = []
        with _os_errors(f"list {self.path}"):
            for folder in _version_dirs(self.path):
                try:
                    files = [p.stat().st_size for p in folder.iterdir() if p.name[0] != "."]
                    marker = folder / _LAST_USED
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
        with _os_errors(f"delete {entry.path}"):
            discard(entry.path)
            remove_empty_parents(entry.path.parent, self.path)

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
            with _os_errors(f"delete {folder}"):
                discard(folder)
                remove_empty_parents(folder.parent, self.path)
        except PinsCacheError as exc:
            if not self._unusable(exc):
                raise
            _log.warning("%s", exc)


def _version_dirs(folder: Path, depth: int = 0) -> Iterator[Path]:
    """Version folders below a board's cache folder (at most four levels deep)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir() or entry.name == INDEX_DIR:
            continue
        path = Path(entry.path)
        if depth > 0 and any((path / marker).exists() for marker in _MARKERS):
            yield path
        elif depth < 4:
            yield from _version_dirs(path, depth + 1)


def _read_or_none(path: Path) -> bytes | None:
    """The bytes of a file, or None when it does not exist."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _cache_error(error: OSError, path: Path) -> PinsCacheError:
    """The :class:`PinsCacheError` of a failure to write ``path`` (chained)."""
    try:
        with _os_errors(f"write {path}"):
            raise error
    except PinsCacheError as exc:
        return exc
    raise AssertionError("unreachable")  # pragma: no cover


def _write_all(out: IO[bytes], chunks: Iterator[bytes]) -> tuple[str, tuple[OSError, bytes] | None]:
    """Write chunks to an unbuffered file; return their xxh64, and when a write failed,
    the error and the bytes of the chunk not written (the file holds what was)."""
    hasher = xxhash.xxh64()
    for chunk in chunks:
        hasher.update(chunk)
        view = memoryview(chunk)
        while view:
            try:
                view = view[out.write(view) or 0 :]
            except OSError as exc:
                return "", (exc, bytes(view))
    return str(hasher.hexdigest()), None


def _chunks(source: str | os.PathLike[str] | bytes | Iterable[bytes]) -> Iterator[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            yield from iter(lambda: handle.read(CHUNK_SIZE), b"")
    else:
        yield from (chunk for chunk in source if chunk)
