"""The pins 1.0 layout, once: what the folder, fsspec and URL boards share.

::

    <board>/_pins.yaml                  the manifest (optional): pin -> version folders
    <board>/<pin>/<version>/data.txt    a version is complete when its data.txt is there
    <board>/<pin>/<version>/<files>

* Which entries count: names starting with ``.`` are hidden (staging, trash, temporary
  files of every writer) and skipped, as are pin names and version ids that are not
  valid (:func:`is_candidate`, :func:`version_records`).
* The order of versions: oldest first, the latest is the greatest version name (version
  names start with their UTC time, so they sort by time); a version id that is not a
  version name sorts before every version name (:func:`version_order`). This holds
  whatever order a listing or a manifest gives.
* :class:`LayoutBoard`: the board side of it, for boards that are written (folder,
  fsspec): the manifest, and the names a write may create (portable on every system,
  and not a case-variant of another pin's name).
"""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from ..errors import PinsError, PinsNameError
from ..meta import Version, dump_yaml
from ..names import (
    parse_version_name,
    validate_new_name,
    validate_pin_name,
    validate_version,
)
from ._fs_errors import fs_border
from .base import Board

__all__ = [
    "STAGING_PREFIX",
    "LayoutBoard",
    "is_candidate",
    "is_pin_name",
    "manifest",
    "version_order",
    "version_record",
    "version_records",
]

_log = logging.getLogger("pins")

#: The prefix of the hidden folders a version is staged in.
STAGING_PREFIX = ".pins-staging-"
_OLDEST = datetime.min


def is_candidate(name: str) -> bool:
    """Whether a listed entry may be a pin or a version: not empty, not hidden."""
    return bool(name) and not name.startswith(".")


def is_pin_name(name: str) -> bool:
    """Whether a listed folder name is a pin (a valid name, not the manifest)."""
    try:
        validate_pin_name(name)
    except PinsError:
        return False
    return True


def version_record(version: str) -> Version:
    """The :class:`Version` of a version id: its time and hash when it is a version name."""
    parsed = parse_version_name(version)
    if parsed is None:
        return Version(version=version)
    return Version(version=version, created=parsed[0], hash=parsed[1])


def version_order(version: Version) -> tuple[datetime, str]:
    """The sort key of versions: by time, then by name; the latest is the greatest."""
    created = version.created.replace(tzinfo=None) if version.created else _OLDEST
    return created, version.version


def version_records(ids: Iterable[str]) -> list[Version]:
    """The versions of these ids, oldest first: invalid ids skipped, each id once."""
    versions = {}
    for version in ids:
        if version in versions:
            continue
        try:
            validate_version(version)
        except PinsNameError as exc:
            _log.warning("Skipping the version %r: %s", version, exc)
            continue
        versions[version] = version_record(version)
    return sorted(versions.values(), key=version_order)


def manifest(versions: Mapping[str, list[Version]]) -> dict[str, list[str]]:
    """``_pins.yaml`` of these pins: each pin's version folders, oldest first, as R's
    ``write_board_manifest()`` writes them."""
    return {
        name: [f"{name}/{v.version}/" for v in pin_versions]
        for name, pin_versions in sorted(versions.items())
        if pin_versions
    }


class LayoutBoard(Board):
    """A board written in the pins 1.0 layout (a folder, an fsspec filesystem).

    Besides :class:`~pins.boards.base.Board`'s primitives it lists every pin's versions
    at once (:meth:`_all_versions`), the names at its root (:meth:`_root_names`), and
    writes the manifest's bytes (:meth:`_write_manifest`). Its storage's errors cross one
    border, :meth:`_border`.
    """

    #: Whether the storage is this machine's disk (then a failure that is not access or
    #: the network is a PinsStorageError, not a remote one).
    _local: bool = True

    @contextmanager
    def _border(
        self, doing: str, not_found: Callable[[], PinsError] | None = None
    ) -> Iterator[None]:
        """Translate the storage's errors into PinsErrors, chaining the original (see
        :mod:`._fs_errors`): ``not_found`` builds the error for a missing file; without
        it a missing file is a failure like any other."""
        with fs_border(f"{self!r} could not {doing}", local=self._local, not_found=not_found):
            yield

    @abstractmethod
    def _all_versions(self) -> dict[str, list[Version]]:
        """Every pin's complete versions, oldest first (:func:`version_records`)."""

    @abstractmethod
    def _root_names(self) -> list[str]:
        """The names of the entries at the board's root, pins or not."""

    @abstractmethod
    def _write_manifest(self, data: bytes) -> None:
        """Replace ``_pins.yaml`` with ``data`` (atomically where the storage can)."""

    def _latest_versions(self) -> dict[str, Version]:
        return {name: versions[-1] for name, versions in self._all_versions().items() if versions}

    def _check_write_names(self, name: str, files: list[str]) -> None:
        validate_new_name("pin name", name)
        for file_name in files:
            validate_new_name("file name", file_name)

    def _check_new_pin(self, name: str) -> None:
        folded = name.casefold()
        for other in self._root_names():
            if other != name and other.casefold() == folded and is_candidate(other):
                raise PinsNameError(
                    f"Invalid pin name {name!r}: the board has {other!r}, a name that differs "
                    "only in case, and Windows and macOS would take both for one folder. "
                    f"Write to {other!r} or choose another name."
                )

    def write_board_manifest(self) -> dict[str, list[str]]:
        """Write ``_pins.yaml``: every pin and its version folders, oldest first.

        A board served over HTTP(S) with this file (a folder on a web server, a bucket
        served as a static website) can be read with :func:`pins.board_url`.

        Returns
        -------
        dict
            The manifest that was written: ``{pin name: ["<pin>/<version>/", ...]}``.

        Raises
        ------
        PinsReadOnlyError
            The board is read-only.
        PinsStorageError
            The manifest could not be written (a :class:`~pins.errors.PinsAuthError` when
            access was refused).

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write([1, 2], "numbers")
        >>> [folder.split("/")[0] for folder in board.write_board_manifest()["numbers"]]
        ['numbers']
        """
        self._check_writable("write a manifest")
        written: dict[str, Any] = manifest(self._all_versions())
        self._write_manifest(dump_yaml(written).encode("utf-8"))
        return written
