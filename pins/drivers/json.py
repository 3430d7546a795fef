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
from typing import TYPE_CHECKING, Any, Literal, cast

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


_PLAIN_TYPES = frozenset({str, int, float, bool})
_CHUNK_ROWS = 20_000  # records are built and encoded this many rows at a time


def _column_values(column: Any) -> list[object]:
    """One column as plain JSON values, converted in bulk where the dtype allows."""
    import numpy as np

    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else "O"
    if kind in "biu":  # numpy ints and bools cannot be missing
        return cast(list[object], column.tolist())
    missing = column.isna()
    if kind == "M":  # naive datetimes: ISO 8601 strings in bulk
        return _iso_strings(column.to_numpy(), missing.tolist())
    values: list[object] = column.tolist()
    if kind == "f":
        if not missing.any():
            return values
        return [None if na else v for v, na in zip(values, missing.tolist(), strict=True)]
    return [
        None if na else (v if type(v) in _PLAIN_TYPES else _plain(v))
        for v, na in zip(values, missing.tolist(), strict=True)
    ]


def _iso_strings(stamps: Any, missing: list[bool]) -> list[object]:
    """Naive datetime64 values as ISO 8601 text, as ``datetime.isoformat`` writes them:
    whole seconds when no value has a fraction, else microseconds (or nanoseconds)."""
    import numpy as np

    ticks = stamps.astype("datetime64[ns]").astype("int64")[~np.asarray(missing, dtype=bool)]
    unit: Literal["s", "us", "ns"]
    if np.all(ticks % 10**9 == 0):
        unit = "s"
    elif np.all(ticks % 10**3 == 0):
        unit = "us"
    else:
        unit = "ns"
    text: list[object] = np.datetime_as_string(stamps, unit=unit).tolist()
    return [None if na else t for t, na in zip(text, missing, strict=True)]


def _records(frame: Any) -> list[dict[str, object]]:
    """The rows of a pandas DataFrame as records; missing values become ``None``."""
    names = [str(name) for name in frame.columns]
    columns = [_column_values(frame.iloc[:, i]) for i in range(frame.shape[1])]
    if not columns:
        return [{} for _ in range(frame.shape[0])]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _dumps(data: object, what: object) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise PinsTypeError(
            f"The pin type 'json' cannot hold this {type(what).__name__} object: {exc}. "
            "Use type='joblib' for arbitrary Python objects."
        ) from exc


def _write_frame(frame: Any, path: Path) -> None:
    """Write a frame as one JSON list of records, a chunk of rows at a time, so memory
    stays bounded by a chunk; the bytes equal ``json.dumps`` of all records."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for start in range(0, max(len(frame), 1), _CHUNK_ROWS):
            records = _records(frame.iloc[start : start + _CHUNK_ROWS])
            if records:
                out.write(", " if start else "")
                out.write(_dumps(records, frame)[1:-1])
        out.write("]")


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
        if is_polars_frame(obj) or is_arrow_table(obj):
            _write_frame(cast(Any, obj).to_pandas(), path)
        elif is_pandas_frame(obj):
            _write_frame(obj, path)
        else:
            path.write_text(_dumps(obj, obj), encoding="utf-8")

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Read the JSON value (a list, dict or scalar)."""
        result: object = json.loads(single_path(paths, self.type).read_bytes())
        return result
