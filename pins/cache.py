"""The on-disk cache of remote boards: layout, atomic put, verify, touch, prune, info.

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

Versions are immutable, so a cached version never goes stale; what is checked is that
the bytes on disk are still the bytes that were verified. A file whose size or mtime
changed since it was recorded is hashed again: it is served if the hash still matches,
dropped otherwise (so the caller fetches it again). A change that keeps both the size
and the mtime (someone rewriting bytes in place and resetting the mtime) is not
detected; pass ``hash=`` to a read to check the bytes themselves.

Every write goes to a temporary name starting with ``.`` in the same folder and is
moved into place with :func:`os.replace`, so readers never see half a file and two
processes putting the same file both succeed. Readers ignore names starting with ``.``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xxhash

from . import config
from .errors import PinsCacheError, PinsHashError, PinsNameError
from .hashing import CHUNK_SIZE, hash_file
from .names import validate_file_name, validate_version

if TYPE_CHECKING:
    pass

__all__ = ["PinsCache", "board_key", "cache_info", "cache_prune"]

_log = logging.getLogger("pins")

META_FILE = "data.txt"
BOARD_FILE = "board.json"
INDEX_DIR = "_index"
_RECORDS = ".verified"
_LAST_USED = ".last_used"
_TMP_PREFIX = ".tmp-"
_RESERVED = (_RECORDS, _LAST_USED)
_MARKERS = (META_FILE, _RECORDS, _LAST_USED)  # a folder holding one of these is a version


def board_key(board_id: str) -> str:
    """The name of a board's cache folder: 16 hex characters of sha256(board_id)."""
    return hashlib.sha256(board_id.encode("utf-8")).hexdigest()[:16]


@contextlib.contextmanager
def _os_errors(what: str) -> Iterator[None]:
    """Turn an :class:`OSError` into :class:`PinsCacheError`, the one border of the cache."""
    try:
        yield
    except OSError as exc:
        raise PinsCacheError(
            f"The pins cache could not {what}: {exc}. Check PINS_CACHE_DIR and its "
            "permissions and free space."
        ) from exc


