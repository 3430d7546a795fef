"""Pin metadata: :class:`Meta` and its round trip to and from ``data.txt``.

``data.txt`` is YAML that every pins implementation reads with a safe loader, so it
holds plain types only. ``name``, ``version`` and ``local`` are known only when
reading and are never written.

``Meta.created`` is a datetime (UTC), as ``Version.created`` is; the text of data.txt is
kept as it was read, so a data.txt read and written back is the same.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from ._frozen import freeze, thaw
from ._yaml import MAX_DEPTH, dump_yaml, load_yaml, plain_metadata
from .errors import PinsMetadataError, PinsNameError
from .names import as_utc, format_created, parse_created, validate_file_name

__all__ = ["Meta", "Version", "dump_yaml", "load_yaml", "plain_metadata"]

# The order keys are written in: what a reader looks at first comes first.
_KEY_ORDER = (
    "file",
    "file_size",
    "pin_hash",
    "type",
    "title",
    "description",
    "tags",
    "urls",
    "created",
    "api_version",
    "user",
)
_REQUIRED_V1 = ("file", "file_size", "pin_hash", "type", "created")


@dataclass(frozen=True)
class Version:
    """One version of a pin: its id and, where known, when it was made and its hash.

    For folder-like boards both come from the id (``20240115T120000Z-1d065``); for
    Posit Connect the id is a bundle id and ``created`` is the bundle's time.
    """

    version: str
    created: datetime | None = None
    hash: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "created": self.created, "hash": self.hash}


@dataclass(frozen=True)
class Meta:
    """The metadata of one pin version, as in its ``data.txt`` plus what reading adds.

    ``file`` and ``file_size`` are a single value for a one-file pin and lists for
    several files; :attr:`file_names` and :attr:`file_sizes` always give lists.
    ``created`` is an aware UTC datetime (None for a legacy pin without one); a string
    given for it is parsed. ``user``, ``local``, ``unknown_fields`` and the lists are
    read-only (``dict(meta.user)`` is a copy to change).

    Examples
    --------
    >>> meta = Meta.from_yaml(
    ...     "file: a.json\\nfile_size: 2\\npin_hash: 0123456789abcdef\\ntype: json\\n"
    ...     "title: A\\ndescription: null\\ncreated: 20240115T120000Z\\napi_version: 1\\n"
    ... )
    >>> meta.created
    datetime.datetime(2024, 1, 15, 12, 0, tzinfo=datetime.timezone.utc)
    >>> meta.to_pin_dict()["created"]
    '20240115T120000Z'
    """

    title: str | None
    description: str | None
    created: datetime | None
    pin_hash: str
    file: str | list[str]
    file_size: int | list[int]
    type: str
    api_version: int | float | None = 1
    version: Version | None = None
    tags: list[str] | None = None
    name: str | None = None
    user: dict[str, Any] = field(default_factory=dict)
    local: dict[str, Any] = field(default_factory=dict)
    unknown_fields: dict[str, Any] = field(default_factory=dict)
    urls: list[str] | None = None
    #: ``created`` as data.txt had it, when that was not the compact UTC form.
    created_text: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        created, text = _created(self.created, self.created_text)
        for key, value in (
            ("created", created),
            ("created_text", text),
            ("file", freeze(self.file)),
            ("file_size", freeze(self.file_size)),
            ("tags", freeze(self.tags)),
            ("urls", freeze(self.urls)),
            ("user", freeze(dict(self.user))),
            ("local", freeze(dict(self.local))),
            ("unknown_fields", freeze(dict(self.unknown_fields))),
        ):
            object.__setattr__(self, key, value)

    def __getattr__(self, key: str) -> Any:
        """A data.txt field this version of pins does not know, as ``meta.<field>``
        (as pins-python gives it). Only keys of :attr:`unknown_fields` are looked up
        here: a misspelt known field is still an :class:`AttributeError`."""
        unknown = self.__dict__.get("unknown_fields")
        if not key.startswith("__") and isinstance(unknown, dict) and key in unknown:
            return unknown[key]
        known = [f.name for f in dataclasses.fields(Meta)]
        hint = difflib.get_close_matches(key, known + list(unknown or {}), n=1)
        suggestion = f" Did you mean {hint[0]!r}?" if hint else ""
        raise AttributeError(f"Meta has no field {key!r}.{suggestion}")

    @property
    def file_names(self) -> list[str]:
        return [self.file] if isinstance(self.file, str) else list(self.file)

    @property
    def file_sizes(self) -> list[int]:
        if isinstance(self.file_size, int):
            return [self.file_size]
        return list(self.file_size)

    @property
    def created_datetime(self) -> datetime | None:
        """``created`` (kept for code written when it was text)."""
        return self.created

    @property
    def is_legacy(self) -> bool:
        """True for a v0 pin (no ``api_version``): readable, never written."""
        return self.api_version is None

    def to_dict(self) -> dict[str, Any]:
        """Every field, as plain data (``version`` as a dict)."""
        data = {f.name: thaw(getattr(self, f.name)) for f in dataclasses.fields(self)}
        data["version"] = self.version.to_dict() if self.version is not None else None
        del data["created_text"]
        return data

    def replace(self, **changes: Any) -> Meta:
        return dataclasses.replace(self, **changes)

    def to_pin_dict(self) -> dict[str, Any]:
        """The fields written to data.txt, in a fixed order; optional empties left out."""
        data: dict[str, Any] = {
            "file": thaw(self.file),
            "file_size": thaw(self.file_size),
            "pin_hash": self.pin_hash,
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        if self.tags is not None:
            data["tags"] = list(self.tags)
        if self.urls is not None:
            data["urls"] = list(self.urls)
        if self.created_text is not None:
            data["created"] = self.created_text
        else:
            data["created"] = format_created(self.created) if self.created is not None else ""
        data["api_version"] = 1 if self.api_version is None else self.api_version
        data["user"] = plain_metadata(self.user or {}, "metadata")
        for key, value in self.unknown_fields.items():
            data.setdefault(key, thaw(value))
        return data

    def to_yaml(self) -> str:
        """The data.txt text."""
        return dump_yaml(self.to_pin_dict())

    def to_pin_yaml(self, f: IO[str] | None = None) -> str | None:
        """The data.txt text, written to the text file ``f`` when given (then None is
        returned), as pins-python's ``Meta.to_pin_yaml``."""
        text = self.to_yaml()
        if f is None:
            return text
        f.write(text)
        return None

    @classmethod
    def from_yaml(
        cls, text: str | bytes, name: str | None = None, version: Version | None = None
    ) -> Meta:
        where = f"data.txt of pin {name!r}" if name else "data.txt"
        return cls.from_pin_dict(load_yaml(text, where), name, version)

    @classmethod
    def from_pin_dict(
        cls,
        data: Any,
        pin_name: str | None = None,
        version: Version | None = None,
        local: dict[str, Any] | None = None,
    ) -> Meta:
        """Build a Meta from a parsed data.txt, checking every field a reader relies on."""
        name = pin_name
        where = f"data.txt of pin {name!r}" if name else "data.txt"
        if not isinstance(data, dict):
            raise PinsMetadataError(f"{where} is not a YAML mapping.")
        legacy = "api_version" not in data and "path" in data
        data = dict(data)
        if legacy:  # v0: the files are in `path`, sizes and hash may be missing
            data["file"] = data.pop("path")
            data.setdefault("file_size", 0)
            data.setdefault("pin_hash", "")
            data.setdefault("created", "")
            data.setdefault("type", "table")
        missing = [key for key in _REQUIRED_V1 if data.get(key) is None]
        if not legacy and "api_version" not in data:
            missing.append("api_version")
        if missing:
            raise PinsMetadataError(f"{where} lacks the required field(s) {', '.join(missing)}.")
        files = _check_files(data["file"], where)
        sizes = _check_sizes(data["file_size"], files, where, legacy)
        user = data.get("user")
        if user is None:
            user = {}
        if not isinstance(user, dict):
            raise PinsMetadataError(f"{where} has a `user` field that is not a mapping.")
        if _deeper_than(data, MAX_DEPTH + 1):  # user's values are one level down
            raise PinsMetadataError(f"{where} nests values over {MAX_DEPTH} levels deep.")
        return cls(
            title=_opt_str(data.get("title")),
            description=_opt_str(data.get("description")),
            created=None,
            created_text=_created_field(data["created"]),
            pin_hash=str(data["pin_hash"]),
            file=files if isinstance(data["file"], list) else files[0],
            file_size=sizes,
            type=str(data["type"]),
            api_version=None if legacy else _api_version(data["api_version"], where),
            version=version,
            tags=_opt_str_list(data.get("tags"), "tags", where),
            urls=_opt_str_list(data.get("urls"), "urls", where),
            name=name,
            user=user,
            local=dict(local or {}),
            unknown_fields={k: v for k, v in data.items() if k not in _KNOWN_FIELDS},
        )


