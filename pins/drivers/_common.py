"""Helpers shared by the built-in drivers: object kinds, descriptions, optional imports.

Nothing here imports pandas, pyarrow or polars: an object is recognised as a frame only
when its library is already imported (it has to be, for the object to exist).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import PinsMissingDependencyError, PinsTypeError
from .base import Driver

__all__ = [
    "BuiltinDriver",
    "check_columns",
    "describe_object",
    "is_arrow_table",
    "is_batch_reader",
    "is_lazy_frame",
    "is_pandas_frame",
    "is_polars_frame",
    "is_record_batch",
    "require",
    "single_path",
]


def _instance_of(obj: object, module: str, attr: str) -> bool:
    mod = sys.modules.get(module)
    cls = getattr(mod, attr, None) if mod is not None else None
    return isinstance(cls, type) and isinstance(obj, cls)


def is_pandas_frame(obj: object) -> bool:
    """Whether ``obj`` is a ``pandas.DataFrame`` (without importing pandas)."""
    return _instance_of(obj, "pandas", "DataFrame")


def is_arrow_table(obj: object) -> bool:
    """Whether ``obj`` is a ``pyarrow.Table`` (without importing pyarrow)."""
    return _instance_of(obj, "pyarrow", "Table")


def is_polars_frame(obj: object) -> bool:
    """Whether ``obj`` is a ``polars.DataFrame`` (without importing polars)."""
    return _instance_of(obj, "polars", "DataFrame")


def is_lazy_frame(obj: object) -> bool:
    """Whether ``obj`` is a ``polars.LazyFrame`` (without importing polars)."""
    return _instance_of(obj, "polars", "LazyFrame")


def is_record_batch(obj: object) -> bool:
    """Whether ``obj`` is a ``pyarrow.RecordBatch`` (without importing pyarrow)."""
    return _instance_of(obj, "pyarrow", "RecordBatch")


def is_batch_reader(obj: object) -> bool:
    """Whether ``obj`` is a ``pyarrow.RecordBatchReader`` (without importing pyarrow)."""
    return _instance_of(obj, "pyarrow", "RecordBatchReader")


def require(module: str, type_name: str, extra: str | None = None) -> ModuleType:
    """Import the ``module`` that the pin type ``type_name`` needs: an optional one (in
    the ``extra`` of pins), or (no ``extra``) a requirement of pins such as pyarrow,
    missing from a broken installation.

    Raises
    ------
    PinsMissingDependencyError
        When the import fails; the message says what to install.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if extra:
            what, hint = "the optional package", f'pip install "pins[{extra}]"'
        else:
            what, hint = "the package", f"pip install {module} (pins requires it)"
        raise PinsMissingDependencyError(
            f"The pin type {type_name!r} needs {what} {module!r}, which is not installed. "
            f"Install it with: {hint}"
        ) from exc


def describe_object(obj: object) -> str:
    """The tail of a default title.

    >>> describe_object({"a": 1})
    'a pinned dict object'
    """
    if is_pandas_frame(obj) or is_polars_frame(obj) or is_arrow_table(obj):
        rows, cols = obj.shape  # type: ignore[attr-defined]
        kind = "Table" if is_arrow_table(obj) else "DataFrame"
        return f"a pinned {rows} x {cols} {kind}"
    return f"a pinned {type(obj).__name__} object"


def check_columns(frame: Any) -> None:
    """Refuse a pandas frame with duplicate column names, which Arrow cannot hold."""
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        names = ", ".join(sorted({repr(name) for name in duplicated}))
        raise PinsTypeError(
            f"The data frame has duplicate column names ({names}), which parquet and arrow "
            "files cannot hold. Rename the columns so that each name is used once."
        )


def single_path(paths: Sequence[Path], type_name: str) -> Path:
    """The one file of a single-file pin type."""
    if not paths:
        raise PinsTypeError(f"A pin of type {type_name!r} has no file to read.")
    return paths[0]


class BuiltinDriver(Driver):
    """A driver shipped with pins: describes data frames by their shape."""

    def describe(self, obj: object) -> str:
        """The tail of the default title: ``"a pinned 3 x 5 DataFrame"``."""
        return describe_object(obj)