def _tmp_name(path: Path) -> Path:
    return path.with_name(f"{_TMP_PREFIX}{secrets.token_hex(6)}-{path.name}"[:200])


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and one ``os.replace``."""
    tmp = _tmp_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _touch(path: Path) -> None:
    """Mark a version as used now; best effort (a read-only cache still serves)."""
    with contextlib.suppress(OSError):
        path.touch()


def _remove_tree(path: Path) -> None:
    """Hide a folder under a temporary name first, so no reader sees it half-deleted."""
    hidden = _tmp_name(path)
    try:
        os.rename(path, hidden)
    except FileNotFoundError:
        return
    shutil.rmtree(hidden, ignore_errors=True)


def _prune_empty(folder: Path, stop: Path) -> None:
    """Remove ``folder`` and its parents up to (not including) ``stop`` while empty."""
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


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
    """

    def __init__(self, board_id: str, root: str | os.PathLike[str] | None = None) -> None:
        self.board_id = board_id
        self.root = Path(root) if root is not None else config.cache_dir()
        self.path = self.root / board_key(board_id)

    def __repr__(self) -> str:
        return f"PinsCache({self.board_id!r}, root={str(self.root)!r})"

    # ------------------------------------------------------------------ layout
    def pin_dir(self, pin: str) -> Path:
        """The folder of a pin: one level per ``/``-separated component, each validated."""
        if not isinstance(pin, str):
            raise PinsNameError(f"Invalid pin name {pin!r}: it must be a string.")
        parts = [validate_version(part) for part in pin.split("/")]
        if parts[0] in (INDEX_DIR, BOARD_FILE):
            raise PinsNameError(f"Invalid pin name {pin!r}: the cache reserves that name.")
        return self.path.joinpath(*parts)

    def version_dir(self, pin: str, version: str) -> Path:
        """The folder of one version: ``<path>/<pin components...>/<version>/``."""
        return self.pin_dir(pin) / validate_version(version)

    def _file_path(self, pin: str, version: str, file_name: str) -> Path:
        name = validate_file_name(file_name)
        if name in _RESERVED or name.startswith(_TMP_PREFIX):
            raise PinsNameError(f"Invalid file name {name!r}: the cache reserves that name.")
        return self.version_dir(pin, version) / name

    def _prepare(self, folder: Path | None = None) -> None:
        """Write board.json on the board's first write; create and touch a version folder."""
        board_file = self.path / BOARD_FILE
        if not board_file.exists():
            _atomic_write(board_file, json.dumps({"board": self.board_id}).encode("utf-8"))
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            _touch(folder / _LAST_USED)

    # ------------------------------------------------------------------ metadata
    def get_meta(self, pin: str, version: str) -> bytes | None:
        """The cached data.txt of a version, or None."""
        folder = self.version_dir(pin, version)
        with _os_errors(f"read {folder / META_FILE}"):
            try:
                data = (folder / META_FILE).read_bytes()
            except (FileNotFoundError, NotADirectoryError):
                return None
            _touch(folder / _LAST_USED)
        return data

    def put_meta(self, pin: str, version: str, data: bytes) -> None:
        """Store a version's data.txt, atomically."""
        folder = self.version_dir(pin, version)
        with _os_errors(f"write {folder / META_FILE}"):
            self._prepare(folder)
            _atomic_write(folder / META_FILE, data)

    def cached_versions(self, pin: str) -> list[str]:
        """The versions of a pin whose data.txt is cached, in no particular order."""
        pin_dir = self.pin_dir(pin)
        with _os_errors(f"list {pin_dir}"):
            try:
                entries = list(os.scandir(pin_dir))
            except (FileNotFoundError, NotADirectoryError):
                return []
            return [
                e.name
                for e in entries
                if not e.name.startswith(".")
                and e.is_dir()
                and os.path.isfile(os.path.join(e.path, META_FILE))
            ]

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
        record_path = path.parent / _RECORDS / path.name
        with _os_errors(f"read {path}"):
            try:
                stat = path.stat()
                record = json.loads(record_path.read_bytes())
                recorded_size, recorded_mtime, recorded_hash = record
            except (FileNotFoundError, NotADirectoryError):
                return None
            except (ValueError, TypeError):
                _log.warning("Ignoring the unreadable cache record %s.", record_path)
                return None
            changed = (stat.st_size, stat.st_mtime_ns) != (recorded_size, recorded_mtime)
            if changed or (size is not None and stat.st_size != size):
                if hash_file(path) != recorded_hash:
                    _log.warning("Cached %s changed since it was verified: dropped.", path)
                    self._drop(path, record_path)
                    return None
                self._record(path, recorded_hash)
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
        HTTP response body); it is never held in memory whole. When ``expected_hash``
        is given and the xxh64 differs, :class:`PinsHashError` is raised and nothing is
        left behind.
        """
        path = self._file_path(pin, version, file_name)
        hasher = xxhash.xxh64()
        try:
            with _os_errors(f"write {path}"):
                self._prepare(path.parent)
                tmp = _tmp_name(path)
                try:
                    with open(tmp, "wb") as out:
                        for chunk in _chunks(source):
                            hasher.update(chunk)
                            out.write(chunk)
                    digest = str(hasher.hexdigest())
                    if expected_hash is not None and digest != expected_hash.strip().lower():
                        raise PinsHashError(
                            f"{file_name!r} of pin {pin!r} version {version} has hash "
                            f"{digest}, but its metadata records {expected_hash}: the download "
                            "is corrupt or the server's copy was changed. Nothing was cached."
                        )
                    os.replace(tmp, path)
                finally:
                    with contextlib.suppress(FileNotFoundError):
                        tmp.unlink()
                self._record(path, digest)
        except _SourceFailed as failed:  # the caller's error (a network error), unchanged
            assert failed.__cause__ is not None
            raise failed.__cause__ from None
        return path

    def _record(self, path: Path, digest: str) -> None:
        stat = path.stat()
        record = json.dumps([stat.st_size, stat.st_mtime_ns, digest]).encode("utf-8")
        _atomic_write(path.parent / _RECORDS / path.name, record)

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
            try:
                return json.loads(path.read_bytes())
            except FileNotFoundError:
                return None
            except ValueError:
                _log.warning("Ignoring the unreadable cache document %s.", path)
                return None

    def put_json(self, key: str, value: Any) -> None:
        """Store a small JSON document for this board, atomically."""
        path = self._json_path(key)
        data = json.dumps(value, ensure_ascii=False).encode("utf-8")
        with _os_errors(f"write {path}"):
            self._prepare()
            _atomic_write(path, data)

    # ------------------------------------------------------------------ deleting
    def delete_version(self, pin: str, version: str) -> None:
        """Forget one cached version (nothing happens when it is not cached)."""
        folder = self.version_dir(pin, version)
        with _os_errors(f"delete {folder}"):
            _remove_tree(folder)
            _prune_empty(folder.parent, self.path)

    def delete_pin(self, pin: str) -> None:
        """Forget every cached version of a pin."""
        folder = self.pin_dir(pin)
        with _os_errors(f"delete {folder}"):
            _remove_tree(folder)
            _prune_empty(folder.parent, self.path)


class _SourceFailed(Exception):
    """Carries an error raised by a caller's iterable past the cache's OSError border."""


def _chunks(source: str | os.PathLike[str] | bytes | Iterable[bytes]) -> Iterator[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            yield from iter(lambda: handle.read(CHUNK_SIZE), b"")
    else:
        iterator = iter(source)
        while True:
            try:
                chunk = next(iterator)
            except StopIteration:
                return
            except Exception as exc:
                raise _SourceFailed() from exc
            if chunk:
                yield chunk


from ._cache_admin import cache_info, cache_prune  # noqa: E402 - re-exported
