"""A board in a local (or mounted) folder, in the pins 1.0 layout (:mod:`._layout`).

A version is staged in a hidden folder inside the pin's folder and committed with one
``rename``, so readers (ours, R's, pins-python's) never see a half-written version.
Deleting renames to a hidden name first for the same reason. Readers skip hidden
entries, stray files and folders without a ``data.txt``. A write first removes what
killed writers left behind (staging folders, folders hidden to be deleted) once nothing
has written to it for an hour (:func:`pins._files.sweep`).

Nothing is read from or written to outside the board (:mod:`._links`): a pin or version
folder that is a symbolic link leading out of it (or in a loop) is skipped with a
warning, reading a data.txt or a data file that leads out raises
:class:`~pins.errors.PinsInsecureReadError`, and writing into a pin or version folder
that leads out :class:`~pins.errors.PinsInsecureWriteError`, before anything is written.
Links that stay inside the board, and a board folder that is itself a link, are read and
written as usual.

Errors of the filesystem become :class:`~pins.errors.PinsError` subclasses in one place,
:meth:`~pins.boards._layout.LayoutBoard._border`, which the fsspec boards share.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .._files import TMP_PREFIX, atomic_write, discard, remove_empty_parents, sweep
from ..errors import (
    PinsMetadataError,
    PinsStorageError,
    PinsWriteConflictError,
)
from ..meta import Meta, Version
from ..names import MANIFEST_NAME, META_FILE, validate_version
from ._fs_errors import Missing
from ._layout import STAGING_PREFIX, LayoutBoard, is_candidate, is_pin_name, version_records
from ._links import leads_out, refuse_read_out, refuse_write_out, skipped
from ._loading import missing_file

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

__all__ = ["FolderBoard"]

_log = logging.getLogger("pins")
#: How many times an empty listing of a pin folder that exists is taken (_scan).
_LISTINGS = 4


class FolderBoard(LayoutBoard):
    """Pins in a folder. Create it with :func:`pins.board_folder`."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        versioned: bool = True,
        allow_pickle_read: bool | None = None,
    ) -> None:
        super().__init__(versioned=versioned, allow_pickle_read=allow_pickle_read)
        self.path = Path(path).expanduser().absolute()

    def __repr__(self) -> str:
        return f"board_folder({str(self.path)!r})"

    @property
    def board(self) -> str:
        """The board's folder, as text (pins-python's ``board.board``)."""
        return str(self.path)

    @property
    def fs(self) -> AbstractFileSystem:
        """fsspec's local filesystem, which pins-python's folder boards are built on."""
        from fsspec.implementations.local import LocalFileSystem

        return LocalFileSystem()

    # ------------------------------------------------------------------ listing
    def _entries(self, folder: Path) -> list[os.DirEntry[str]] | None:
        """The visible entries of a folder; None when it does not exist."""
        try:
            with self._border(f"list {folder}", not_found=Missing), os.scandir(folder) as scan:
                return [e for e in scan if is_candidate(e.name)]
        except Missing:
            return None

    def _root_entries(self) -> list[os.DirEntry[str]]:
        """The visible entries of the board's folder (none before the first write)."""
        entries = self._entries(self.path)
        if entries is None and os.path.exists(self.path):
            raise PinsStorageError(f"{self!r} cannot be read: {self.path} is not a folder.")
        return entries or []

    def _folders(self, entries: list[os.DirEntry[str]], root: str) -> list[os.DirEntry[str]]:
        """The entries that are folders inside the board: links that lead out of it, or
        in a loop, are skipped with a warning."""
        found = []
        for entry in entries:
            try:
                if not entry.is_dir():
                    continue
            except OSError as exc:  # a link in a loop (ELOOP)
                _log.warning("Skipping %s: %s", entry.path, exc)
                continue
            if entry.is_symlink() and leads_out(entry.path, root):
                skipped(entry.path)
                continue
            found.append(entry)
        return found

    def _scan(self, folder: Path, root: str) -> list[Version]:
        """The complete versions in a pin's folder.

        A listing made while a version is renamed into the folder may miss it, and with
        it the version an unversioned write deletes (readdir promises nothing about
        entries renamed while it runs): an empty listing of a folder that exists is
        taken again, so that a pin that exists is never reported absent.
        """
        for _ in range(_LISTINGS):
            entries = self._entries(folder)
            if entries is None:
                return []
            versions = version_records(
                entry.name
                for entry in self._folders(entries, root)
                if os.path.isfile(os.path.join(entry.path, META_FILE))
            )
            if versions:
                return versions
        return []

    def _all_versions(self) -> dict[str, list[Version]]:
        root = os.path.realpath(self.path)
        found = {}
        for entry in self._folders(self._root_entries(), root):
            if is_pin_name(entry.name):
                versions = self._scan(Path(entry.path), root)
                if versions:
                    found[entry.name] = versions
        return found

    def _list_versions(self, name: str) -> list[Version]:
        root = os.path.realpath(self.path)
        folder = self.path / name
        if os.path.islink(folder) and leads_out(folder, root):
            skipped(folder)
            return []
        return self._scan(folder, root)

    def _root_names(self) -> list[str]:
        return [entry.name for entry in self._root_entries()]

    # ------------------------------------------------------------------ reading
    def _read_meta_text(self, name: str, version: str) -> bytes | None:
        path = self.path / name / version / META_FILE
        refuse_read_out(path, os.path.realpath(self.path), self)
        try:
            with self._border(f"read {path}", not_found=Missing):
                return path.read_bytes()
        except Missing:
            return None

    def _fetch_files(self, name: str, version: str, meta: Meta) -> list[Path]:
        root = os.path.realpath(self.path)
        paths = [self.path / name / version / f for f in meta.file_names]
        for path in paths:
            refuse_read_out(path, root, self)
        with self._border(f"read version {version} of pin {name!r}"):
            for path in paths:
                if not path.is_file():
                    raise missing_file(name, version, path.name, self)
        return paths

    def _browse_url(self, name: str, version: str) -> str:
        return (self.path / name / version).as_uri()

    # ------------------------------------------------------------------ writing
    @contextmanager
    def _staging(self, name: str) -> Iterator[Path]:
        pin_dir = self.path / name
        refuse_write_out(pin_dir, os.path.realpath(self.path), self, f"write pin {name!r}")
        with self._border(f"create the folder of pin {name!r}"):
            created_pin_dir = not pin_dir.exists()
            pin_dir.mkdir(parents=True, exist_ok=True)
            sweep(pin_dir, (STAGING_PREFIX, TMP_PREFIX))  # what killed writers left
            sweep(self.path, (TMP_PREFIX,))
            staged = pin_dir / f"{STAGING_PREFIX}{secrets.token_hex(8)}"
            staged.mkdir()  # with the umask's permissions, unlike mkdtemp's 0700
        try:
            with self._border(f"write pin {name!r}"):
                yield staged
        finally:
            shutil.rmtree(staged, ignore_errors=True)
            if created_pin_dir:
                remove_empty_parents(pin_dir, self.path)

    def _store_version(self, name: str, staged: Path, version: str, meta: Meta) -> str:
        version = validate_version(version)
        target = self.path / name / version
        refuse_write_out(target, os.path.realpath(self.path), self, f"write pin {name!r}")
        try:
            os.rename(staged, target)  # never replaces a non-empty folder
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY) and not target.exists():
                raise  # translated by the border of _staging
            existing = self._meta_at(target)
            if existing is not None and existing.pin_hash == meta.pin_hash:
                return version  # the same content, committed by another writer
            raise PinsWriteConflictError(
                f"Another writer committed version {version} of pin {name!r} with different "
                "content at the same moment. Nothing was lost; write again to add yours."
            ) from exc
        return version

    def _meta_at(self, folder: Path) -> Meta | None:
        try:
            return Meta.from_yaml((folder / META_FILE).read_bytes())
        except (OSError, PinsMetadataError):
            return None

    def _write_manifest(self, data: bytes) -> None:
        with self._border(f"write {self.path / MANIFEST_NAME}"):
            atomic_write(self.path / MANIFEST_NAME, data)

    # ------------------------------------------------------------------ deleting
    def _delete_version(self, name: str, version: str) -> None:
        with self._border(f"delete version {version} of pin {name!r}"):
            discard(self.path / name / version)

    def _delete_pin(self, name: str) -> None:
        with self._border(f"delete pin {name!r}"):
            discard(self.path / name)
