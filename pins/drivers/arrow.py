"""The ``arrow`` pin type (Arrow IPC file, i.e. Feather v2) and its read-only ``feather`` alias."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from ._common import is_arrow_table, is_polars_frame, require
from ._stream import TableStream
from ._tables import FrameDriver, arrow_conversion

__all__ = ["ArrowDriver", "FeatherDriver"]


class ArrowDriver(FrameDriver):
    """Write pandas and polars data frames, pyarrow tables and tables larger than memory
    as an Arrow IPC file; read into pandas (by default), polars or pyarrow.

    The file uses pyarrow's default compression (LZ4), as pins-python and R do.
    """

    type = "arrow"
    extension = "arrow"
    table_format = "ipc"
    streams = True

    def save(self, obj: object, path: Path) -> str | None:
        """Write ``obj`` to ``path`` with ``pyarrow.feather.write_feather``."""
        if isinstance(obj, TableStream):
            return self.save_stream(obj, path)
        require("pyarrow", self.type)
        import pyarrow.feather as feather

        frame = cast(Any, obj)
        if is_polars_frame(obj):
            feather.write_feather(frame.to_arrow(), path)
        elif is_arrow_table(obj):
            feather.write_feather(frame, path)
        else:
            with arrow_conversion(self.type, frame):
                feather.write_feather(frame, path)
        return None


class FeatherDriver(ArrowDriver):
    """Read pins of the older ``feather`` type; writing ``feather`` writes ``arrow``."""

    type = "feather"
    extension = "feather"
    writes = False

    def accepts(self, obj: object) -> bool:
        """Nothing: the type is read only."""
        return False
