"""Tables larger than memory, written as they stream.

``pin_write`` takes, besides whole frames:

* a pyarrow ``RecordBatchReader``;
* an iterator (a generator, say) of pandas or polars DataFrames, pyarrow Tables or
  RecordBatches, each a chunk of rows of one table;
* a polars ``LazyFrame``, which polars runs in its streaming engine straight into the
  file (``sink_parquet``, ``sink_ipc``).

:func:`as_stream` wraps each in a :class:`TableStream`, which the ``parquet`` and
``arrow`` drivers write chunk by chunk, hashing the bytes as they go (a LazyFrame's file
is hashed once polars has written it): memory holds about one chunk, whatever the size
of the table. Every chunk must have the first one's columns and types (a chunk is cast
to them where that loses nothing); the index of pandas chunks is not written.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from ..errors import PinsTypeError
from ..hashing import HashingWriter, hash_file
from ._common import (
    check_columns,
    is_arrow_table,
    is_batch_reader,
    is_lazy_frame,
    is_pandas_frame,
    is_polars_frame,
    is_record_batch,
    require,
)

__all__ = ["TableStream", "as_stream", "is_stream"]

#: Parquet row groups hold this many rows (or fewer, of at most :data:`ROW_GROUP_BYTES`):
#: chunks are gathered until then, so a stream of small chunks still makes row groups of
#: a useful size, and small enough that a filtered scan skips most of a file.
ROW_GROUP_ROWS = 128 * 1024
ROW_GROUP_BYTES = 64 * 1024 * 1024


def _is_chunk(obj: object) -> bool:
    return any(
        test(obj) for test in (is_record_batch, is_arrow_table, is_pandas_frame, is_polars_frame)
    )


class TableStream:
    """A table written chunk by chunk; made by :func:`as_stream`.

    Attributes
    ----------
    rows, columns
        The shape of what was written (``rows`` is known once it is written).
    """

    def __init__(
        self, source: object, first: object = None, rest: Iterator[Any] | None = None
    ) -> None:
        self._source = source  # a RecordBatchReader, a LazyFrame, or None (chunks)
        self._first = first
        self._rest: Iterator[Any] = rest if rest is not None else iter(())
        self.rows = 0
        self.columns = 0
        self._used = False

    def __repr__(self) -> str:
        return f"<TableStream of {type(self._source or self._first).__name__}>"

    def _take(self) -> None:
        if self._used:
            raise PinsTypeError("A stream of rows can be written once only; make a new one.")
        self._used = True

    def write(self, path: Path, fmt: Literal["parquet", "ipc"], type_name: str) -> str:
        """Write the table to ``path`` as ``fmt``; return the file's xxh64."""
        require("pyarrow", type_name)
        self._take()
        if is_lazy_frame(self._source):
            return self._sink(path, fmt)
        batches = self._batches()
        schema, first = next(batches)
        self.columns = len(schema)
        with HashingWriter(open(path, "wb")) as out:
            writer = _writer(out, schema, fmt)
            try:
                for batch in itertools.chain([first], (b for _, b in batches)):
                    writer.write(batch)
            finally:
                writer.close()
            return out.hexdigest()

    def _sink(self, path: Path, fmt: Literal["parquet", "ipc"]) -> str:
        """Let polars stream the LazyFrame into the file, then hash the file."""
        from polars.exceptions import PolarsError

        lazy: Any = self._source
        try:
            if fmt == "parquet":
                lazy.sink_parquet(path)
            else:
                lazy.sink_ipc(path, compression="lz4")
        except PolarsError as exc:
            raise PinsTypeError(f"polars could not write the LazyFrame: {exc}") from exc
        import pyarrow.dataset as ds

        dataset = ds.dataset(path, format=fmt)
        self.rows, self.columns = dataset.count_rows(), len(dataset.schema)
        return hash_file(path)

    def _batches(self) -> Iterator[tuple[Any, Any]]:
        """(schema, record batch) pairs, every batch with the first one's schema."""
        import pyarrow as pa

        if is_batch_reader(self._source):
            reader: Any = self._source
            chunks: Iterator[Any] = iter(reader)
            schema = reader.schema
        else:
            chunks = itertools.chain([self._first], self._rest)
            schema = None
        for number, chunk in enumerate(chunks):
            for batch in _as_batches(chunk, schema, number):
                if schema is None:
                    schema = batch.schema
                elif not batch.schema.equals(schema):
                    batch = _cast(batch, schema, number)
                if batch.num_rows:
                    self.rows += batch.num_rows
                    yield schema, batch
        if schema is None:
            raise PinsTypeError("The stream of rows is empty: there is no table to write.")
        if self.rows == 0:  # only empty chunks: the schema is known, write no rows
            yield schema, pa.RecordBatch.from_pylist([], schema=schema)


