"""The ``rds`` pin type: an R object serialized by R's ``saveRDS`` (read only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PinsTypeError
from ._common import BuiltinDriver, require, single_path

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["RdsDriver"]


class RdsDriver(BuiltinDriver):
    """Read ``.rds`` files with the optional ``rdata`` package.

    An R data frame becomes a pandas DataFrame (R's row names become its index, and
    integer columns with ``NA`` become nullable ``Int32``); other R objects become
    what ``rdata`` converts them to.
    """

    type = "rds"
    extension = "rds"
    writes = False
    extra = "rdata"

    def accepts(self, obj: object) -> bool:
        """Nothing: pins does not write R serialization."""
        return False

    def save(self, obj: object, path: Path) -> None:
        """Refuse: the type is read only."""
        raise PinsTypeError("The pin type 'rds' is read only; write with type='parquet'.")

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Read and convert the R object with ``rdata.read_rds``."""
        rdata = require("rdata", self.type, self.extra)
        result: object = rdata.read_rds(single_path(paths, self.type))
        return result
