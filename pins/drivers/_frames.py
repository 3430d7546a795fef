"""Which library a table comes back in (``frame=``), and lazy scans of table files.

A table file goes straight into the library asked for, with that library's own reader:
pandas is not imported for a polars or pyarrow read.

==========  =====================  ========================  ========================
format      ``"pandas"``           ``"polars"``              ``"pyarrow"``
==========  =====================  ========================  ========================
parquet     ``pd.read_parquet``    ``pl.read_parquet``       ``pq.read_table``
ipc         ``pd.read_feather``    ``pl.read_ipc``           ``feather.read_table``
csv         ``pd.read_csv``        ``pl.read_csv``           ``pyarrow.csv.read_csv``
==========  =====================  ========================  ========================

A scan (:func:`scan`) is lazy: a polars ``LazyFrame`` or a pyarrow ``Dataset``, which
read only the columns and row groups a query needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import PinsArgumentError, PinsArgumentTypeError
from ._common import require
from .base import Frame, TableFormat

__all__ = ["FRAMES", "Frame", "TableFormat", "check_frame", "read_table", "scan"]

#: The libraries a table can be read into; the first is the default.
FRAMES = ("pandas", "polars", "pyarrow")
#: Bytes an object-store file reads ahead of each read of a scan.
SCAN_BLOCK_SIZE = 256 * 1024


def check_frame(value: object, call: str) -> Frame:
    """``frame=`` checked: one of :data:`FRAMES`.

    >>> check_frame("polars", "pin_read")
    'polars'
    """
    if not isinstance(value, str):
        raise PinsArgumentTypeError(
            f"frame must be one of {', '.join(map(repr, FRAMES))}, not {value!r} ({call})."
        )
    if value not in FRAMES:
        raise PinsArgumentError(
            f"frame must be one of {', '.join(map(repr, FRAMES))}, not {value!r} ({call})."
        )
    frame: Frame = value  # type: ignore[assignment]
    return frame


def _module(frame: Frame, type_name: str) -> Any:
    return require(frame, type_name, "polars" if frame == "polars" else None)


#: (library, format) -> (module, function) of the reader: the table above.
_READERS: dict[tuple[Frame, TableFormat], tuple[str, str]] = {
    ("pandas", "parquet"): ("pandas", "read_parquet"),
    ("pandas", "ipc"): ("pandas", "read_feather"),
    ("pandas", "csv"): ("pandas", "read_csv"),
    ("polars", "parquet"): ("polars", "read_parquet"),
    ("polars", "ipc"): ("polars", "read_ipc"),
    ("polars", "csv"): ("polars", "read_csv"),
    ("pyarrow", "parquet"): ("pyarrow.parquet", "read_table"),
    ("pyarrow", "ipc"): ("pyarrow.feather", "read_table"),
    ("pyarrow", "csv"): ("pyarrow.csv", "read_csv"),
}


def read_table(path: Path, fmt: TableFormat, frame: Frame, type_name: str) -> object:
    """One table file as a ``frame`` object, read by that library alone."""
    _module(frame, type_name)  # an install hint when the library is missing
    if frame == "pandas" and fmt != "csv":
        require("pyarrow", type_name)  # pandas reads parquet and feather with it
    module, function = _READERS[frame, fmt]
    result: object = getattr(importlib.import_module(module), function)(path)
    return result


def scan(
    paths: Sequence[str],
    fmt: TableFormat,
    frame: Frame,
    type_name: str,
    filesystem: Any = None,
) -> object:
    """A lazy view of table files: a polars ``LazyFrame`` (``frame="polars"``) or a
    pyarrow ``Dataset`` (``"pyarrow"``, and ``"pandas"``, which has no lazy frame).

    ``paths`` are local files, or, with an fsspec ``filesystem``, paths on it: those are
    read in place with range reads (each read asks for what it needs and at most
    :data:`SCAN_BLOCK_SIZE` more), never downloaded whole.

    The files' schema is read here (a footer, a header), so that a file that is missing
    or not of its format fails now rather than when a query runs.
    """
    if frame == "polars" and filesystem is None:
        pl = _module("polars", type_name)
        scanner = {"parquet": pl.scan_parquet, "ipc": pl.scan_ipc}.get(fmt, pl.scan_csv)
        lazy = scanner(list(paths))
        if hasattr(lazy, "collect_schema"):
            lazy.collect_schema()
        else:  # polars before 1.0
            _ = lazy.schema
        return lazy
    require("pyarrow", type_name)
    import pyarrow.dataset as ds

    arrow_fs = None if filesystem is None else _arrow_filesystem(filesystem)
    dataset = ds.dataset(list(paths), format=fmt, filesystem=arrow_fs)
    if frame == "polars":
        return _module("polars", type_name).scan_pyarrow_dataset(dataset)
    return dataset


def _arrow_filesystem(fs: Any) -> Any:
    """A pyarrow filesystem over an fsspec one whose files read ahead a little only
    (s3fs reads 50 MiB ahead by default: a whole file, for most pins)."""
    from pyarrow import PythonFile
    from pyarrow.fs import FSSpecHandler, PyFileSystem

    class RangeReads(FSSpecHandler):  # type: ignore[misc]
        def open_input_file(self, path: str) -> Any:
            handle = self.fs.open(
                path, mode="rb", block_size=SCAN_BLOCK_SIZE, cache_type="readahead"
            )
            return PythonFile(handle, mode="r")

    return PyFileSystem(RangeReads(fs))
