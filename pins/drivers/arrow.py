"""The ``arrow`` pin type (Arrow IPC file, i.e. Feather v2) and its read-only ``feather`` alias."""

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

__all__ = ["ArrowDriver", "FeatherDriver"]


class ArrowDriver(BuiltinDriver):
    """Write pandas and polars data frames and pyarrow tables as an Arrow IPC file.

    The file uses pyarrow's default compression (LZ4), as pins-python and R do; it
    reads back as a pandas DataFrame.
    """

    type = "arrow"
    extension = "arrow"

    def accepts(self, obj: object) -> bool:
        """Pandas and polars data frames, and pyarrow tables."""
        return is_pandas_frame(obj) or is_polars_frame(obj) or is_arrow_table(obj)

    def save(self, obj: object, path: Path) -> None:
        """Write ``obj`` to ``path`` with ``pyarrow.feather.write_feather``."""
        require("pyarrow", self.type)
        import pyarrow.feather as feather

        frame = cast(Any, obj)
        if is_polars_frame(obj):
            frame = frame.to_arrow()
        feather.write_feather(frame, path)

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Read the file with ``pandas.read_feather``."""
        require("pyarrow", self.type)
        import pandas as pd

        result: object = pd.read_feather(single_path(paths, self.type))
        return result


class FeatherDriver(ArrowDriver):
    """Read pins of the older ``feather`` type; writing ``feather`` writes ``arrow``."""

    type = "feather"
    extension = "feather"
    writes = False

    def accepts(self, obj: object) -> bool:
        """Nothing: the type is read only."""
        return False
