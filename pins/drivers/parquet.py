"""The ``parquet`` pin type: a data frame or table as an Apache Parquet file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ._common import (
    BuiltinDriver,
    is_arrow_table,
    is_pandas_frame,
    is_polars_frame,
    require,
    single_path,
)

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["ParquetDriver"]


class ParquetDriver(BuiltinDriver):
    """Write pandas and polars data frames and pyarrow tables; read a pandas DataFrame.

    Parquet keeps dtypes: categoricals, naive and tz-aware datetimes, nullable
    integers and a non-default pandas index survive the round trip.
    """

    type = "parquet"
    extension = "parquet"

    def accepts(self, obj: object) -> bool:
        """Pandas and polars data frames, and pyarrow tables."""
        return is_pandas_frame(obj) or is_polars_frame(obj) or is_arrow_table(obj)

    def save(self, obj: object, path: Path) -> None:
        """Write ``obj`` to ``path`` with each library's own Parquet writer."""
        frame = cast(Any, obj)
        if is_polars_frame(obj):
            frame.write_parquet(path)
            return
        require("pyarrow", self.type)
        if is_arrow_table(obj):
            import pyarrow.parquet as pq

            pq.write_table(frame, path)
        else:
            frame.to_parquet(path, engine="pyarrow")

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Read the file with ``pandas.read_parquet``."""
        require("pyarrow", self.type)
        import pandas as pd

        result: object = pd.read_parquet(single_path(paths, self.type))
        return result
