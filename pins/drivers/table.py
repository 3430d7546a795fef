"""The legacy ``table`` pin type of v0 boards: a data frame in ``data.csv`` (read only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PinsMetadataError, PinsTypeError
from ._common import BuiltinDriver
from ._frames import Frame, read_table

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["TableDriver"]


class TableDriver(BuiltinDriver):
    """Read the ``data.csv`` of a v0 ``table`` pin (into pandas by default)."""

    type = "table"
    extension = "csv"
    writes = False

    def accepts(self, obj: object) -> bool:
        """Nothing: v0 pins are never written."""
        return False

    def save(self, obj: object, path: Path) -> None:
        """Refuse: the type is read only."""
        raise PinsTypeError("The pin type 'table' (v0) is read only; write with type='csv'.")

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Read ``data.csv`` among the pin's files as a pandas DataFrame."""
        return self.load_frame(paths, meta, "pandas")

    def load_frame(self, paths: Sequence[Path], meta: Meta, frame: Frame) -> object:
        """Read ``data.csv`` among the pin's files with ``frame``'s CSV reader."""
        for path in paths:
            if path.name == "data.csv":
                return read_table(path, "csv", frame, self.type)
        raise PinsMetadataError(
            f"The legacy table pin {meta.name or ''!r} has no data.csv among its files "
            f"({', '.join(p.name for p in paths) or 'none'})."
        )
