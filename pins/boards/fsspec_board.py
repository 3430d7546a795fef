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

On the local filesystem (``board_fsspec("file://...")``) nothing is read from or written
to outside the board's folder, as on a folder board (:mod:`._links`): pin and version
folders that are symbolic links leading out of it are not listed, reading through one
raises :class:`~pins.errors.PinsInsecureReadError`, writing
:class:`~pins.errors.PinsInsecureWriteError`, and deleting one removes the link only.

Listing costs one recursive listing of the pin's folder (of the board's, for
``pin_list`` and ``pin_search``): on S3 one ``ListObjectsV2`` page per thousand keys.
Versions never change, so everything read goes through the
:class:`~pins.cache.PinsCache`: a cached version is read without the filesystem, and
a single-file pin's file is checked against its ``pin_hash`` as it enters the cache.

Errors from the filesystem (``OSError`` and botocore's) become
:class:`~pins.errors.PinsError` subclasses in one place,
:meth:`~pins.boards._layout.LayoutBoard._border`, which the folder board shares
(:mod:`._fs_errors`); the cached read path and the offline fallback are every remote
board's (:mod:`._remote`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Literal

from fsspec import AbstractFileSystem
from fsspec.asyn import AsyncFileSystem

from .. import _progress
from .._files import discard
from ..cache import PinsCache
from ..errors import PinsArgumentTypeError, PinsError, PinsStorageError, PinsWriteConflictError
from ..hashing import CHUNK_SIZE
from ..meta import Meta, Version
from ..names import MANIFEST_NAME, META_FILE, validate_version
from ._fs_errors import Missing
from ._layout import LayoutBoard, is_candidate, is_pin_name, version_records
from ._links import leads_out, refuse_read_out, refuse_write_out, skip_links_out, skipped
from ._readonly import ReadOnly
from ._remote import RemoteBoard
from ._scanning import InPlace
from ._store_options import protocol_place_options

__all__ = ["FsspecBoard", "GithubBoard", "Recipe", "fs_url"]

#: The constructor call that makes a board again, without secrets:
#: (function name, positional arguments, keyword arguments).
Recipe = tuple[str, tuple[Any, ...], dict[str, Any]]

_LOCAL_PROTOCOLS = ("file", "local")
#: How many times an empty listing of a local pin folder that exists is taken.
_LISTINGS = 4


class FsspecBoard(RemoteBoard, LayoutBoard):
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
            raise PinsArgumentTypeError(f"FsspecBoard needs an fsspec filesystem, not {fs!r}.")
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

    @property
    def board(self) -> str:
        """The board's folder on the filesystem, without protocol (pins-python's
        ``board.board``)."""
        return self.root

    def _path(self, *parts: str) -> str:
        return "/".join(p for p in (self.root, *parts) if p)  # root "": a repository's root

    # ------------------------------------------------------------------ links (local only)
    def _real_root(self) -> str:
        return os.path.realpath(self.root)

    def _linked_out(self, path: str) -> bool:
        """Whether ``path`` (local boards only) is a symbolic link leading out of the board."""
        return self._local and os.path.islink(path) and leads_out(path, self._real_root())

    def _read_inside(self, path: str) -> None:
        if self._local:
            refuse_read_out(path, self._real_root(), self)

    def _find(self, folder: str) -> list[str]:
        """Every file below ``folder`` (``[]`` when it does not exist), in one listing.

        fsspec's generic walk drops listing errors (a refused listing would read as an
        empty folder; from fsspec 2023.9 on, unless told ``on_error="raise"``), so such
        filesystems are walked here; object stores list in one flat request and raise
        their errors.
        """
        self._require_online(f"the listing of {folder}")
        try:
            with self._border(f"list {folder}", not_found=Missing):
                self.fs.invalidate_cache(folder)
                if _generic_find(self.fs):
                    found = _walk(
                        self.fs, folder, self._local and skip_links_out(self._real_root())
                    )
                else:
                    found = self.fs.find(folder)
        except Missing:
            return []
        if folder == self.root and [str(p).rstrip("/") for p in found] == [folder]:
            raise PinsStorageError(f"{self!r} cannot be read: {folder} is not a folder.")
        return [str(p) for p in found]

    def _complete(self, folder: str, depth: int) -> list[list[str]]:
        """The folder paths ``depth`` levels below ``folder`` that hold a data.txt."""
        prefix = folder + "/" if folder else ""
        found = []
        for path in self._find(folder):
            if not path.startswith(prefix):
                continue
            parts = path[len(prefix) :].split("/")
            complete = len(parts) == depth + 1 and parts[-1] == META_FILE
            if complete and all(is_candidate(p) for p in parts[:-1]):
                found.append(parts[:-1])
        return found

    # ------------------------------------------------------------------ listing
    def _list_versions(self, name: str) -> list[Version]:
        folder = self._path(name)
        if self._linked_out(folder):
            skipped(folder)
            return []
        for _ in range(_LISTINGS if self._local else 1):
            versions = version_records(version for (version,) in self._complete(folder, 1))
            if versions or not self._local or not self.fs.isdir(folder):
                return versions
        return []  # a local listing can miss a version renamed in (see FolderBoard._scan)

    def _all_versions(self) -> dict[str, list[Version]]:
        """Every pin's versions, oldest first, from one listing of the whole board."""
        by_pin: dict[str, list[str]] = {}
        for pin, version in self._complete(self.root, 2):
            if is_pin_name(pin):
                by_pin.setdefault(pin, []).append(version)
        return {pin: version_records(ids) for pin, ids in by_pin.items()}

    def _root_names(self) -> list[str]:
        self._require_online("the listing of the board")
        try:
            with self._border(f"list {self.root}", not_found=Missing):
                self.fs.invalidate_cache(self.root)
                found = self.fs.ls(self.root, detail=False)
        except Missing:
            return []
        return [str(path).rstrip("/").rsplit("/", 1)[-1] for path in found]

    # ------------------------------------------------------------------ reading
    def _fetch_meta(self, name: str, version: str) -> bytes | None:
        path = self._path(name, version, META_FILE)
        self._read_inside(path)
        try:
            with self._border(f"read {path}", not_found=Missing):
                return bytes(self.fs.cat_file(path))
        except Missing:
            return None

    def _open_file(self, name: str, version: str, file_name: str) -> Iterator[bytes] | None:
        path = self._path(name, version, file_name)
        self._read_inside(path)
        try:
            with self._border(f"read {path}", not_found=Missing):
                handle = self.fs.open(path, "rb")
        except Missing:
            return None
        return self._chunks(path, handle)

    def _chunks(self, path: str, handle: Any) -> Iterator[bytes]:
        try:
            with self._border(f"read {path}"):
                yield from iter(lambda: bytes(handle.read(CHUNK_SIZE)), b"")
        finally:
            handle.close()

    def _in_place(self, name: str, version: str, meta: Meta) -> InPlace | None:
        if self.offline:
            return None  # the cached copy, or the offline error
        paths = [self._path(name, version, f) for f in meta.file_names]
        if self._local:
            for path in paths:
                self._read_inside(path)
            uris = [Path(p).absolute().as_uri() for p in paths]
            return InPlace(None, paths, uris, {})
        self.fs.invalidate_cache(self._path(name, version))  # not an old listing's ETag
        options = protocol_place_options(_protocols(self.fs), self.fs.storage_options)
        uris = [str(self.fs.unstrip_protocol(p)) for p in paths]
        return InPlace(self.fs, paths, uris, options)

    def _reading_in_place(
        self, what: str, not_found: Callable[[], PinsError]
    ) -> AbstractContextManager[None]:
        return self._border(f"read {what}", not_found=not_found)

    def _browse_url(self, name: str, version: str) -> str:
        if self._local:
            return Path(self._path(name, version)).as_uri()
        return f"{self.url}/{name}/{version}/"

    # ------------------------------------------------------------------ writing
    def _store_version(self, name: str, staged: Path, version: str, meta: Meta) -> str:
        version = validate_version(version)
        folder = self._path(name, version)
        for path in (self._path(name), folder) if self._local else ():
            refuse_write_out(path, self._real_root(), self, f"write pin {name!r}")
        if version in (v.version for v in self._list_versions(name)):  # one listing
            if _hash_of(self._fetch_meta(name, version)) == meta.pin_hash:
                return version  # the same content, committed by another writer
            raise PinsWriteConflictError(
                f"Another writer committed version {version} of pin {name!r} with different "
                "content at the same moment. Nothing was lost; write again to add yours."
            )
        with self._border(f"write version {version} of pin {name!r}"):
            if self._local:
                self.fs.makedirs(folder, exist_ok=True)
            for file_name in meta.file_names:  # the data first ...
                with _progress.fsspec_callback(f"upload {file_name}") as bar:
                    self.fs.put_file(str(staged / file_name), f"{folder}/{file_name}", callback=bar)
            target = f"{folder}/{META_FILE}"  # ... data.txt last: the commit
            if self._local:
                hidden = f"{folder}/.tmp-{secrets.token_hex(6)}-{META_FILE}"
                self.fs.put_file(str(staged / META_FILE), hidden)
                self.fs.mv(hidden, target)
            else:
                self.fs.put_file(str(staged / META_FILE), target)
        return version

    # ------------------------------------------------------------------ deleting
    def _delete_version(self, name: str, version: str) -> None:
        folder = self._path(name, version)
        if self._local and os.path.islink(folder):  # the link, never what it points to
            discard(Path(folder))
        self._remove([f"{folder}/{META_FILE}"], folder)
        self.cache.delete_version(name, version)

    def _delete_pin(self, name: str) -> None:
        folder = self._path(name)
        if self._local and os.path.islink(folder):  # the link, never what it points to
            discard(Path(folder))
        commits = [f"{folder}/{'/'.join(v)}/{META_FILE}" for v in self._complete(folder, 1)]
        self._remove(commits, folder)
        self.cache.delete_pin(name)

    def _remove(self, commits: list[str], folder: str) -> None:
        """Remove the data.txt files first (the versions vanish at once), then the rest."""
        for step in (commits, folder):
            if not step:
                continue
            try:
                with self._border(f"delete {folder}", not_found=Missing):
                    self.fs.rm(step, recursive=isinstance(step, str))
            except Missing:
                pass  # deleted meanwhile
        self.fs.invalidate_cache(folder)

    # ------------------------------------------------------------------ manifest
    def _write_manifest(self, data: bytes) -> None:
        path = self._path(MANIFEST_NAME)
        if self._local and os.path.islink(path):  # replaced, never written through
            discard(Path(path))
        with self._border(f"write {path}"):
            if self._local:
                self.fs.makedirs(self.root, exist_ok=True)
            self.fs.pipe_file(path, data)


class GithubBoard(ReadOnly, FsspecBoard):
    """A board folder in a GitHub repository, read-only. Create it with
    :func:`pins.board_github`."""

    def __repr__(self) -> str:
        org, repo, _ = self._github()
        return f"board_github({org!r}, {repo!r}, {self.root!r})"

    def _github(self) -> tuple[str, str, str]:
        return str(self.fs.org), str(self.fs.repo), str(getattr(self.fs, "root", "HEAD"))

    def _browse_url(self, name: str, version: str) -> str:
        org, repo, ref = self._github()
        folder = "/".join(p for p in (self.root.strip("/"), name, version) if p)
        return f"https://github.com/{org}/{repo}/tree/{ref}/{folder}"

    def _read_only_advice(self) -> str:
        return "Write to a clone of the repository with board_folder, then commit and push."


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


def _generic_find(fs: AbstractFileSystem) -> bool:
    """Whether ``fs.find`` is fsspec's generic walk (which accepts ``on_error``)."""
    if isinstance(fs, AsyncFileSystem):
        return type(fs)._find is AsyncFileSystem._find
    return type(fs).find is AbstractFileSystem.find


def _walk(
    fs: AbstractFileSystem,
    folder: str,
    skip: Callable[[str, Mapping[str, Any]], bool] | Literal[False] = False,
) -> list[str]:
    """Every file below ``folder``, one ``ls`` per folder, leaving out the entries
    ``skip(path, info)`` is true of; a listing error is raised."""
    files: list[str] = []
    todo = [folder.rstrip("/")]
    while todo:
        here = todo.pop()
        try:
            listing = fs.ls(here, detail=True)
        except NotADirectoryError:  # a file: fsspec before 2024.2 does not list one
            listing = [fs.info(here)]
        for info in listing:
            name = str(info["name"]).rstrip("/")
            if skip and skip(name, info):
                continue
            if info["type"] == "directory":
                if name != here:  # some filesystems list a folder within itself
                    todo.append(name)
            else:
                files.append(name)
    return sorted(files)


def _hash_of(data: bytes | None) -> str | None:
    try:
        return Meta.from_yaml(data).pin_hash if data is not None else None
    except PinsError:
        return None