_KNOWN_FIELDS = frozenset(f.name for f in dataclasses.fields(Meta)) - {
    "name",
    "version",
    "local",
    "created_text",
}


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether dicts and lists nest in ``value`` over ``limit`` levels (no recursion)."""
    todo = [(value, 0)]
    while todo:
        item, depth = todo.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            todo.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            todo.extend((v, depth + 1) for v in item)
    return False


def _created_field(value: Any) -> str:
    """data.txt's ``created`` as text (a YAML timestamp comes back as a datetime)."""
    if isinstance(value, datetime):
        try:
            return format_created(value)
        except (ValueError, OverflowError):  # out of range once in UTC (year 1 or 9999)
            return value.isoformat()
    return str(value)


def _created(value: datetime | str | None, text: str | None) -> tuple[datetime | None, str | None]:
    """``created`` as an aware UTC datetime, and the text to write for it when that is
    not its compact form (``None`` when it is)."""
    if isinstance(value, datetime):
        return as_utc(value), text
    source = value if isinstance(value, str) else text
    if source is None:
        return None, None
    try:
        return parse_created(source), None
    except ValueError:
        return None, source


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _opt_str_list(value: Any, key: str, where: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    raise PinsMetadataError(f"{where} has a `{key}` field that is not a list.")


def _api_version(value: Any, where: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PinsMetadataError(f"{where} has an invalid api_version {value!r}.")
    try:
        number = float(value)
    except (ValueError, OverflowError) as exc:
        raise PinsMetadataError(f"{where} has an invalid api_version {value!r:.40}.") from exc
    if not math.isfinite(number) or math.floor(number) != 1:
        raise PinsMetadataError(
            f"{where} has api_version {value!r}; this version of pins reads api_version 1 "
            "(and legacy pins without one). Upgrade pins to read it."
        )
    return value if isinstance(value, (int, float)) else number


def _check_files(value: Any, where: str) -> list[str]:
    entries = value if isinstance(value, list) else [value]
    if not entries:
        raise PinsMetadataError(f"{where} lists no files.")
    out = []
    for entry in entries:
        try:
            out.append(validate_file_name(entry))
        except PinsNameError as exc:
            raise PinsMetadataError(
                f"{where} names the file {entry!r}, which is not a plain file name; "
                "refusing to read outside the version folder."
            ) from exc
    if len(set(out)) != len(out):
        raise PinsMetadataError(f"{where} lists a file twice.")
    return out


def _check_sizes(value: Any, files: Sequence[str], where: str, legacy: bool) -> int | list[int]:
    def as_int(v: Any) -> int:
        finite = isinstance(v, int) or (isinstance(v, float) and math.isfinite(v))
        if isinstance(v, bool) or not finite or v < 0:
            raise PinsMetadataError(f"{where} has an invalid file_size {v!r:.40}.")
        return int(v)

    if isinstance(value, list):
        sizes = [as_int(v) for v in value]
        if len(sizes) != len(files) and not legacy:
            raise PinsMetadataError(f"{where} has {len(sizes)} file sizes for {len(files)} files.")
        return sizes
    return as_int(value)
