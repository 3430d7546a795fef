"""The ``joblib`` pin type: any picklable object, written with ``joblib.dump``.

Loading unpickles, which runs code: the board refuses it unless pickle reads are
allowed, before it calls :meth:`JoblibDriver.load`.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PinsUnsupportedTypeError
from ._common import BuiltinDriver, require, single_path
from ._stream import is_stream

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["JoblibDriver"]


class JoblibDriver(BuiltinDriver):
    """Pickle any object with joblib (the optional ``joblib`` extra)."""

    type = "joblib"
    extension = "joblib"
    unsafe_read = True
    extra = "joblib"

    def accepts(self, obj: object) -> bool:
        """Any object but a table stream (which is written as parquet or arrow); one
        that cannot be pickled fails in :meth:`save`."""
        return not is_stream(obj)

    def save(self, obj: object, path: Path) -> None:
        """Write ``obj`` to ``path`` with ``joblib.dump``."""
        joblib = require("joblib", self.type, self.extra)
        try:
            joblib.dump(obj, path)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            raise PinsUnsupportedTypeError(
                f"A {type(obj).__module__}.{type(obj).__qualname__} object cannot be pinned: "
                f"pickling it (type 'joblib') failed: {exc}. Pin the data it holds instead "
                "(a DataFrame, a dict of plain values), or make the object picklable."
            ) from exc

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Unpickle the object with ``joblib.load``."""
        joblib = require("joblib", self.type, self.extra)
        result: object = joblib.load(single_path(paths, self.type))
        return result
