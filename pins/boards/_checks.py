"""Checks and small rules the :class:`~pins.boards.base.Board` applies, kept apart
from the board so that the board reads as the pin API and nothing else."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .._yaml import plain_text
from ..errors import (
    PinsArgumentError,
    PinsArgumentTypeError,
    PinsHashError,
    PinsMetadataError,
    PinsNameError,
)
from ..hashing import hash_files
from ..messages import shown
from ..meta import Meta, Version, plain_metadata
from ..names import as_utc, validate_file_name

__all__ = [
    "WriteOptions",
    "check_hash_arg",
    "check_prune_args",
    "hash_arg",
    "next_stamp",
    "opt_text",
    "search_pattern",
    "upload_sources",
    "verify_files",
    "version_id",
    "versions_to_prune",
]

_log = logging.getLogger("pins")


@dataclass(frozen=True)
class WriteOptions:
    """What a caller asked of a write, checked before anything is staged."""

    description: str | None
    user: dict[str, Any]
    versioned: bool | None
    created: datetime | None
    force_identical_write: bool
    tags: list[str] | None
    urls: list[str] | None

    @classmethod
    def checked(
        cls,
        description: object,
        metadata: object,
        versioned: bool | None,
        created: datetime | None,
        force_identical_write: bool,
        tags: Sequence[str] | None,
        urls: Sequence[str] | None,
    ) -> WriteOptions:
        user = plain_metadata(metadata or {}, "metadata")
        if not isinstance(user, dict):
            raise PinsMetadataError("metadata must be a dict of plain values.")
        if created is not None and not isinstance(created, datetime):
            raise PinsMetadataError(f"created must be a datetime, not {type(created).__name__}.")
        return cls(
            description=opt_text(description, "description"),
            user=user,
            versioned=versioned,
            created=created,
            force_identical_write=force_identical_write,
            tags=_str_list(tags, "tags"),
            urls=_str_list(urls, "urls"),
        )


def next_stamp(created: datetime | None, versions: list[Version], latest: Meta | None) -> datetime:
    """``created`` if given, else now, moved past the newest version so that a later
    write always sorts later (version names have one-second resolution)."""
    if created is not None:
        return as_utc(created)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    newest = [v.created for v in versions[-1:] if v.created is not None]
    if latest is not None and latest.created_datetime is not None:
        newest.append(latest.created_datetime)
    if newest:
        now = max(now, max(newest) + timedelta(seconds=1))
    return now


def version_id(meta: Meta) -> str:
    assert meta.version is not None, "metadata read from a board always has a version"
    return meta.version.version


def opt_text(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise PinsMetadataError(f"{what} must be a string, not {type(value).__name__}.")
    return plain_text(value, what)


def _str_list(value: Sequence[str] | None, what: str) -> list[str] | None:
    if value is None:
        return None
    items = list(value) if isinstance(value, Iterable) and not isinstance(value, str) else None
    if items is None or not all(isinstance(v, str) for v in items):
        raise PinsMetadataError(f"{what} must be a list of strings, not {shown(value)}.")
    return [plain_text(v, what) for v in items]


def hash_arg(wanted: object) -> str:
    """The ``hash=`` a caller gave, checked before anything is read: the full pin_hash or
    at least its first 5 hex characters, lower-cased."""
    if not isinstance(wanted, str):
        raise PinsArgumentTypeError(
            f"hash must be a string of hex characters (the pin_hash or its first 5), not "
            f"{shown(wanted)}."
        )
    checked = wanted.strip().lower()
    if len(checked) < 5 or not re.fullmatch(r"[0-9a-f]+", checked):
        raise PinsHashError(
            f"hash={wanted!r} is not a hash: give the full pin_hash or at least its first "
            "5 hex characters."
        )
    return checked


def check_hash_arg(meta: Meta, wanted: str) -> None:
    """The ``hash=`` a caller gave must be the pin's hash or a prefix of at least 5."""
    wanted = hash_arg(wanted)
    if not meta.pin_hash.lower().startswith(wanted):
        raise PinsHashError(
            f"Pin {meta.name!r} version {version_id(meta)} has hash {meta.pin_hash}, not {wanted}."
        )


def verify_files(meta: Meta, paths: list[Path]) -> None:
    """Check the files against pin_hash.

    A one-file hash is the file's xxh64 everywhere. Several files are combined with
    pins-python's scheme (ours too); R combines them differently, so a multi-file hash
    that does not match our scheme cannot tell corruption from another writer, and only
    the recorded hash is checked for it.
    """
    actual = hash_files(paths)[0]
    if actual == meta.pin_hash:
        return
    if len(paths) > 1:
        _log.debug("Cannot verify the multi-file hash of %r: unknown scheme.", meta.name)
        return
    raise PinsHashError(
        f"The files of pin {meta.name!r} version {version_id(meta)} have hash {actual}, "
        f"but its metadata records {meta.pin_hash}: the data was changed or corrupted."
    )


def search_pattern(search: str | re.Pattern[str] | None) -> re.Pattern[str] | None:
    """A case-insensitive pattern; a string that is not a valid expression is literal."""
    if search is None or search == "":
        return None
    if isinstance(search, re.Pattern):
        return search
    try:
        return re.compile(search, re.IGNORECASE)
    except re.error:
        return re.compile(re.escape(search), re.IGNORECASE)


def upload_sources(
    paths: str | Path | Sequence[str | Path], meta_file: str
) -> tuple[list[Path], list[str]]:
    """The files ``pin_upload`` was given, checked, and the names they keep."""
    sources = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if not sources:
        raise PinsNameError("pin_upload needs at least one file.")
    for source in sources:
        if not source.is_file():
            raise PinsNameError(f"pin_upload: {str(source)!r} is not a file.")
    names = [validate_file_name(s.name) for s in sources]
    if len(set(names)) != len(names):
        raise PinsNameError("pin_upload: two of the files have the same name.")
    if meta_file in names:
        raise PinsNameError(
            f"pin_upload: a file may not be named {meta_file!r}; it holds the metadata."
        )
    return sources, names


def check_prune_args(n: object, days: object) -> None:
    """``pin_versions_prune`` takes exactly one of ``n`` (at least 1) or ``days``."""
    if (n is None) == (days is None):
        raise PinsArgumentError("pin_versions_prune needs exactly one of n or days.")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise PinsArgumentError(f"n must be a whole number of at least 1, not {shown(n)}.")
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, (int, float)) or days < 0
    ):
        raise PinsArgumentError(f"days must be a number of at least 0, not {shown(days)}.")


def versions_to_prune(versions: list[Version], n: int | None, days: float | None) -> list[str]:
    """The ids of the versions that pruning deletes: all but the ``n`` newest, or those
    older than ``days`` days; never the newest one."""
    keep = {versions[-1].version}
    if n is not None:
        keep.update(v.version for v in versions[-n:])
    else:
        assert days is not None
        cutoff = datetime.now(timezone.utc) - timedelta(days=days)
        keep.update(v.version for v in versions if v.created is None or v.created >= cutoff)
    return [v.version for v in versions if v.version not in keep]
