"""The rules for pin names, version ids and file names, in one place.

Every name that reaches a path goes through one of these checks first.

>>> validate_pin_name("sales")
'sales'
>>> validate_pin_name("../etc")
Traceback (most recent call last):
...
pins.errors.PinsNameError: Invalid pin name '../etc': it must not contain '/' or '\\'.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from .errors import PinsNameError

__all__ = [
    "MANIFEST_NAME",
    "VERSION_TIME_FORMAT",
    "as_utc",
    "format_created",
    "make_version_name",
    "parse_created",
    "parse_version_name",
    "validate_file_name",
    "validate_pin_name",
    "validate_version",
]

MANIFEST_NAME = "_pins.yaml"
VERSION_TIME_FORMAT = "%Y%m%dT%H%M%SZ"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_VERSION_NAME = re.compile(r"^(\d{8}T\d{6}Z)-([0-9a-fA-F]+)$")


def _check_component(kind: str, value: object) -> str:
    if not isinstance(value, str):
        raise PinsNameError(f"Invalid {kind} {value!r}: it must be a string.")
    if value == "":
        raise PinsNameError(f"Invalid {kind} '': it must not be empty.")
    if value in (".", ".."):
        raise PinsNameError(f"Invalid {kind} {value!r}: '.' and '..' are not names.")
    if "/" in value or "\\" in value:
        raise PinsNameError(f"Invalid {kind} {value!r}: it must not contain '/' or '\\'.")
    if _CONTROL.search(value):
        raise PinsNameError(f"Invalid {kind} {value!r}: it must not contain control characters.")
    if value != value.strip():
        raise PinsNameError(f"Invalid {kind} {value!r}: it must not start or end with spaces.")
    return value


def validate_pin_name(name: object) -> str:
    """Return ``name`` if it is a valid pin name for a folder-like board, else raise.

    A pin name is one path component: not empty, not ``.`` or ``..``, no ``/`` or
    ``\\``, no control characters, no surrounding spaces, not ``_pins.yaml`` and
    not starting with ``.`` (hidden names are reserved for staging folders).
    """
    value = _check_component("pin name", name)
    if value == MANIFEST_NAME:
        raise PinsNameError(
            f"Invalid pin name: the name {value!r} is reserved for internal use. It is the "
            "board manifest, which lists the pins."
        )
    if value.startswith("."):
        raise PinsNameError(
            f"Invalid pin name {value!r}: names starting with '.' are reserved for pins' "
            "own temporary folders."
        )
    return value


def validate_version(version: object) -> str:
    """Return ``version`` if it is a safe version id (one path component), else raise."""
    value = _check_component("version", version)
    if value.startswith("."):
        raise PinsNameError(f"Invalid version {value!r}: it must not start with '.'.")
    return value


def validate_file_name(name: object) -> str:
    """Return ``name`` if it is a plain file name (as in a data.txt ``file`` field)."""
    return _check_component("file name", name)


def format_created(created: datetime) -> str:
    """Render a timestamp in the compact UTC form used by version names and data.txt."""
    return as_utc(created).strftime(VERSION_TIME_FORMAT)


_CREATED = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")


def parse_created(text: str) -> datetime:
    """Parse the compact form (``20240115T120000Z``) into an aware UTC datetime.

    Raises ValueError for anything else. (Faster than ``strptime``, which matters when
    listing thousands of versions.)
    """
    match = _CREATED.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a timestamp like 20240115T120000Z")
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime, truncated to whole seconds.

    A naive datetime is taken to be local time, as everywhere in Python, and converted.
    """
    if value.tzinfo is None:
        value = value.astimezone()  # attaches the local zone
    return value.astimezone(timezone.utc).replace(microsecond=0)


def make_version_name(created: datetime, pin_hash: str) -> str:
    """``<created in UTC>-<first 5 hex chars of the hash>``, as every pins writes it."""
    return f"{format_created(created)}-{pin_hash[:5]}"


def parse_version_name(version: str) -> tuple[datetime, str] | None:
    """Split a version name into (created, hash prefix), or None if it is not one."""
    match = _VERSION_NAME.match(version)
    if match is None:
        return None
    try:
        created = parse_created(match.group(1))
    except ValueError:
        return None
    return created, match.group(2)
