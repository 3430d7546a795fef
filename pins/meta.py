"""Pin metadata: :class:`Meta` and its round trip to and from ``data.txt``.

``data.txt`` is YAML that every pins implementation reads with a safe loader, so it
holds plain types only. ``name``, ``version`` and ``local`` are known only when
reading and are never written.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

import yaml

from .errors import PinsMetadataError, PinsNameError
from .names import parse_created, validate_file_name

__all__ = ["Meta", "Version", "dump_yaml", "load_yaml", "plain_metadata"]

try:  # the C loader and dumper are several times faster where libyaml is present
    _Loader: Any = yaml.CSafeLoader
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper

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


def load_yaml(text: str | bytes, where: str = "data.txt") -> Any:
    """Parse YAML with a safe loader; a parse error becomes :class:`PinsMetadataError`."""
    try:
        return yaml.load(text, Loader=_Loader)  # a safe loader
    except yaml.YAMLError as exc:
        raise PinsMetadataError(f"{where} is not valid YAML: {exc}") from exc


def dump_yaml(data: Any) -> str:
    """Serialize plain data as block-style, UTF-8 YAML that safe loaders read back."""
    text: str = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )
    return text


def plain_metadata(value: Any, where: str = "metadata") -> Any:
    """Return ``value`` as plain YAML data (dicts, lists, str, int, float, bool, None,
    dates and datetimes), converting numpy and pandas scalars, arrays, tuples and
    subclasses of the plain types; refuse anything else with :class:`PinsMetadataError`.

    >>> plain_metadata({"n": (1, 2)})
    {'n': [1, 2]}
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
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
                    f"{where} has the key {key!r} of type {type(key).__name__}; "
                    "metadata keys must be strings."
                )
            out[str(key)] = plain_metadata(item, f"{where}[{key!r}]")
        return out
    if isinstance(value, (list, tuple)):
        return [plain_metadata(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if type(value).__module__.split(".")[0] == "numpy":
        return plain_metadata(_from_numpy(value, where), where)
    raise _unplain(value, where)


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
    """

    title: str | None
    description: str | None
    created: str
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
        try:
            return parse_created(self.created)
        except (ValueError, TypeError):
            return None

    @property
    def is_legacy(self) -> bool:
        """True for a v0 pin (no ``api_version``): readable, never written."""
        return self.api_version is None

    def to_dict(self) -> dict[str, Any]:
        """Every field, as plain data (``version`` as a dict)."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["version"] = self.version.to_dict() if self.version is not None else None
        return data

    def replace(self, **changes: Any) -> Meta:
        return dataclasses.replace(self, **changes)

    def to_pin_dict(self) -> dict[str, Any]:
        """The fields written to data.txt, in a fixed order; optional empties left out."""
        data: dict[str, Any] = {
            "file": self.file,
            "file_size": self.file_size,
            "pin_hash": self.pin_hash,
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        if self.tags is not None:
            data["tags"] = list(self.tags)
        if self.urls is not None:
            data["urls"] = list(self.urls)
        data["created"] = self.created
        data["api_version"] = 1 if self.api_version is None else self.api_version
        data["user"] = plain_metadata(self.user or {}, "metadata")
        for key, value in self.unknown_fields.items():
            data.setdefault(key, value)
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
        return cls.from_pin_dict(load_yaml(text), name, version)

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
        return cls(
            title=_opt_str(data.get("title")),
            description=_opt_str(data.get("description")),
            created=str(data["created"]),
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


_KNOWN_FIELDS = frozenset(f.name for f in dataclasses.fields(Meta)) - {"name", "version", "local"}


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
    except ValueError as exc:
        raise PinsMetadataError(f"{where} has an invalid api_version {value!r}.") from exc
    if math.floor(number) != 1:
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
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            raise PinsMetadataError(f"{where} has an invalid file_size {v!r}.")
        return int(v)

    if isinstance(value, list):
        sizes = [as_int(v) for v in value]
        if len(sizes) != len(files) and not legacy:
            raise PinsMetadataError(f"{where} has {len(sizes)} file sizes for {len(files)} files.")
        return sizes
    return as_int(value)
