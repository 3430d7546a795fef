"""The ``json`` pin type: any JSON value; a data frame as a list of records.

Encoded with orjson, which writes every float as the shortest text that reads back as
the same float (``0.1 + 0.2`` is ``0.30000000000000004``, ``1e-300`` stays ``1e-300``).
Integers beyond 64 bits are written in full by the standard library instead. What JSON
has no form for is converted, the same way in dicts, lists and frames:

* NaN and the infinities become ``null`` (as pandas' ``to_json`` writes them), as do
  ``None``, pandas' ``NA`` and ``NaT``;
* numpy scalars become the Python number or bool they hold (a ``float32`` its exact
  value as a float);
* datetimes, dates and times (pandas ``Timestamp`` too) become ISO 8601 text, as
  ``isoformat()`` writes it; timedeltas their ``str()``; tuples lists.

Anything else (sets, numpy arrays, dict keys that are not strings, other objects) cannot
be stored: an explicit ``type="json"`` is refused with the key that holds it, and with
no ``type`` such an object is pinned as joblib, as before.

This module is ``pins.drivers.json``; ``import json`` below is an absolute import and
gets the standard library module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import orjson

from ..errors import PinsTypeError
from ._common import BuiltinDriver, is_arrow_table, is_pandas_frame, is_polars_frame, single_path

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["JsonDriver", "dumps", "loads"]

#: 19 digits in a row: maybe an integer orjson would read as a float (beyond 64 bits).
_LONG_NUMBER = re.compile(rb"[0-9]{19}")
_MISSING = frozenset({"NaTType", "NAType"})


class _Unstorable(Exception):
    """A value JSON cannot hold, at ``path`` (a list of keys and indexes)."""

    def __init__(self, path: list[object], what: str) -> None:
        super().__init__(what)
        self.path, self.what = path, what

    def where(self) -> str:
        return "".join(f"[{key!r}]" for key in self.path) or "the top level"


def _missing(value: object) -> bool:
    return type(value).__name__ in _MISSING and type(value).__module__.startswith("pandas")


def _convert(value: object) -> object:
    """A value orjson does not write itself, as plain JSON data (the documented
    conversions); TypeError for what JSON cannot hold."""
    if _missing(value):
        return None
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        import numpy as np

        if isinstance(value, np.datetime64):
            return None if np.isnat(value) else str(np.datetime_as_string(value))
        if isinstance(value, np.generic) and not isinstance(value, np.timedelta64):
            return value.item()
    raise TypeError(f"a {type(value).__module__}.{type(value).__qualname__} object")


def _plain(obj: object, path: list[object], ancestors: frozenset[int]) -> object:
    """``obj`` as plain JSON data (non-finite floats as None), or :class:`_Unstorable`."""
    if isinstance(obj, float):
        return obj if obj - obj == 0 else None  # NaN and infinities are not finite
    if obj is None or isinstance(obj, (str, int)):
        return obj
    if isinstance(obj, (dict, list, tuple)):
        if id(obj) in ancestors:
            raise _Unstorable(path, "a reference to itself (a cycle)")
        inner = ancestors | {id(obj)}
        if isinstance(obj, dict):
            for key in obj:
                if not isinstance(key, str):
                    raise _Unstorable([*path, key], f"a key of type {type(key).__name__}")
            return {k: _plain(v, [*path, k], inner) for k, v in obj.items()}
        return [_plain(v, [*path, i], inner) for i, v in enumerate(obj)]
    try:
        converted = _convert(obj)
    except TypeError as exc:
        raise _Unstorable(path, str(exc)) from None
    return _plain(converted, path, ancestors)


def dumps(obj: object) -> bytes:
    """``obj`` as compact UTF-8 JSON, converted as the module says.

    >>> dumps({"x": 0.1 + 0.2, "missing": float("nan"), "big": 2**70})
    b'{"x":0.30000000000000004,"missing":null,"big":1180591620717411303424}'

    Raises
    ------
    _Unstorable
        For a value JSON cannot hold; it says where.
    """
    try:
        return orjson.dumps(obj, default=_convert)
    except TypeError:  # orjson.JSONEncodeError: a big integer, a cycle, or unstorable
        plain = _plain(obj, [], frozenset())
        text = json.dumps(plain, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8")


def loads(data: bytes) -> object:
    """A JSON document read back exactly: orjson, or the standard library for what orjson
    would round or refuse (integers beyond 64 bits; the ``NaN`` tokens that Python's
    ``json`` and pins-python write)."""
    if _LONG_NUMBER.search(data) is None:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    result: object = json.loads(data)
    return result


def _message(exc: _Unstorable) -> str:
    return (
        f"The pin type 'json' cannot hold the value at {exc.where()}: {exc.what}. JSON "
        "holds strings, numbers, booleans, null, lists and dicts with string keys."
    )


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
    if missing.any():  # missing values become None, in bulk
        cells = column.to_numpy(dtype=object, copy=True)
        cells[missing.to_numpy(dtype=bool)] = None
        values: list[object] = cells.tolist()
    else:
        values = column.tolist()
    if kind == "f" or _holds_text(column):
        return values  # floats: infinities are written as null by orjson
    if all(type(v) in _PLAIN_TYPES or v is None for v in values):
        return values
    return [v if type(v) in _PLAIN_TYPES or v is None else _convert_value(v) for v in values]


def _holds_text(column: Any) -> bool:
    """Whether a column's dtype holds only strings (and missing values)."""
    import pandas as pd

    return isinstance(column.dtype, pd.StringDtype)


