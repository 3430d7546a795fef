"""The reading half of the pin API: :class:`ReadingBoard`, which
:class:`~pins.boards._finding.FindingBoard` completes with searching and browsing and
:class:`~pins.boards.base.Board` with writing and deleting.

A concrete board lists the latest versions, lists a pin's versions, reads a version's
data.txt and fetches its files (the primitives below); names, the not-found errors,
hash checks, pickle safety, search and browsing live here, so every board reads the
same way.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from .. import config
from ..drivers import get_driver
from ..drivers._frames import Frame, check_frame
from ..errors import (
    PinNotFoundError,
    PinsError,
    PinsInsecureReadError,
    PinsMetadataError,
    PinVersionNotFoundError,
)
from ..meta import Meta, Version, load_yaml
from ..names import parse_version_name, validate_pin_name, validate_version
from ._checks import check_hash_arg, verify_files, version_id

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ReadingBoard", "missing_file", "pin_not_found"]

_log = logging.getLogger("pins")


def pin_not_found(name: str, board: object) -> PinNotFoundError:
    """The error for a pin that a board does not have (worded so that scripts written
    for pins-python, which look for "<name> does not exist", still find it)."""
    return PinNotFoundError(f"Pin {name} does not exist on {board!r}; see board.pin_list().")


def missing_file(name: str, version: str, file_name: str, board: object) -> PinsMetadataError:
    """The error for a file that a version's data.txt lists and the board does not hold."""
    return PinsMetadataError(
        f"Pin {name!r} version {version} lists the file {file_name!r}, which is missing "
        f"from {board!r}."
    )


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
    def pin_exists(self, name: str) -> bool:
        """Whether the board holds a pin of this name (with at least one version).

        Raises
        ------
        PinsNameError
            ``name`` is not a valid pin name on this board.
        PinsStorageError
            The board could not be listed.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write([1], "numbers")
        >>> board.pin_exists("numbers"), board.pin_exists("letters")
        (True, False)
        """
        return bool(self._list_versions(self._validate_name(name)))

    def pin_list(self) -> list[str]:
        """The names of every pin on the board, sorted.

        Raises
        ------
        PinsStorageError
            The listing failed (a :class:`PinsAuthError` when access was refused).

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write([1], "b"), board.pin_write([2], "a")
        >>> board.pin_list()
        ['a', 'b']
        """
        return sorted(self._latest_versions())

    @overload
    def pin_versions(self, name: str, as_df: Literal[True] = ...) -> pd.DataFrame: ...
    @overload
    def pin_versions(self, name: str, as_df: Literal[False]) -> list[Version]: ...
    def pin_versions(self, name: str, as_df: bool = True) -> pd.DataFrame | list[Version]:
        """The versions of a pin, oldest first.

        Returns a DataFrame with the columns ``version``, ``created`` (UTC) and ``hash``,
        or a list of :class:`Version` with ``as_df=False``.

        Raises
        ------
        PinNotFoundError
            The board has no pin of this name.
        PinsNameError
            ``name`` is not a valid pin name on this board.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write({"i": 1}, "cfg"), board.pin_write({"i": 2}, "cfg")
        >>> len(board.pin_versions("cfg"))
        2
        >>> [v.version == board.pin_meta("cfg", v.version).version.version
        ...  for v in board.pin_versions("cfg", as_df=False)]
        [True, True]
        """
        versions = self._versions(name)
        if not as_df:
            return versions
        import pandas as pd

        return pd.DataFrame(
            {
                "version": [v.version for v in versions],
                "created": pd.to_datetime([v.created for v in versions], utc=True),
                "hash": [v.hash for v in versions],
            }
        )

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
        name = self._validate_name(name)
        version = self._latest(name).version if version is None else validate_version(version)
        data = load_yaml(self._meta_text(name, version), f"data.txt of pin {name!r}")
        meta = Meta.from_pin_dict(data, name)
        record = self._version_from_id(name, version, meta.created, meta.pin_hash)
        return meta.replace(version=record)

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
        meta = self.pin_meta(name, version)
        paths = self._fetch_files(meta.name or name, version_id(meta), meta)
        return meta.replace(local={"paths": [str(p) for p in paths]})

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
        meta = self._checked_meta(name, version, hash)
        driver = get_driver(meta.type)
        if driver.unsafe_read and not config.allow_pickle_read(self.allow_pickle_read):
            raise PinsInsecureReadError(
                f"Pin {meta.name!r} is of type {meta.type!r}, and reading it unpickles data, "
                "which can run arbitrary code. If you trust whoever wrote it, create the "
                "board with allow_pickle_read=True or set PINS_ALLOW_PICKLE_READ=1."
            )
        return driver.load_frame(self._checked_files(name, meta, hash), meta, chosen)

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
        meta = self._checked_meta(name, version, hash)
        return [str(p) for p in self._checked_files(name, meta, hash)]

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

    def _checked_meta(self, name: str, version: str | None, hash: str | None) -> Meta:
        """The metadata of a version, checked against the ``hash=`` a caller gave."""
        meta = self.pin_meta(name, version)
        if hash is not None:
            check_hash_arg(meta, hash)
        return meta

    def _checked_files(self, name: str, meta: Meta, hash: str | None) -> list[Path]:
        """The version's local files; with a ``hash=``, their bytes checked too."""
        paths = self._fetch_files(meta.name or name, version_id(meta), meta)
        if hash is not None:
            verify_files(meta, paths)
        return paths

    def _meta_or_none(self, name: str, version: str | None = None) -> Meta | None:
        """The metadata, or None when the pin vanished or its data.txt is unreadable."""
        try:
            return self.pin_meta(name, version)
        except PinNotFoundError:
            return None
        except PinsMetadataError as exc:
            _log.warning("Skipping pin %r: %s", name, exc)
            return None