def _as_batches(chunk: object, schema: Any, number: int) -> list[Any]:
    """A chunk of the stream as pyarrow record batches."""
    import pyarrow as pa

    if not _is_chunk(chunk):
        raise PinsTypeError(
            f"Chunk {number} of the stream is a {type(chunk).__module__}."
            f"{type(chunk).__qualname__}: every chunk must be a pandas or polars DataFrame, "
            "a pyarrow Table or a RecordBatch."
        )
    try:
        if is_record_batch(chunk):
            return [chunk]
        if is_polars_frame(chunk):
            chunk = chunk.to_arrow()  # type: ignore[attr-defined]
        elif is_pandas_frame(chunk):
            check_columns(chunk)
            names = [str(c) for c in chunk.columns]  # type: ignore[attr-defined]
            if schema is not None and names != schema.names:
                raise PinsTypeError(_other_columns(number, names, schema.names))
            chunk = pa.Table.from_pandas(chunk, schema=schema, preserve_index=False)
        table: Any = chunk
        return list(table.to_batches()) or [pa.RecordBatch.from_pylist([], schema=table.schema)]
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError) as exc:
        raise PinsTypeError(f"Chunk {number} of the stream cannot be written: {exc}") from exc


def _other_columns(number: int, names: list[str], first: list[str]) -> str:
    return (
        f"Chunk {number} of the stream has the columns {names}, the first chunk {first}: "
        "every chunk must have the same columns."
    )


def _cast(batch: Any, schema: Any, number: int) -> Any:
    import pyarrow as pa

    if batch.schema.names != schema.names:
        raise PinsTypeError(_other_columns(number, batch.schema.names, schema.names))
    try:  # column by column: RecordBatch.cast is pyarrow 16's
        columns = [
            column if column.type == f.type else column.cast(f.type, safe=True)
            for column, f in zip(batch.columns, schema, strict=True)
        ]
        return pa.RecordBatch.from_arrays(columns, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise PinsTypeError(
            f"Chunk {number} of the stream does not have the types of the first chunk "
            f"({exc}): every chunk must have the same column types."
        ) from exc


class _Writer:
    """A Parquet or Arrow IPC writer taking record batches (Parquet ones gathered into
    row groups of about :data:`ROW_GROUP_BYTES`)."""

    def __init__(self, write: Callable[[Any], None], close: Callable[[], None], fmt: str):
        self._write, self._close, self._fmt = write, close, fmt
        self._pending: list[Any] = []
        self._size = self._rows = 0

    def write(self, batch: Any) -> None:
        if self._fmt == "ipc":
            self._write(batch)
            return
        self._pending.append(batch)
        self._size += batch.nbytes
        self._rows += batch.num_rows
        if self._size >= ROW_GROUP_BYTES or self._rows >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            import pyarrow as pa

            self._write(pa.Table.from_batches(self._pending))
            self._pending, self._size, self._rows = [], 0, 0

    def close(self) -> None:
        self._flush()
        self._close()


def _writer(out: HashingWriter, schema: Any, fmt: str) -> _Writer:
    import pyarrow as pa

    if fmt == "parquet":
        import pyarrow.parquet as pq

        # A column's dictionary falls back to plain values past 64 KiB: a dictionary of
        # many distinct values (random floats) in row groups this size made the file 25%
        # larger and the write 4x slower; columns of few values keep theirs.
        parquet = pq.ParquetWriter(out, schema, dictionary_pagesize_limit=64 * 1024)
        return _Writer(
            lambda table: parquet.write_table(table, row_group_size=ROW_GROUP_ROWS),
            parquet.close,
            fmt,
        )
    options = pa.ipc.IpcWriteOptions(compression="lz4")  # as write_feather and R write
    ipc = pa.ipc.new_file(out, schema, options=options)
    return _Writer(ipc.write_batch, ipc.close, fmt)


def is_stream(obj: object) -> bool:
    """Whether ``obj`` is a :class:`TableStream`."""
    return isinstance(obj, TableStream)


def as_stream(obj: object) -> object:
    """``obj`` as a :class:`TableStream` when it is a table to stream (a RecordBatchReader,
    a polars LazyFrame, an iterator of frames or batches); any other object as it is.

    An iterator's first item is taken to tell what it holds.

    Raises
    ------
    PinsTypeError
        An iterator that is empty or whose first item is not a frame or a batch.
    """
    if is_batch_reader(obj) or is_lazy_frame(obj):
        return TableStream(obj)
    if not isinstance(obj, Iterator):
        return obj
    first = next(obj, _END)
    if first is _END:
        raise PinsTypeError("The iterator to write is empty: there is no table to write.")
    if not _is_chunk(first):
        raise PinsTypeError(
            f"pin_write takes an iterator of pandas or polars DataFrames, pyarrow Tables or "
            f"RecordBatches (chunks of one table), not of {type(first).__qualname__}. Write "
            "a list instead to pin the items as json."
        )
    return TableStream(None, first, obj)


_END = object()
