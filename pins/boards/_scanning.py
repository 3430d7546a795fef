"""Tables that do not fit in memory, read where they are: :class:`ScanningBoard`
(``pin_scan`` and ``pin_files``), below :class:`~pins.boards.base.Board`.

Where a scan reads, and what ``pin_files`` names:

* a folder board: the version's files in the folder;
* an object store (S3, GCS, Azure; any fsspec board): the objects in place, with range
  reads, never a download of the whole file. Such a scan is **not hash-checked** (it reads
  a part of a file, and a hash covers all of it). Pass ``hash=`` for a checked one: the
  files are then fetched into the cache, checked, and the cached copy is scanned;
* Posit Connect and URL boards: the cached copy of the version, fetched and checked
  against its ``pin_hash`` first (their servers serve whole files to one client).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from ..drivers import get_driver
from ..drivers._frames import TableFormat, scan
from ..errors import PinsError, PinsUnsupportedTypeError
from ..meta import Meta
from ._checks import version_id
from ._loading import missing_file, reading_as_type
from ._reading import ReadingBoard

__all__ = ["InPlace", "PinFiles", "ScanningBoard"]

#: The table format of each file extension, for pins of type ``file``.
_EXTENSIONS: dict[str, TableFormat] = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".arrow": "ipc",
    ".feather": "ipc",
    ".ipc": "ipc",
    ".csv": "csv",
}
#: fsspec storage options -> the keys polars (object_store) takes for them.
_POLARS_KEYS = {
    "endpoint_url": "endpoint_url",
    "region_name": "region",
    "account_name": "account_name",
}
_POLARS_FLAGS = {"anon": "skip_signature", "requester_pays": "request_payer"}


def _read_only(options: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(options))


@dataclass(frozen=True)
class PinFiles:
    """Where a version's files are, for readers that open them themselves (Dask, Spark,
    DuckDB, ``polars.scan_parquet``, ``pyarrow.dataset``); :meth:`Board.pin_files
    <pins.boards._scanning.ScanningBoard.pin_files>` gives it.

    Attributes
    ----------
    name, version, type
        The pin, its version id and its type.
    uris
        One URI per file, in the order of the version's ``file``: ``s3://bucket/...``,
        ``gs://...``, ``abfs://...`` on object stores, ``file:///...`` for local files.
    storage_options
        What an fsspec reader needs besides credentials to open them (an endpoint, a
        region, an account name), as ``dask.dataframe.read_parquet`` and pandas take it.
        Never a secret: readers find credentials as the store's SDK does (environment
        variables, profiles, instance roles).
    """

    name: str
    version: str
    type: str
    uris: tuple[str, ...]
    storage_options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "storage_options", _read_only(self.storage_options))

    @property
    def polars_storage_options(self) -> dict[str, str]:
        """:attr:`storage_options` as polars' readers (and delta-rs) take them.

        >>> files = PinFiles("a", "v", "parquet", ("s3://b/a/v/a.parquet",),
        ...                  {"endpoint_url": "http://127.0.0.1:9000", "anon": True})
        >>> files.polars_storage_options
        {'endpoint_url': 'http://127.0.0.1:9000', 'skip_signature': 'true'}
        """
        options = dict(self.storage_options)
        client = options.pop("client_kwargs", None)
        if isinstance(client, Mapping):
            options = {**client, **options}
        polars = {_POLARS_KEYS[k]: str(v) for k, v in options.items() if k in _POLARS_KEYS}
        for key, flag in _POLARS_FLAGS.items():
            if options.get(key):
                polars[flag] = "true"
        return polars


@dataclass(frozen=True)
class InPlace:
    """A version's files where the board keeps them: ``paths`` on ``fs`` (an fsspec
    filesystem; None: local paths), their ``uris`` and the ``storage_options`` (no
    secrets) that open them."""

    fs: Any
    paths: list[str]
    uris: list[str]
    storage_options: dict[str, Any]


class ScanningBoard(ReadingBoard):
    """``pin_scan`` and ``pin_files``, over the reading primitives and one hook,
    :meth:`_in_place`."""

    def _in_place(self, name: str, version: str, meta: Meta) -> InPlace | None:
        """The version's files where the board keeps them, to be read in place; None
        (the default) reads the local files :meth:`_fetch_files` gives (a folder's own,
        or the checked copies in the cache)."""
        return None

    def _reading_in_place(
        self, what: str, not_found: Callable[[], PinsError]
    ) -> AbstractContextManager[None]:
        """The error border of opening files in place (the board's storage errors);
        ``not_found`` makes the error of a missing file."""
        return nullcontext()

    def pin_scan(
        self,
        name: str,
        version: str | None = None,
        hash: str | None = None,
        *,
        frame: str | None = None,
    ) -> Any:
        """A lazy view of a table pin: only what a query asks for is read.

        A polars ``LazyFrame`` (``frame="polars"``) or a pyarrow ``Dataset``
        (``"pyarrow"``, and ``"pandas"``, which has no lazy frame: use
        ``dataset.to_table(columns=..., filter=...).to_pandas()``) over the version's
        parquet, arrow or csv file (or, for a ``pin_upload`` pin, its files, when they
        are all of one of those formats). On an object store the objects are read in
        place and not hash-checked; with ``hash=`` they are fetched, checked and the
        checked copy scanned (see :mod:`pins.boards._scanning`).

        Parameters
        ----------
        name, version, hash
            As for :meth:`pin_read`.
        frame
            ``"polars"`` or ``"pyarrow"`` (``"pandas"``: a pyarrow Dataset); the board's
            ``frame`` by default.

        Raises
        ------
        PinsUnsupportedTypeError
            The pin does not hold a table (json, joblib, rds, other files).
        PinNotFoundError, PinVersionNotFoundError, PinsHashError
            As for :meth:`pin_read`.

        Examples
        --------
        >>> import pins, pyarrow as pa
        >>> board = pins.board_temp()
        >>> _ = board.pin_write(pa.table({"x": [1, 2, 3], "y": ["a", "b", "c"]}), "t")
        >>> import pyarrow.dataset as ds
        >>> board.pin_scan("t", frame="pyarrow").to_table(
        ...     columns=["y"], filter=ds.field("x") > 1).column("y").to_pylist()
        ['b', 'c']
        """
        chosen = self._frame_of(frame, "pin_scan")

        def open_scan(meta: Meta) -> Any:
            fmt = _table_format(meta)
            where, version_name = meta.name or name, version_id(meta)
            place = None if hash is not None else self._in_place(where, version_name, meta)
            with reading_as_type(meta, meta.file_names, self):
                if place is not None:
                    gone = partial(missing_file, where, version_name, meta.file_names[0], self)
                    with self._reading_in_place(f"the files of pin {where!r}", gone):
                        return scan(place.paths, fmt, chosen, meta.type, filesystem=place.fs)
                paths = self._checked_files(meta, hash is not None)
                return scan([str(p) for p in paths], fmt, chosen, meta.type)

        return self._read(name, version, hash, open_scan)

    def pin_files(self, name: str, version: str | None = None) -> PinFiles:
        """The URIs of a version's files and the storage options (never secrets) that
        open them, for Dask, Spark, DuckDB or polars to read them where they are.

        On object stores the URIs are the objects' (``s3://...``); on a folder board the
        files' ``file://`` URIs; on Posit Connect and URL boards those of the checked
        copies in the cache (their servers need the board's credentials).

        Raises
        ------
        PinNotFoundError, PinVersionNotFoundError
            As for :meth:`pin_meta`.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write({"a": 1}, "cfg")
        >>> files = board.pin_files("cfg")
        >>> files.uris[0].startswith("file://"), files.uris[0].endswith("/cfg.json")
        (True, True)
        """
        meta = self.pin_meta(name, version)
        pin, version_name = meta.name or name, version_id(meta)
        place = self._in_place(pin, version_name, meta)
        if place is not None:
            uris, options = place.uris, place.storage_options
        else:
            paths = self._fetch_files(pin, version_name, meta)
            uris, options = [Path(p).absolute().as_uri() for p in paths], {}
        return PinFiles(pin, version_name, meta.type, tuple(uris), options)


def _table_format(meta: Meta) -> TableFormat:
    """The file format a scan reads: the type's, or a ``file`` pin's files' common one."""
    fmt = get_driver(meta.type).table_format
    if fmt is None and meta.type == "file":
        found = {_EXTENSIONS.get(PurePosixPath(f).suffix.lower()) for f in meta.file_names}
        fmt = found.pop() if len(found) == 1 else None
    if fmt is None:
        raise PinsUnsupportedTypeError(
            f"Pin {meta.name!r} is of type {meta.type!r}, which holds no table to scan: "
            "pin_scan reads parquet, arrow and csv pins (and pin_upload pins whose files "
            f"are all of one of those formats). Read it with pin_read({meta.name!r})."
        )
    return fmt
