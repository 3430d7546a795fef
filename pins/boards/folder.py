"""A board in a local (or mounted) folder, in the pins 1.0 layout.

::

    <board>/<pin>/<version>/data.txt
    <board>/<pin>/<version>/<pin>.<ext>

A version is staged in a hidden folder inside the pin's folder and committed with one
``rename``, so readers (ours, R's, pins-python's) never see a half-written version.
Deleting renames to a hidden name first for the same reason. Readers skip hidden
entries, stray files and folders without a ``data.txt``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import (
    PinsMetadataError,
    PinsWriteConflictError,
    PinVersionNotFoundError,
)
from ..meta import Meta, Version, dump_yaml
from ..names import MANIFEST_NAME, parse_version_name, validate_version
from .base import Board, pin_not_found

__all__ = ["FolderBoard"]

_STAGING_PREFIX = ".pins-staging-"
_TRASH_PREFIX = ".pins-trash-"
_OLDEST = datetime.min


class FolderBoard(Board):
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

    # ------------------------------------------------------------------ listing
    def _list_pins(self) -> list[str]:
        return list(self._latest_versions())

    def _latest_versions(self) -> dict[str, Version]:
        try:
            entries = list(os.scandir(self.path))
        except (FileNotFoundError, NotADirectoryError):
            return {}
        latest = {}
        for entry in entries:
            if not _is_candidate(entry.name) or entry.name == MANIFEST_NAME:
                continue
            if entry.is_dir():
                versions = self._scan_versions(Path(entry.path))
                if versions:
                    latest[entry.name] = versions[-1]
        return latest

    def _list_versions(self, name: str) -> list[Version]:
        return self._scan_versions(self.path / name)

    def _scan_versions(self, pin_dir: Path) -> list[Version]:
        try:
            entries = list(os.scandir(pin_dir))
        except (FileNotFoundError, NotADirectoryError):
            return []
        versions = []
        for entry in entries:
            if not _is_candidate(entry.name) or not entry.is_dir():
                continue
            if not os.path.isfile(os.path.join(entry.path, self.meta_file)):
                continue  # not a complete version
            parsed = parse_version_name(entry.name)
            if parsed is None:
                versions.append(Version(version=entry.name))
            else:
                versions.append(Version(version=entry.name, created=parsed[0], hash=parsed[1]))
        versions.sort(key=_version_order)
        return versions

    # ------------------------------------------------------------------ reading
    def _read_meta_text(self, name: str, version: str) -> bytes:
        try:
            with open(os.path.join(self.path, name, version, self.meta_file), "rb") as handle:
                return handle.read()
        except (FileNotFoundError, NotADirectoryError):
            if not self._list_versions(name):
                raise pin_not_found(name, self) from None
            raise PinVersionNotFoundError(
                f"Pin {name!r} has no version {version!r}; see board.pin_versions({name!r})."
            ) from None

    def _fetch_files(self, name: str, version: str, meta: Meta) -> list[Path]:
        folder = self.path / name / version
        paths = [folder / f for f in meta.file_names]
        for path in paths:
            if not path.is_file():
                raise PinsMetadataError(
                    f"Pin {name!r} version {version} lists the file {path.name!r}, "
                    "which is missing from its folder."
                )
        return paths

    def _browse_url(self, name: str, version: str) -> str:
        return (self.path / name / version).as_uri()

    # ------------------------------------------------------------------ writing
    @contextmanager
    def _staging(self, name: str) -> Iterator[Path]:
        pin_dir = self.path / name
        created_pin_dir = not pin_dir.exists()
        pin_dir.mkdir(parents=True, exist_ok=True)
        staged = pin_dir / f"{_STAGING_PREFIX}{secrets.token_hex(8)}"
        staged.mkdir()  # with the umask's permissions, unlike mkdtemp's 0700
        try:
            yield staged
        finally:
            shutil.rmtree(staged, ignore_errors=True)
            if created_pin_dir:
                _remove_if_empty(pin_dir)

    def _store_version(self, name: str, staged: Path, version: str, meta: Meta) -> str:
        version = validate_version(version)
        target = self.path / name / version
        try:
            os.rename(staged, target)  # never replaces a non-empty folder
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY) and not target.exists():
                raise
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
            return Meta.from_yaml((folder / self.meta_file).read_bytes())
        except (OSError, PinsMetadataError):
            return None

    # ------------------------------------------------------------------ deleting
    def _delete_version(self, name: str, version: str) -> None:
        _discard(self.path / name / version, self.path / name)

    def _delete_pin(self, name: str) -> None:
        _discard(self.path / name, self.path)

    # ------------------------------------------------------------------ manifest
    def write_board_manifest(self) -> dict[str, list[str]]:
        """Write ``_pins.yaml``: every pin and its version folders, oldest first.

        A board served over HTTP with this file can be read with :func:`pins.board_url`.
        Returns the manifest that was written.
        """
        manifest: dict[str, Any] = {
            name: [f"{name}/{v.version}/" for v in self._list_versions(name)]
            for name in self.pin_list()
        }
        self.path.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.path / MANIFEST_NAME, dump_yaml(manifest).encode("utf-8"))
        return manifest


def _is_candidate(name: str) -> bool:
    return not name.startswith(".")


def _version_order(version: Version) -> tuple[datetime, str]:
    created = version.created.replace(tzinfo=None) if version.created else _OLDEST
    return created, version.version


def _discard(path: Path, parent: Path) -> None:
    """Remove a folder so that no reader sees it half-deleted: hide it, then delete."""
    hidden = parent / f"{_TRASH_PREFIX}{secrets.token_hex(8)}"
    try:
        os.rename(path, hidden)
    except FileNotFoundError:
        return
    shutil.rmtree(hidden)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
