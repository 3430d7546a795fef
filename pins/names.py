"""The rules for pin names, version ids and file names, in one place.

Every name that reaches a path goes through one of these checks first. Reading is
lenient: a pin written on Linux by R or pins-python with a name Windows cannot hold is
still read where the system allows it. Writing a new pin or file to a folder-like board
is strict (:func:`validate_new_name`): the name must be one that every system can hold,
because the board is read by others, on Windows and macOS too. The on-disk cache, which
holds any name it reads, maps names to safe paths with :func:`path_component`.

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
from urllib.parse import unquote

from .errors import PinsNameError
from .messages import shown

__all__ = [
    "MANIFEST_NAME",
    "MAX_NAME_BYTES",
    "META_FILE",
    "VERSION_TIME_FORMAT",
    "as_utc",
    "format_created",
    "make_version_name",
    "parse_created",
    "parse_version_name",
    "path_component",
    "path_name",
    "portability_problem",
    "validate_file_name",
    "validate_new_name",
    "validate_pin_name",
    "validate_version",
]

MANIFEST_NAME = "_pins.yaml"
#: The metadata file of every version, in every pins implementation.
META_FILE = "data.txt"
VERSION_TIME_FORMAT = "%Y%m%dT%H%M%SZ"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_VERSION_NAME = re.compile(r"^(\d{8}T\d{6}Z)-([0-9a-fA-F]+)$")


#: The longest name (in UTF-8 bytes) that file systems hold in one path component.
MAX_NAME_BYTES = 255


def _check_component(kind: str, value: object) -> str:
    if not isinstance(value, str):
        raise PinsNameError(f"Invalid {kind} {shown(value)}: it must be a string.")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        raise PinsNameError(
            f"Invalid {kind} {value!r}: it is not text that UTF-8 can hold (a lone surrogate)."
        ) from None
    if size > MAX_NAME_BYTES:
        raise PinsNameError(
            f"Invalid {kind} {value[:40]!r}...: it is {size} bytes long in UTF-8; file "
            f"systems hold names of at most {MAX_NAME_BYTES} bytes."
        )
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
    ``\\``, no control characters, no surrounding spaces, not ``_pins.yaml``, not
    starting with ``.`` (hidden names are reserved for staging folders), and text that
    UTF-8 holds in at most 255 bytes (:data:`MAX_NAME_BYTES`).
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


#: Names Windows gives to devices, whatever their extension (``nul.txt`` is NUL too).
_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [
        f"{port}{n}"
        for port in ("com", "lpt")
        for n in [*"123456789", "\u00b9", "\u00b2", "\u00b3"]
    ]
)
#: Characters Windows refuses in a file name (``:`` would also name an NTFS stream).
_NOT_ON_WINDOWS = frozenset('<>:"|?*')


def portability_problem(name: str) -> str | None:
    """Why ``name`` (one path component) cannot be a file or folder name on Windows,
    or None when every system can hold it.

    >>> portability_problem("nul.txt")
    "'nul' is a device name on Windows"
    >>> portability_problem("sales") is None
    True
    """
    bad = sorted(set(name) & _NOT_ON_WINDOWS)
    if bad:
        shown = " ".join(bad)
        return f"Windows does not allow {shown} in a file name"
    if name.endswith((".", " ")):
        return "Windows drops a '.' or a space at the end of a name"
    stem = name.split(".", 1)[0].rstrip(" ")
    if stem.lower() in _DEVICES:
        return f"{stem!r} is a device name on Windows"
    return None


def validate_new_name(kind: str, name: str) -> str:
    """``name`` (already a valid pin or file name) if every system can hold it; the
    rule for names a write creates. Raises :class:`PinsNameError` with the reason.

    >>> validate_new_name("pin name", "a:b")
    Traceback (most recent call last):
    ...
    pins.errors.PinsNameError: Invalid pin name 'a:b': Windows does not allow : in a file name. ...
    """
    problem = portability_problem(name)
    if problem is not None:
        raise PinsNameError(
            f"Invalid {kind} {name!r}: {problem}. Boards are read on every system; choose "
            "a name of letters, digits, '-', '_' and '.'."
        )
    return name


#: What a cache path keeps as it is; every other character is escaped as %XX (UTF-8).
_PLAIN_FOLDED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_. ")


def path_component(name: str, *, keep_case: bool = False) -> str:
    """The path component that holds ``name`` (already validated) in the cache.

    The mapping is reversible (:func:`path_name`) and safe on every system: characters
    Windows refuses, a device name, a leading ``.`` and a trailing ``.`` or space are
    escaped as ``%XX``. Unless ``keep_case`` (file names, which users see), every
    character but lowercase ASCII letters, digits, ``-``, ``_``, ``.`` and space is
    escaped too, so that two names that differ only in case never share a folder on a
    system that ignores case. A version name (``20240115T120000Z-1d065``) is kept.

    >>> path_component("sales"), path_component("Sales"), path_component("CON.txt", keep_case=True)
    ('sales', '%53ales', '%43ON.txt')
    """
    if not keep_case and parse_version_name(name) is not None:
        return name
    if keep_case:
        out = [_escape(c) if c in _NOT_ON_WINDOWS or c == "%" else c for c in name]
    else:
        out = [c if c in _PLAIN_FOLDED else _escape(c) for c in name]
    if out and name[0] == ".":
        out[0] = _escape(".")
    if len(out) > 1 and name[-1] in ". ":
        out[-1] = _escape(name[-1])
    if name.split(".", 1)[0].rstrip(" ").lower() in _DEVICES:
        out[0] = _escape(name[0])
    return "".join(out)


def path_name(component: str) -> str:
    """The name a cache path component holds (the inverse of :func:`path_component`)."""
    return unquote(component, errors="replace") if "%" in component else component


def _escape(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


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
