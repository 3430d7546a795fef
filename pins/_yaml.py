"""YAML as every pins implementation reads it: a safe loader and dumper (libyaml's when
present), and :func:`plain_metadata`, which turns what users give as metadata into the
plain types those read back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import yaml

from .errors import PinsMetadataError
from .messages import shown

__all__ = ["dump_yaml", "load_yaml", "plain_metadata", "plain_text"]

try:  # the C loader and dumper are several times faster where libyaml is present
    _Loader: Any = yaml.CSafeLoader
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


def load_yaml(text: str | bytes, where: str = "data.txt") -> Any:
    """Parse YAML with a safe loader; a parse error becomes :class:`PinsMetadataError`."""
    try:
        return yaml.load(text, Loader=_Loader)  # a safe loader
    except yaml.YAMLError as exc:
        raise PinsMetadataError(f"{where} is not valid YAML: {exc}") from exc
    except (ValueError, OverflowError, RecursionError) as exc:
        # a value the loader cannot build: an integer of over 4,300 digits, a date such
        # as 2024-02-30, nesting deeper than Python's recursion limit
        raise PinsMetadataError(f"{where} holds a value that cannot be read: {exc}") from exc


def dump_yaml(data: Any) -> str:
    """Serialize plain data as block-style, UTF-8 YAML that safe loaders read back;
    :class:`PinsMetadataError` when that cannot be done (nesting too deep to write)."""
    try:
        text: str = yaml.dump(
            data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
        )
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise PinsMetadataError(f"The metadata cannot be written as YAML: {exc}") from exc
    return text


#: How deep metadata may nest (dicts and lists in each other).
MAX_DEPTH = 100
#: Integers longer than this (about 4,000 decimal digits) are refused in metadata.
_MAX_INT_BITS = 13_000


def plain_metadata(value: Any, where: str = "metadata", depth: int = 0) -> Any:
    """Return ``value`` as plain YAML data (dicts, lists, str, int, float, bool, None,
    dates and datetimes), converting numpy and pandas scalars, arrays, tuples and
    subclasses of the plain types; refuse anything else with :class:`PinsMetadataError`,
    as well as values nested over :data:`MAX_DEPTH` levels deep.

    >>> plain_metadata({"n": (1, 2)})
    {'n': [1, 2]}
    """
    if depth > MAX_DEPTH:
        raise PinsMetadataError(f"{where[:60]}... is nested over {MAX_DEPTH} levels deep.")
    if value is None:
        return None
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return plain_text(value, where)
    if isinstance(value, int):
        if value.bit_length() > _MAX_INT_BITS:
            raise PinsMetadataError(
                f"{where} holds an integer of over 4,000 digits, which YAML readers cannot "
                "read back (Python refuses to read integers of over 4,300 digits)."
            )
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, datetime):
        return datetime(
            value.year, value.month, value.day, value.hour, value.minute, value.second,
            value.microsecond, tzinfo=value.tzinfo,
        )  # fmt: skip
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise PinsMetadataError(
                    f"{where} has the key {shown(key)} of type {type(key).__name__}; "
                    "metadata keys must be strings."
                )
            out[plain_text(key, where)] = plain_metadata(item, f"{where}[{key!r}]", depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [plain_metadata(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value)]
    if type(value).__module__.split(".")[0] == "numpy":
        return plain_metadata(_from_numpy(value, where), where, depth + 1)
    raise _unplain(value, where)


def plain_text(value: str, where: str = "metadata") -> str:
    """``value`` as a plain ``str``, refused (:class:`PinsMetadataError`) when UTF-8 cannot
    hold it (a lone surrogate such as ``"\\ud800"``): data.txt is UTF-8 everywhere.

    >>> plain_text("caf\u00e9")
    'café'
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PinsMetadataError(
            f"{where} holds {value[:40]!r}, which is not text UTF-8 can hold ({exc.reason}); "
            "data.txt is UTF-8."
        ) from None
    return str(value)


def _from_numpy(value: Any, where: str) -> Any:
    """A numpy scalar or array as Python data."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return value.tolist() if value.dtype.kind not in "mMO" else list(value)
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        if np.datetime_data(value.dtype)[0] in ("Y", "M", "W", "D"):
            return value.astype("datetime64[D]").item()  # a date
        return value.astype("datetime64[us]").item()  # a datetime, whatever the unit
    if isinstance(value, np.generic) and value.dtype.kind in "biufU":
        return value.item()
    raise _unplain(value, where)


def _unplain(value: Any, where: str) -> PinsMetadataError:
    return PinsMetadataError(
        f"{where} holds a {type(value).__module__}.{type(value).__name__}, which YAML "
        "readers cannot read back safely. Use plain dicts, lists, strings, numbers, "
        "booleans, dates or None."
    )