def _convert_value(value: object) -> object:
    """A cell of an object column: converted when JSON has no form for it, else as is
    (dicts and lists in cells are written as they are)."""
    try:
        return _convert(value)
    except TypeError:
        return value


def _iso_strings(stamps: Any, missing: list[bool]) -> list[object]:
    """Naive datetime64 values as ISO 8601 text, as ``datetime.isoformat`` writes them:
    whole seconds when no value has a fraction, else microseconds (or nanoseconds)."""
    import numpy as np

    gaps = np.asarray(missing, dtype=bool)
    ticks = stamps.astype("datetime64[ns]").astype("int64")[~gaps]
    unit: Literal["s", "us", "ns"]
    if np.all(ticks % 10**9 == 0):
        unit = "s"
    elif np.all(ticks % 10**3 == 0):
        unit = "us"
    else:
        unit = "ns"
    text: list[object] | None = None
    if unit == "s":  # the common case, in orjson's own loop: the same text, 3x faster
        seconds = stamps.astype("datetime64[s]")
        seconds[gaps] = np.datetime64(0, "s")
        try:
            text = orjson.loads(orjson.dumps(seconds, option=orjson.OPT_SERIALIZE_NUMPY))
        except TypeError:  # a year outside 1 to 9999: numpy writes it
            text = None
    if text is None:
        text = np.datetime_as_string(stamps, unit=unit).tolist()
    return [None if na else t for t, na in zip(text, missing, strict=True)] if gaps.any() else text


def _records(frame: Any) -> list[dict[str, object]]:
    """The rows of a pandas DataFrame as records; missing values become ``None``."""
    names = [str(name) for name in frame.columns]
    columns = [_column_values(frame.iloc[:, i]) for i in range(frame.shape[1])]
    if not columns:
        return [{} for _ in range(frame.shape[0])]
    return list(map(dict, map(zip, repeat(names), zip(*columns, strict=True))))


def _write_frame(frame: Any, path: Path) -> None:
    """Write a frame as one JSON list of records, a chunk of rows at a time, so memory
    stays bounded by a chunk."""
    with open(path, "wb") as out:
        out.write(b"[")
        for start in range(0, max(len(frame), 1), _CHUNK_ROWS):
            records = _records(frame.iloc[start : start + _CHUNK_ROWS])
            if records:
                out.write(b"," if start else b"")
                try:
                    out.write(dumps(records)[1:-1])
                except _Unstorable as exc:
                    column = exc.path[1] if len(exc.path) > 1 else "?"
                    raise PinsTypeError(
                        f"The pin type 'json' cannot hold the column {column!r} of this data "
                        f"frame: it holds {exc.what}. Use type='parquet' or type='joblib'."
                    ) from None
        out.write(b"]")


class JsonDriver(BuiltinDriver):
    """Write UTF-8 JSON with orjson, exactly (see the module); read back the JSON value.

    A data frame is written as a list of records, as R does: missing values become
    ``null``, datetimes ISO 8601 strings, and the index is not written. It reads back
    as that list, not as a data frame.
    """

    type = "json"
    extension = "json"

    def accepts(self, obj: object) -> bool:
        """Data frames and JSON data (the conversions of the module included)."""
        return self.refusal(obj) is None

    def refusal(self, obj: object) -> str | None:
        """None for frames and JSON data; else which key holds what JSON cannot hold."""
        if is_pandas_frame(obj) or is_polars_frame(obj) or is_arrow_table(obj):
            return None
        try:
            dumps(obj)
        except _Unstorable as exc:
            return _message(exc)
        return None

    def save(self, obj: object, path: Path) -> None:
        """Write ``obj`` to ``path`` as UTF-8 JSON."""
        if is_polars_frame(obj) or is_arrow_table(obj):
            _write_frame(cast(Any, obj).to_pandas(), path)
        elif is_pandas_frame(obj):
            _write_frame(obj, path)
        else:
            try:
                data = dumps(obj)
            except _Unstorable as exc:
                raise PinsTypeError(
                    f"{_message(exc)} Use type='joblib' for arbitrary Python objects."
                ) from None
            path.write_bytes(data)

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Read the JSON value (a list, dict or scalar)."""
        return loads(single_path(paths, self.type).read_bytes())
