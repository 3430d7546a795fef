"""URLs and listings of a URL board: normalizing and checking them, where the
credentials of a URL are removed before it is shown, and what a manifest or an explicit
``pin_paths`` mapping says. The order of versions is the layout's (:mod:`._layout`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from ..errors import PinsArgumentError, PinsError, PinsServerError
from ..meta import dump_yaml
from ..names import (
    MANIFEST_NAME,
    format_created,
    parse_version_name,
    validate_pin_name,
    validate_version,
)
from ._layout import version_order, version_record

__all__ = [
    "Entries",
    "board_url_of",
    "file_meta",
    "fixed_listing",
    "folder_url",
    "manifest_mapping",
    "resolve_folders",
    "version_of",
    "without_credentials",
]

_log = logging.getLogger("pins")

#: A pin's versions: [(version id, version folder URL, or the file's URL)], oldest first.
Entries = list[tuple[str, str]]


def board_url_of(url: str, pin_paths: Mapping[str, object] | None = None) -> str:
    """The board's URL, ending in ``/``; ``""`` for a board of ``pin_paths`` that are all
    absolute URLs (as pins-python's ``board_url("", {...})``)."""
    if url == "" and pin_paths:
        for name, path in pin_paths.items():
            if not isinstance(path, str) or urlsplit(path).scheme not in ("http", "https"):
                raise PinsArgumentError(
                    f"board_url('', pin_paths) needs absolute http(s) URLs; pin_paths[{name!r}] "
                    f"is {path!r}."
                )
        return ""
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise PinsArgumentError(f"board_url needs an http:// or https:// URL, not {url!r}.")
    return url if url.endswith("/") else url + "/"


def without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def folder_url(board: str, folder: str) -> str:
    """A version folder's URL: an absolute URL as it is, a manifest path (raw names,
    as R and ``write_board_manifest`` write them) quoted and joined to the board."""
    url = folder if urlsplit(folder).scheme else urljoin(board, quote(folder, safe="/"))
    return url if url.endswith("/") else url + "/"


def version_of(folder: str) -> str | None:
    """The version id of a folder: its last component; None (logged) if it is unsafe."""
    last = folder.rstrip("/").rsplit("/", 1)[-1]
    if urlsplit(folder).scheme:
        last = unquote(last)
    try:
        return validate_version(last)
    except PinsError as exc:
        _log.warning("Skipping version folder %r: %s", folder, exc)
        return None


def manifest_mapping(raw: Any, board: object) -> dict[str, Any]:
    """The manifest's mapping of pins (each entry is checked when its pin is read)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PinsServerError(f"The {MANIFEST_NAME} of {board!r} is not a mapping of pins.")
    return raw


def resolve_folders(board: str, name: object, folders: object) -> Entries | None:
    """A manifest entry as a pin's versions, oldest first (a version listed twice counts
    once, by its first folder); None, logged, for an entry that is not a valid pin name
    with a list of folders."""
    try:
        validate_pin_name(name)
    except PinsError as exc:
        _log.warning("Skipping pin %r of the manifest: %s", name, exc)
        return None
    if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
        _log.warning("Skipping pin %r of the manifest: not a list of folders.", name)
        return None
    entries: dict[str, str] = {}
    for folder in folders:
        version = version_of(folder)
        if version is not None:
            entries.setdefault(version, folder_url(board, folder))
    return sorted(entries.items(), key=lambda item: version_order(version_record(item[0])))


def fixed_listing(
    pin_paths: Mapping[str, str], board: str
) -> tuple[dict[str, Entries], dict[str, bool]]:
    """The listing of explicit ``pin_paths``, and the pins among them that are single
    files (not version folders), each with whether it may change (its folder is not a
    pins version folder, whose files never change)."""
    listing: dict[str, Entries] = {}
    files: dict[str, bool] = {}
    for name, path in pin_paths.items():
        validate_pin_name(name)
        if not isinstance(path, str) or not path.strip("/"):
            raise PinsArgumentError(
                f"pin_paths[{name!r}] must be the URL of a version folder ending in '/' (the "
                f"folder holding data.txt) or of a single file, not {path!r}."
            )
        url = urljoin(board, path)
        parts = unquote(urlsplit(url).path).rstrip("/").rsplit("/", 2)
        if path.endswith("/"):
            listing[name] = [(validate_version(parts[-1]), url)]
            continue
        folder = parts[-2] if len(parts) > 1 else ""
        immutable = parse_version_name(folder) is not None
        listing[name] = [(validate_version(folder if immutable else parts[-1]), url)]
        files[name] = not immutable
    return listing, files


def file_meta(url: str, version: str) -> bytes:
    """The data.txt of a pin that is a single file: a pin of type ``file`` with no
    recorded size, hash or api_version (as a v0 pin), dated by its version folder."""
    parsed = parse_version_name(version)
    fields = {
        "path": [unquote(urlsplit(url).path.rsplit("/", 1)[-1])],
        "type": "file",
        "title": f"{without_credentials(url)}: a file",
        "description": None,
        "created": format_created(parsed[0]) if parsed is not None else "",
    }
    return dump_yaml(fields).encode("utf-8")
