"""A board on any fsspec filesystem: S3, GCS, Azure, memory, local, in the pins 1.0 layout.

::

    <root>/<pin>/<version>/data.txt
    <root>/<pin>/<version>/<pin>.<ext>

The same layout as :class:`~pins.boards.folder.FolderBoard`, so R pins and
pins-python (``board_s3`` and friends) read what this board writes, and the other way
round.

Object stores have no atomic rename, so a version is committed by uploading its data
files first and ``data.txt`` last: a version folder without ``data.txt`` is not a version,
and readers skip it. Deleting removes ``data.txt`` first for the same reason. On a local
filesystem ``data.txt`` itself goes through a hidden temporary name and one rename. A
write checks that its version id is free first; two writers racing for the same id in
the same second write the same hash prefix, so almost surely the same bytes.
An upload that fails part-way leaves files without a ``data.txt``: invisible, and
overwritten by the next write of that version.

Listing costs one recursive listing of the pin's folder (of the board's, for
``pin_list`` and ``pin_search``): on S3 one ``ListObjectsV2`` page per thousand keys.
Versions never change, so everything read goes through the
:class:`~pins.cache.PinsCache`: a cached version is read without the filesystem, and
a single-file pin's file is checked against its ``pin_hash`` as it enters the cache.

Errors from the filesystem (``OSError`` and botocore's) become
:class:`~pins.errors.PinsError` subclasses in one place, :meth:`FsspecBoard._border`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from fsspec import AbstractFileSystem
from fsspec.asyn import AsyncFileSystem

from ..cache import PinsCache
from ..errors import (
    PinsAuthError,
    PinsConnectionError,
    PinsError,
    PinsMetadataError,
    PinsRemoteError,
    PinsServerError,
    PinsWriteConflictError,
    PinVersionNotFoundError,
)
from ..hashing import CHUNK_SIZE
from ..meta import Meta, Version, dump_yaml, load_yaml
from ..names import MANIFEST_NAME, parse_version_name, validate_pin_name, validate_version
from ._fs_errors import classify
from ._remote import CachedFiles, OfflineFallback
from .base import Board, pin_not_found

__all__ = ["FsspecBoard", "Recipe", "fs_url"]

#: The constructor call that makes a board again, without secrets:
#: (function name, positional arguments, keyword arguments).
Recipe = tuple[str, tuple[Any, ...], dict[str, Any]]

_OLDEST = datetime.min
_LOCAL_PROTOCOLS = ("file", "local")


class FsspecBoard(CachedFiles, OfflineFallback, Board):
    """Pins on an fsspec filesystem. Create it with :func:`pins.board_s3`,
    :func:`pins.board_gcs`, :func:`pins.board_azure` or :func:`pins.board_fsspec`.

    Parameters
    ----------
    fs
        The filesystem.
    root
        The board's folder on it, such as ``"bucket/pins"`` (a protocol prefix is removed).
    cache
        The cache of versions read; a :class:`~pins.cache.PinsCache` keyed by
        ``board_id`` in ``PINS_CACHE_DIR`` when omitted.
    versioned
        Whether writes keep earlier versions by default.
    allow_pickle_read
        Whether joblib pins may be read; ``None`` defers to ``PINS_ALLOW_PICKLE_READ``.
    board_id
        The board's identity in the cache (never a secret): ``<protocol>://<root>``
        by default.
    recipe
        The constructor call that makes this board again, for :func:`pins.board_deparse`.
    """

    def __init__(
        self,
        fs: AbstractFileSystem,
        root: str,
        *,
        cache: PinsCache | None = None,
        versioned: bool = True,
        allow_pickle_read: bool | None = None,
        board_id: str | None = None,
        offline: bool | None = None,
        recipe: Recipe | None = None,
    ) -> None:
        super().__init__(versioned=versioned, allow_pickle_read=allow_pickle_read)
        self._offline = offline
        if not isinstance(fs, AbstractFileSystem):
            raise PinsError(f"FsspecBoard needs an fsspec filesystem, not {fs!r}.")
        self.fs = fs
        protocols = _protocols(fs)
        self.root = str(fs._strip_protocol(str(root))).rstrip("/")
        self.url = fs_url(fs, root)
        self.board_id = board_id if board_id is not None else self.url
        self.cache = cache if cache is not None else PinsCache(self.board_id)
        self._local = any(p in _LOCAL_PROTOCOLS for p in protocols)
        self.recipe = recipe

    def __repr__(self) -> str:
        return f"board_fsspec({self.url!r})"

    # ------------------------------------------------------------------ the border
    @contextmanager
    def _border(
        self, doing: str, not_found: Callable[[], PinsError] | None = None
    ) -> Iterator[None]:
        """Translate filesystem errors into PinsErrors, chaining the original.

        ``not_found`` builds the error for a missing file; without it a missing file
        is a :class:`PinsRemoteError` like any other failure.
        """
        try:
            yield
        except PinsError:
            raise
        except Exception as exc:
            kind = classify(exc)
            if kind is None:
                raise
            where = f"{self!r} could not {doing}"
            if kind == "missing" and not_found is not None:
                raise not_found() from exc
            if kind == "auth":
                raise PinsAuthError(
                    f"{where}: access was refused ({exc}). Check the credentials and the "
                    "permissions they have on this location."
                ) from exc
            if kind == "connection":
                raise PinsConnectionError(
                    f"{where}: the storage service cannot be reached ({exc}). Check the "
                    "endpoint and your network."
                ) from exc
            if kind == "server":
                raise PinsServerError(f"{where}: the storage service failed ({exc}).") from exc
            raise PinsRemoteError(f"{where}: {exc}") from exc

    def _path(self, *parts: str) -> str:
        return "/".join(p for p in (self.root, *parts) if p)  # root "": a repository's root

    def _find(self, folder: str) -> list[str]:
        """Every file below ``folder`` (``[]`` when it does not exist), in one listing.

        fsspec's generic walk drops listing errors (a refused listing would read as an
        empty folder; from fsspec 2023.9 on, unless told ``on_error="raise"``), so such
        filesystems are walked here; object stores list in one flat request and raise
        their errors.
        """
        self._require_online(f"the listing of {folder}")
        try:
            with self._border(f"list {folder}", not_found=_NothingThere):
                self.fs.invalidate_cache(folder)
                found = _walk(self.fs, folder) if _generic_find(self.fs) else self.fs.find(folder)
        except _NothingThere:
            return []
        return [str(p) for p in found]

    def _complete(self, folder: str, depth: int) -> list[list[str]]:
        """The folder paths ``depth`` levels below ``folder`` that hold a data.txt."""
        prefix = folder + "/" if folder else ""
        found = []
        for path in self._find(folder):
            if not path.startswith(prefix):
                continue
            parts = path[len(prefix) :].split("/")
            complete = len(parts) == depth + 1 and parts[-1] == self.meta_file
            if complete and all(_is_candidate(p) for p in parts[:-1]):
                found.append(parts[:-1])
        return found

    # ------------------------------------------------------------------ listing
    def _latest(self, name: str) -> Version:
        if self.offline:
            return self._newest_cached(name, None)
        try:
            return super()._latest(name)
        except PinsConnectionError as exc:
            return self._newest_cached(name, exc)

    def _list_pins(self) -> list[str]:
        return list(self._latest_versions())

    def _latest_versions(self) -> dict[str, Version]:
        return {pin: versions[-1] for pin, versions in self._all_versions().items() if versions}

    def _list_versions(self, name: str) -> list[Version]:
        return _records([version for (version,) in self._complete(self._path(name), 1)])

    def _all_versions(self) -> dict[str, list[Version]]:
        """Every pin's versions, oldest first, from one listing of the whole board."""
        by_pin: dict[str, list[str]] = {}
        for pin, version in self._complete(self.root, 2):
            if pin != MANIFEST_NAME and _is_valid(validate_pin_name, pin):
                by_pin.setdefault(pin, []).append(version)
        return {pin: _records(ids) for pin, ids in sorted(by_pin.items())}

    # ------------------------------------------------------------------ reading
    def _read_meta_text(self, name: str, version: str) -> bytes:
        cached = self.cache.get_meta(name, version)
        if cached is not None:
            return cached
        path = self._path(name, version, self.meta_file)
        self._require_online(f"version {version} of pin {name!r}")
        with self._border(f"read {path}", not_found=lambda: self._missing(name, version)):
            data = bytes(self.fs.cat_file(path))
        if _is_meta(data, name):  # an unreadable one is reported by the caller, not kept
            self.cache.put_meta(name, version, data)
        return data

    def _missing(self, name: str, version: str) -> PinsError:
        if not self._list_versions(name):
            return pin_not_found(name, self)
        return PinVersionNotFoundError(
            f"Pin {name!r} has no version {version!r}; see board.pin_versions({name!r})."
        )

    def _download(self, name: str, version: str, file_name: str, expected: str | None) -> Path:
        path = self._path(name, version, file_name)
        self._require_online(f"the file {file_name!r} of pin {name!r} version {version}")

        def missing() -> PinsError:
            return PinsMetadataError(
                f"Pin {name!r} version {version} lists the file {file_name!r}, which is "
                f"missing from {self!r}."
            )

        with self._border(f"read {path}", not_found=missing), self.fs.open(path, "rb") as handle:
            chunks = iter(lambda: bytes(handle.read(CHUNK_SIZE)), b"")
            return self.cache.put_file(name, version, file_name, chunks, expected)

    def _browse_url(self, name: str, version: str) -> str:
        if self._local:
            return Path(self._path(name, version)).as_uri()
        return f"{self.url}/{name}/{version}/"

    # ------------------------------------------------------------------ writing
    def _store_version(self, name: str, staged: Path, version: str, meta: Meta) -> str:
        version = validate_version(version)
        folder = self._path(name, version)
        if version in (v.version for v in self._list_versions(name)):  # one listing
            if _hash_of(self._read_meta_text(name, version)) == meta.pin_hash:
                return version  # the same content, committed by another writer
            raise PinsWriteConflictError(
                f"Another writer committed version {version} of pin {name!r} with different "
                "content at the same moment. Nothing was lost; write again to add yours."
            )
        with self._border(f"write version {version} of pin {name!r}"):
            if self._local:
                self.fs.makedirs(folder, exist_ok=True)
            for file_name in meta.file_names:  # the data first ...
                self.fs.put_file(str(staged / file_name), f"{folder}/{file_name}")
            target = f"{folder}/{self.meta_file}"  # ... data.txt last: the commit
            if self._local:
                hidden = f"{folder}/.{self.meta_file}.{secrets.token_hex(6)}.tmp"
                self.fs.put_file(str(staged / self.meta_file), hidden)
                self.fs.mv(hidden, target)
            else:
                self.fs.put_file(str(staged / self.meta_file), target)
        return version

    # ------------------------------------------------------------------ deleting
    def _delete_version(self, name: str, version: str) -> None:
        folder = self._path(name, version)
        self._remove([f"{folder}/{self.meta_file}"], folder)
        self.cache.delete_version(name, version)

    def _delete_pin(self, name: str) -> None:
        folder = self._path(name)
        commits = [f"{folder}/{'/'.join(v)}/{self.meta_file}" for v in self._complete(folder, 1)]
        self._remove(commits, folder)
        self.cache.delete_pin(name)

    def _remove(self, commits: list[str], folder: str) -> None:
        """Remove the data.txt files first (the versions vanish at once), then the rest."""
        for step in (commits, folder):
            if not step:
                continue
            try:
                with self._border(f"delete {folder}", not_found=_NothingThere):
                    self.fs.rm(step, recursive=isinstance(step, str))
            except _NothingThere:
                pass  # deleted meanwhile
        self.fs.invalidate_cache(folder)

    # ------------------------------------------------------------------ manifest
    def write_board_manifest(self) -> dict[str, list[str]]:
        """Write ``_pins.yaml``: every pin and its version folders, oldest first.

        The board can then be read over HTTP(S) with :func:`pins.board_url` (a bucket
        served as a static website, for instance). Returns the manifest written.
        """
        manifest = {
            name: [f"{name}/{v.version}/" for v in versions]
            for name, versions in self._all_versions().items()
        }
        path = self._path(MANIFEST_NAME)
        with self._border(f"write {path}"):
            if self._local:
                self.fs.makedirs(self.root, exist_ok=True)
            self.fs.pipe_file(path, dump_yaml(manifest).encode("utf-8"))
        return manifest


