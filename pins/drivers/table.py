"""The legacy ``table`` pin type of v0 boards: a data frame in ``data.csv`` (read only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PinsMetadataError, PinsTypeError
from ._common import BuiltinDriver

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["TableDriver"]


class TableDriver(BuiltinDriver):
    """Read the ``data.csv`` of a v0 ``table`` pin with ``pandas.read_csv``."""

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
        """Read ``data.csv`` among the pin's files."""
        import pandas as pd

        for path in paths:
            if path.name == "data.csv":
                result: object = pd.read_csv(path)
                return result
        raise PinsMetadataError(
            f"The legacy table pin {meta.name or ''!r} has no data.csv among its files "
            f"({', '.join(p.name for p in paths) or 'none'})."
        )
