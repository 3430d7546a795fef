"""The reading half of the pin API: :class:`ReadingBoard`, which
:class:`~pins.boards._finding.FindingBoard` completes with listing, searching and
browsing, :class:`~pins.boards._deleting.DeletingBoard` with deleting and
:class:`~pins.boards.base.Board` with writing.

A concrete board lists the latest versions, lists a pin's versions, reads a version's
data.txt and fetches its files (the primitives below); names, the not-found errors,
hash checks, pickle safety and reading again what vanished under a read live here, so
every board reads the same way.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from .. import config
from ..drivers import get_driver
from ..drivers._frames import Frame, check_frame
from ..errors import (
    PinNotFoundError,
    PinsError,
    PinsHashError,
    PinsInsecureReadError,
    PinsMetadataError,
    PinVersionNotFoundError,
)
from ..meta import Meta, Version, load_yaml
from ..names import parse_version_name, validate_pin_name, validate_version
from ._checks import check_hash_arg, hash_arg, verify_files, version_id
from ._loading import ATTEMPTS, MissingFile, load_files

__all__ = ["ReadingBoard", "pin_not_found"]

_log = logging.getLogger("pins")
T = TypeVar("T")


def pin_not_found(name: str, board: object) -> PinNotFoundError:
    """The error for a pin that a board does not have (worded so that scripts written
    for pins-python, which look for "<name> does not exist", still find it)."""
    return PinNotFoundError(f"Pin {name} does not exist on {board!r}; see board.pin_list().")


class ReadingBoard(ABC):
    """The reading half of :class:`~pins.boards.base.Board` (whose parameters it takes):
    every board reads through these methods."""

    #: The library tables are read into unless a call says otherwise (see :attr:`frame`).
    _frame: Frame = "pandas"

    def __init__(self, *, versioned: bool = True, allow_pickle_read: bool | None = None) -> None:
        self.versioned = versioned
        self.allow_pickle_read = allow_pickle_read

    @property
    def frame(self) -> str:
        """The library :meth:`pin_read` returns tables in when a call does not say:
        ``"pandas"`` (unless the board was made with ``frame=``), ``"polars"`` or
        ``"pyarrow"``. It can be set."""
        return self._frame

    @frame.setter
    def frame(self, value: str) -> None:
        self._frame = check_frame(value, "board.frame = ...")

    def _frame_of(self, frame: str | None, call: str) -> Frame:
        """The frame library of a call: its own ``frame=``, else the board's."""
        return self._frame if frame is None else check_frame(frame, f"{call}(..., frame=...)")

    # ------------------------------------------------------------------ primitives
    @abstractmethod
    def _latest_versions(self) -> dict[str, Version]:
        """The latest version of every pin that has at least one complete version."""

    @abstractmethod
    def _list_versions(self, name: str) -> list[Version]:
        """The complete versions of a pin, oldest first; ``[]`` when there are none."""

    @abstractmethod
    def _read_meta_text(self, name: str, version: str) -> bytes | None:
        """The bytes of a version's data.txt, or None when the board has no such version
        (the base then says whether the pin or the version is missing)."""

    @abstractmethod
    def _fetch_files(self, name: str, version: str, meta: Meta) -> list[Path]:
        """Local paths of the version's files, in the order of ``meta.file``."""

    # ------------------------------------------------------------------ overridable hooks
    def _validate_name(self, name: object) -> str:
        """Check a pin name against this board's rules."""
        return validate_pin_name(name)

    def _latest(self, name: str) -> Version:
        """The latest version of a pin (raises :class:`PinNotFoundError`)."""
        return self._versions(name)[-1]

    def _forget(self, name: str, version: str) -> bool:
        """Drop the local copy of a version so that the next read fetches it again;
        False when the board keeps none (a folder board reads its own files)."""
        return False

    def _version_from_id(
        self, name: str, version: str, created: datetime | None, pin_hash: str
    ) -> Version:
        """The :class:`Version` record of a version id, given its data.txt fields.

        Its ``hash`` is the 5-character one of the version's name, as in
        :meth:`pin_versions` (and in pins-python and R); ``Meta.pin_hash`` is the full one.
        """
        parsed = parse_version_name(version)
        short = parsed[1] if parsed is not None else pin_hash[:5] or None
        return Version(version=version, created=created, hash=short)

    # ------------------------------------------------------------------ reading
    def pin_meta(self, name: str, version: str | None = None) -> Meta:
        """The metadata of a version (the latest by default).

        Raises
        ------
        PinNotFoundError
            The board has no pin of this name.
        PinVersionNotFoundError
            The pin has no version of this id.
        PinsMetadataError
            The version's data.txt is malformed.
        PinsNameError
            ``name`` or ``version`` is not valid.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write({"a": 1}, "cfg", title="Settings")
        >>> meta = board.pin_meta("cfg")
        >>> meta.title, meta.type, meta.file
        ('Settings', 'json', 'cfg.json')
        """
        return self._read(name, version, None, lambda meta: meta)

    def pin_fetch(self, name: str, version: str | None = None) -> Meta:
        """The metadata of a version, with ``local["paths"]`` holding its local files.

        Raises
        ------
        PinNotFoundError, PinVersionNotFoundError
            As :meth:`pin_meta`.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write({"a": 1}, "cfg")
        >>> [p.rsplit("/", 1)[-1] for p in board.pin_fetch("cfg").local["paths"]]
        ['cfg.json']
        """

        def fetch(meta: Meta) -> Meta:
            paths = self._fetch_files(meta.name or name, version_id(meta), meta)
            return meta.replace(local={"paths": [str(p) for p in paths]})

        return self._read(name, version, None, fetch)

    def pin_read(
        self,
        name: str,
        version: str | None = None,
        hash: str | None = None,
        *,
        frame: str | None = None,
    ) -> Any:
        """Read a pin's data back as a Python object.

        Parameters
        ----------
        name
            The pin's name.
        version
            A version id; the latest when omitted.
        hash
            The full ``pin_hash`` or a prefix of it (at least 5 characters). The read
            fails with :class:`PinsHashError` unless the pin has that hash, and the
            files are checked against it.
        frame
            The library a table (``parquet``, ``arrow``, ``csv``) comes back in:
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (a ``Table``), read by that
            library alone; the board's ``frame`` by default (pandas unless the board was
            made with another). Other types (json, joblib, rds) ignore it.

        Raises
        ------
        PinNotFoundError, PinVersionNotFoundError
            The pin or the version does not exist.
        PinsHashError
            ``hash`` does not match the pin, or the files do not match their hash.
        PinsInsecureReadError
            Reading would unpickle (a joblib pin) and that was not allowed.
        PinsTypeError
            The pin's type cannot be read (a ``file`` pin: use :meth:`pin_download`).
        PinsArgumentError
            ``frame`` is not one of the three.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> meta = board.pin_write({"a": 1}, "cfg")
        >>> board.pin_read("cfg")
        {'a': 1}
        >>> board.pin_read("cfg", hash=meta.pin_hash[:5])
        {'a': 1}
        >>> import pyarrow as pa
        >>> _ = board.pin_write(pa.table({"x": [1, 2]}), "numbers")
        >>> board.pin_read("numbers", frame="pyarrow").column("x").to_pylist()
        [1, 2]
        """
        chosen = self._frame_of(frame, "pin_read")

        def load(meta: Meta) -> Any:
            driver = get_driver(meta.type)
            if driver.unsafe_read and not config.allow_pickle_read(self.allow_pickle_read):
                raise PinsInsecureReadError(
                    f"Pin {meta.name!r} is of type {meta.type!r}, and reading it unpickles "
                    "data, which can run arbitrary code. If you trust whoever wrote it, "
                    "create the board with allow_pickle_read=True or set "
                    "PINS_ALLOW_PICKLE_READ=1."
                )
            files = self._checked_files(meta, hash is not None)
            return load_files(driver, files, meta, self, chosen)

        return self._read(name, version, hash, load)

    def pin_download(
        self, name: str, version: str | None = None, hash: str | None = None
    ) -> list[str]:
        """Local paths of a pin's files, for any type (``pin_upload`` pins above all).
        ``version`` and ``hash`` are as for :meth:`pin_read`.

        Raises
        ------
        PinsHashError
            ``hash`` is not the pin's, or the files' bytes are not what it records.
        PinNotFoundError, PinVersionNotFoundError
            There is no such pin, or no such version of it.

        Examples
        --------
        >>> import pathlib, tempfile, pins
        >>> board = pins.board_temp()
        >>> source = pathlib.Path(tempfile.mkdtemp(), "notes.txt")
        >>> _ = source.write_text("hello")
        >>> _ = board.pin_upload(source, "notes")
        >>> [pathlib.Path(p).read_text() for p in board.pin_download("notes")]
        ['hello']
        """
        return self._read(
            name,
            version,
            hash,
            lambda meta: [str(p) for p in self._checked_files(meta, hash is not None)],
        )

    def validate_pin_name(self, name: str) -> None:
        """Raise :class:`~pins.errors.PinsNameError` (a ``ValueError``) unless ``name`` is a
        valid pin name on this board.

        Raises
        ------
        PinsNameError
            ``name`` is not a valid pin name on this board.

        Examples
        --------
        >>> import pins
        >>> pins.board_temp().validate_pin_name("../etc")
        Traceback (most recent call last):
        ...
        pins.errors.PinsNameError: Invalid pin name '../etc': it must not contain '/' ...
        """
        self._validate_name(name)

    # ------------------------------------------------------------------ helpers
    def _versions(self, name: str) -> list[Version]:
        name = self._validate_name(name)
        versions = self._list_versions(name)
        if not versions:
            raise pin_not_found(name, self)
        return versions

    def _meta_text(self, name: str, version: str) -> bytes:
        """A version's data.txt, or the not-found error that says what is missing."""
        text = self._read_meta_text(name, version)
        if text is None:
            raise self._not_found(name, version)
        return text

    def _not_found(self, name: str, version: str | None = None) -> PinsError:
        """The error for a pin (``version`` None) or a version that is not there: the pin's
        own when it has no version at all."""
        if version is None or not self._list_versions(name):
            return pin_not_found(name, self)
        return PinVersionNotFoundError(
            f"Pin {name!r} has no version {version!r}; see board.pin_versions({name!r})."
        )

    def _read(self, name: str, version: str | None, hash: object, use: Callable[[Meta], T]) -> T:
        """``use(meta)`` for a version (the latest when ``version`` is None), whose
        metadata is first checked against the ``hash=`` a caller gave.

        What was read may vanish under the reader: an unversioned write or a prune
        deletes the version just listed as the latest, ``cache_prune`` the cached file
        just found. The read then starts again, at most :data:`ATTEMPTS` times, on a fresh
        listing when it reads the latest. A hash that does not match makes a board that
        keeps local copies (:meth:`_forget`) fetch the version once more before raising.
        """
        name = self._validate_name(name)
        wanted = None if hash is None else hash_arg(hash)
        asked = None if version is None else validate_version(version)
        attempt, refetched = 1, False
        while True:
            target = asked if asked is not None else self._latest(name).version
            try:
                meta = self._version_meta(name, target)
                if wanted is not None:
                    check_hash_arg(meta, wanted)
                return use(meta)
            except (PinNotFoundError, PinVersionNotFoundError, MissingFile) as exc:
                vanished = asked is None or isinstance(exc, MissingFile)
                if not vanished or attempt >= ATTEMPTS:
                    raise
                attempt += 1
            except PinsHashError:
                if wanted is None or refetched or not self._forget(name, target):
                    raise
                refetched = True

    def _version_meta(self, name: str, version: str) -> Meta:
        """The metadata of a version, with its :class:`Version` record."""
        data = load_yaml(self._meta_text(name, version), f"data.txt of pin {name!r}")
        meta = Meta.from_pin_dict(data, name)
        record = self._version_from_id(name, version, meta.created, meta.pin_hash)
        return meta.replace(version=record)

    def _checked_files(self, meta: Meta, check: bool) -> list[Path]:
        """The version's local files; with ``check`` (a ``hash=`` was given), their bytes
        checked against ``pin_hash`` too."""
        paths = self._fetch_files(meta.name or "", version_id(meta), meta)
        if check:
            verify_files(meta, paths)
        return paths

    def _meta_or_none(self, name: str, version: str | None = None) -> Meta | None:
        """The metadata, or None when the pin or the version vanished or its data.txt is
        unreadable."""
        try:
            return self.pin_meta(name, version)
        except (PinNotFoundError, PinVersionNotFoundError):
            return None
        except PinsMetadataError as exc:
            _log.warning("Skipping pin %r: %s", name, exc)
            return None
