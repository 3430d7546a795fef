"""A board in a local (or mounted) folder, in the pins 1.0 layout (:mod:`._layout`).

A version is staged in a hidden folder inside the pin's folder and committed with one
``rename``, so readers (ours, R's, pins-python's) never see a half-written version.
Deleting renames to a hidden name first for the same reason. Readers skip hidden
entries, stray files and folders without a ``data.txt``.

Errors of the filesystem become :class:`~pins.errors.PinsError` subclasses in one place,
:meth:`~pins.boards._layout.LayoutBoard._border`, which the fsspec boards share.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .._files import atomic_write, discard, remove_empty_parents
from ..errors import PinsMetadataError, PinsWriteConflictError
from ..meta import Meta, Version
from ..names import MANIFEST_NAME, META_FILE, validate_version
from ._fs_errors import Missing
from ._layout import STAGING_PREFIX, LayoutBoard, is_candidate, is_pin_name, version_records
from ._reading import missing_file

__all__ = ["FolderBoard"]


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

    def _entries(self, folder: Path) -> list[os.DirEntry[str]]:
        """The visible entries of a folder; ``[]`` when it does not exist."""
        try:
            with self._border(f"list {folder}", not_found=Missing):
                return [e for e in os.scandir(folder) if is_candidate(e.name)]
        except Missing:
            return []

    # ------------------------------------------------------------------ listing
    def _all_versions(self) -> dict[str, list[Version]]:
        found = {}
        for entry in self._entries(self.path):
            if is_pin_name(entry.name) and entry.is_dir():
                versions = self._list_versions(entry.name)
                if versions:
                    found[entry.name] = versions
        return found

    def _list_versions(self, name: str) -> list[Version]:
        return version_records(
            entry.name
            for entry in self._entries(self.path / name)
            if entry.is_dir() and os.path.isfile(os.path.join(entry.path, META_FILE))
        )

    def _root_names(self) -> list[str]:
        return [entry.name for entry in self._entries(self.path)]

    # ------------------------------------------------------------------ reading
    def _read_meta_text(self, name: str, version: str) -> bytes | None:
        path = self.path / name / version / META_FILE
        try:
            with self._border(f"read {path}", not_found=Missing):
                return path.read_bytes()
        except Missing:
            return None

    def _fetch_files(self, name: str, version: str, meta: Meta) -> list[Path]:
        folder = self.path / name / version
        paths = [folder / f for f in meta.file_names]
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
        with self._border(f"create the folder of pin {name!r}"):
            created_pin_dir = not pin_dir.exists()
            pin_dir.mkdir(parents=True, exist_ok=True)
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
