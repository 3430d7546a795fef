"""The ``json`` pin type: any JSON value; a data frame as a list of records.

This module is ``pins.drivers.json``; ``import json`` below is an absolute import and
gets the standard library module.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..errors import PinsTypeError
from ._common import BuiltinDriver, is_arrow_table, is_pandas_frame, is_polars_frame, single_path

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["JsonDriver"]

_SCALARS = (str, int, float, bool, type(None))


def _jsonable(obj: object, ancestors: frozenset[int] = frozenset()) -> bool:
    """Whether ``json.dump`` writes ``obj`` as standard JSON (finite floats, no cycles)."""
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, _SCALARS):
        return True
    if id(obj) in ancestors:
        return False
    inner = ancestors | {id(obj)}
    if isinstance(obj, dict):
        return all(isinstance(k, str) and _jsonable(v, inner) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return all(_jsonable(item, inner) for item in obj)
    return False


def _plain(value: object) -> object:
    """A record value as plain JSON data: ISO strings for times, Python scalars."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__.split(".")[0] == "numpy":
        return _plain(item())
    return value


def _records(frame: Any) -> list[dict[str, object]]:
    """The rows of a pandas DataFrame as records; missing values become ``None``."""
    names = [str(name) for name in frame.columns]
    columns: list[list[object]] = []
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        missing = column.isna().tolist()
        values = column.tolist()
        columns.append([None if na else _plain(v) for v, na in zip(values, missing, strict=True)])
    if not columns:
        return [{} for _ in range(frame.shape[0])]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


class JsonDriver(BuiltinDriver):
    """Write JSON as UTF-8 (``ensure_ascii=False``); read back the JSON value.

    A data frame is written as a list of records, as R does: missing values become
    ``null``, datetimes ISO 8601 strings, and the index is not written. It reads back
    as that list, not as a data frame.
    """

    type = "json"
    extension = "json"

    def accepts(self, obj: object) -> bool:
        """Data frames and plain JSON data (dicts with string keys, lists, scalars)."""
        if is_pandas_frame(obj) or is_polars_frame(obj) or is_arrow_table(obj):
            return True
        return _jsonable(obj)

    def save(self, obj: object, path: Path) -> None:
        """Write ``obj`` to ``path`` as UTF-8 JSON."""
        data: object = obj
        if is_polars_frame(obj) or is_arrow_table(obj):
            data = _records(cast(Any, obj).to_pandas())
        elif is_pandas_frame(obj):
            data = _records(obj)
        try:
            text = json.dumps(data, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise PinsTypeError(
                f"The pin type 'json' cannot hold this {type(obj).__name__} object: {exc}. "
                "Use type='joblib' for arbitrary Python objects."
            ) from exc
        path.write_text(text, encoding="utf-8")

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Read the JSON value (a list, dict or scalar)."""
        result: object = json.loads(single_path(paths, self.type).read_bytes())
        return result
