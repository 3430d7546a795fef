"""What the table types (``parquet``, ``arrow``, ``csv``) share: reading into the frame
library asked for (:mod:`._frames`), streams (:mod:`._stream`), and refusing, before
anything is written, a pandas frame that Arrow cannot hold."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import PinsTypeError
from ._common import (
    BuiltinDriver,
    check_columns,
    is_arrow_table,
    is_pandas_frame,
    is_polars_frame,
    require,
    single_path,
)
from ._frames import Frame, TableFormat, read_table
from ._stream import TableStream, is_stream

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["FrameDriver", "arrow_conversion"]

_FAILED_COLUMN = re.compile(r"Conversion failed for column (.+?) with type")


class FrameDriver(BuiltinDriver):
    """A type that holds one table: it writes pandas and polars frames and pyarrow
    tables (and, when ``streams``, tables larger than memory: :mod:`._stream`), and reads
    into pandas, polars or pyarrow."""

    table_format: ClassVar[TableFormat]
    #: Whether the type writes :class:`~pins.drivers._stream.TableStream` objects.
    streams: ClassVar[bool] = False

    def accepts(self, obj: object) -> bool:
        """Pandas and polars data frames, pyarrow tables (and streams, where written)."""
        if is_stream(obj):
            return self.streams
        return is_pandas_frame(obj) or is_polars_frame(obj) or is_arrow_table(obj)

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Read the table as a pandas DataFrame."""
        return self.load_frame(paths, meta, "pandas")

    def load_frame(self, paths: Sequence[Path], meta: Meta, frame: Frame) -> object:
        """Read the table with ``frame``'s own reader (pandas, polars or pyarrow)."""
        return read_table(single_path(paths, self.type), self.table_format, frame, self.type)

    def save_stream(self, stream: TableStream, path: Path) -> str:
        """Write a stream of rows chunk by chunk; return the file's xxh64."""
        fmt = self.table_format
        if fmt == "csv":
            raise PinsTypeError(f"The pin type {self.type!r} does not write streams.")
        return stream.write(path, fmt, self.type)

    def describe(self, obj: object) -> str:
        """``"a pinned 3 x 5 DataFrame"`` (a stream's shape once it is written)."""
        if isinstance(obj, TableStream):
            return f"a pinned {obj.rows} x {obj.columns} DataFrame"
        return super().describe(obj)


@contextmanager
def arrow_conversion(type_name: str, frame: Any) -> Iterator[None]:
    """Check a pandas frame, and turn pyarrow's refusal to convert one of its columns
    into a :class:`PinsTypeError` that names the column."""
    check_columns(frame)
    pa = require("pyarrow", type_name)
    try:
        yield
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        reason = "; ".join(str(arg) for arg in exc.args)
        found = _FAILED_COLUMN.search(reason)
        where = f"the column {found.group(1)!r}" if found else "a column"
        raise PinsTypeError(
            f"The pin type {type_name!r} cannot hold {where} of this data frame: {reason}. "
            "Give each column values of one type (e.g. df[col].astype(str)), or pin it "
            "with type='joblib'."
        ) from exc
