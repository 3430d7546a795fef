"""The ``csv`` pin type: a data frame as comma-separated text with a header row."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ._common import BuiltinDriver, is_arrow_table, is_pandas_frame, is_polars_frame, single_path

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["CsvDriver"]


class CsvDriver(BuiltinDriver):
    """Write a data frame with ``to_csv(index=False)``; read it with ``pandas.read_csv``.

    CSV keeps no types: categoricals, datetimes and other rich dtypes come back as
    strings (or whatever ``read_csv`` infers), and the index is not written.
    """

    type = "csv"
    extension = "csv"

    def accepts(self, obj: object) -> bool:
        """Pandas and polars data frames, and pyarrow tables."""
        return is_pandas_frame(obj) or is_polars_frame(obj) or is_arrow_table(obj)

    def save(self, obj: object, path: Path) -> None:
        """Write ``obj`` to ``path`` without an index column."""
        frame = cast(Any, obj)
        if is_polars_frame(obj):
            frame.write_csv(path)
            return
        if is_arrow_table(obj):
            frame = frame.to_pandas()
        frame.to_csv(path, index=False)

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Read the file with ``pandas.read_csv`` (given the path, for speed)."""
        import pandas as pd

        result: object = pd.read_csv(single_path(paths, self.type))
        return result