# ---------------------------------------------------------------------- helpers
def fs_url(fs: AbstractFileSystem, root: str) -> str:
    """A board's location as ``<protocol>://<root>``: its default identity in the cache.

    >>> import fsspec
    >>> fs_url(fsspec.filesystem("memory"), "memory://team/pins/")
    'memory:///team/pins'
    """
    return f"{_protocols(fs)[0]}://{str(fs._strip_protocol(str(root))).rstrip('/')}"


def _protocols(fs: AbstractFileSystem) -> tuple[str, ...]:
    return (fs.protocol,) if isinstance(fs.protocol, str) else tuple(fs.protocol)


class _NothingThere(PinsError):
    """Internal: a missing file where missing is an answer, not an error."""


def _generic_find(fs: AbstractFileSystem) -> bool:
    """Whether ``fs.find`` is fsspec's generic walk (which accepts ``on_error``)."""
    if isinstance(fs, AsyncFileSystem):
        return type(fs)._find is AsyncFileSystem._find
    return type(fs).find is AbstractFileSystem.find


def _walk(fs: AbstractFileSystem, folder: str) -> list[str]:
    """Every file below ``folder``, one ``ls`` per folder; a listing error is raised."""
    files: list[str] = []
    todo = [folder.rstrip("/")]
    while todo:
        here = todo.pop()
        for info in fs.ls(here, detail=True):
            name = str(info["name"]).rstrip("/")
            if info["type"] == "directory":
                if name != here:  # some filesystems list a folder within itself
                    todo.append(name)
            else:
                files.append(name)
    return sorted(files)


def _is_meta(data: bytes, name: str) -> bool:
    try:
        return isinstance(load_yaml(data, f"data.txt of pin {name!r}"), dict)
    except PinsMetadataError:
        return False


def _hash_of(data: bytes) -> str | None:
    try:
        return Meta.from_yaml(data).pin_hash
    except PinsMetadataError:
        return None


def _is_candidate(name: str) -> bool:
    return bool(name) and not name.startswith(".")


def _is_valid(check: Callable[[str], str], name: str) -> bool:
    try:
        check(name)
    except PinsError:
        return False
    return True


def _records(ids: list[str]) -> list[Version]:
    """Version records of the valid ids, oldest first (as the folder board orders them)."""
    versions = []
    for version in ids:
        if not _is_valid(validate_version, version):
            continue
        parsed = parse_version_name(version)
        if parsed is None:
            versions.append(Version(version=version))
        else:
            versions.append(Version(version=version, created=parsed[0], hash=parsed[1]))
    versions.sort(key=_version_order)
    return versions


def _version_order(version: Version) -> tuple[datetime, str]:
    created = version.created.replace(tzinfo=None) if version.created else _OLDEST
    return created, version.version
