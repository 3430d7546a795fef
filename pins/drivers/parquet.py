"""The ``parquet`` pin type: a data frame or table as an Apache Parquet file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from ._common import is_arrow_table, is_polars_frame, require
from ._stream import TableStream
from ._tables import FrameDriver, arrow_conversion

__all__ = ["ParquetDriver"]


class ParquetDriver(FrameDriver):
    """Write pandas and polars data frames, pyarrow tables and tables larger than memory
    (streams of chunks, a polars LazyFrame); read into pandas (by default), polars or
    pyarrow.

    Parquet keeps dtypes: categoricals, naive and tz-aware datetimes, nullable
    integers and a non-default pandas index survive the round trip.
    """

    type = "parquet"
    extension = "parquet"
    table_format = "parquet"
    streams = True

    def save(self, obj: object, path: Path) -> str | None:
        """Write ``obj`` to ``path`` with each library's own Parquet writer."""
        if isinstance(obj, TableStream):
            return self.save_stream(obj, path)
        frame = cast(Any, obj)
        if is_polars_frame(obj):
            frame.write_parquet(path)
            return None
        require("pyarrow", self.type)
        if is_arrow_table(obj):
            import pyarrow.parquet as pq

            pq.write_table(frame, path)
        else:
            with arrow_conversion(self.type, frame):
                frame.to_parquet(path, engine="pyarrow")
        return None
