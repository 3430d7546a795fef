"""The ``csv`` pin type: a data frame as comma-separated text with a header row."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from ._common import is_arrow_table, is_polars_frame
from ._tables import FrameDriver

__all__ = ["CsvDriver"]


class CsvDriver(FrameDriver):
    """Write a data frame with ``to_csv(index=False)``; read into pandas (by default,
    ``pandas.read_csv``), polars or pyarrow.

    CSV keeps no types: categoricals, datetimes and other rich dtypes come back as
    strings (or whatever the reader infers), and the index is not written.
    """

    type = "csv"
    extension = "csv"
    table_format = "csv"

    def save(self, obj: object, path: Path) -> None:
        """Write ``obj`` to ``path`` without an index column."""
        frame = cast(Any, obj)
        if is_polars_frame(obj):
            frame.write_csv(path)
            return
        if is_arrow_table(obj):
            frame = frame.to_pandas()
        frame.to_csv(path, index=False)
