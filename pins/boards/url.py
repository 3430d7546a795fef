"""A read-only board over plain HTTP(S): a pins folder served by any web server.

The board's ``_pins.yaml`` (written by ``write_board_manifest()``) lists every pin and
its version folders, oldest first; or an explicit ``pin_paths`` mapping names each
pin's version folder. Versions are immutable, so a version read once is served from
the :class:`~pins.cache.PinsCache` without the network. Only the manifest ("which
versions exist, which is the latest") is asked for on each listing, and then
conditionally (``If-None-Match`` / ``If-Modified-Since``): an unchanged manifest costs
one ``304`` with no body. When the server cannot be reached, the cached manifest is
used with a :class:`~pins.errors.PinsOfflineWarning`.

HTTP and ``requests`` errors become :class:`~pins.errors.PinsError` subclasses in one
place, :meth:`UrlBoard._http`.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import requests
from requests.exceptions import RetryError

from .. import config
from .._http import retrying_session
from ..cache import PinsCache
from ..errors import (
    PinNotFoundError,
    PinsAuthError,
    PinsConnectionError,
    PinsError,
    PinsMetadataError,
    PinsOfflineError,
    PinsOfflineWarning,
    PinsReadOnlyError,
    PinsServerError,
    PinVersionNotFoundError,
)
from ..hashing import CHUNK_SIZE
from ..meta import Meta, Version, load_yaml
from ..names import MANIFEST_NAME, parse_version_name, validate_pin_name, validate_version
from ._remote import CachedFiles
from .base import Board

__all__ = ["UrlBoard", "board_id", "default_session"]

_log = logging.getLogger("pins")

#: (connect, read) timeouts in seconds of every request.
TIMEOUT = (10.0, 60.0)
_MANIFEST_KEY = "manifest"

#: pin name -> [(version id, version folder URL)], oldest first.
Listing = dict[str, list[tuple[str, str]]]


def default_session() -> requests.Session:
    """A session that retries connection errors and 502/503/504 on GET and HEAD."""
    return retrying_session(methods=("GET", "HEAD"))


def board_id(url: str) -> str:
    """The identity of a URL board in the cache: ``url:`` and its URL, without credentials.

    >>> board_id("https://user:secret@example.org/board")
    'url:https://example.org/board/'
    """
    return f"url:{_without_credentials(_board_url(url))}"


class UrlBoard(CachedFiles, Board):
    """A read-only board served over HTTP(S). Create it with :func:`pins.board_url`.

    ``cache`` defaults to a :class:`~pins.cache.PinsCache` in ``PINS_CACHE_DIR`` keyed
    by the board's URL (without credentials); ``session`` to :func:`default_session`.
    """

    def __init__(
        self,
        url: str,
        pin_paths: Mapping[str, str] | None = None,
        *,
        cache: PinsCache | None = None,
        allow_pickle_read: bool | None = None,
        session: requests.Session | None = None,
        offline: bool | None = None,
    ) -> None:
        super().__init__(versioned=True, allow_pickle_read=allow_pickle_read)
        self.url = _board_url(url)
        self.public_url = _without_credentials(self.url)
        self.cache = cache if cache is not None else PinsCache(board_id(self.url))
        self.session = session if session is not None else default_session()
        self.offline = offline
        self._fixed = _fixed_listing(pin_paths, self.url) if pin_paths is not None else None
        self._known: Listing | None = None  # the last listing read, to find folders by id

    def __repr__(self) -> str:
        return f"board_url({self.public_url!r})"

    # ------------------------------------------------------------------ the border
    @contextmanager
    def _http(self, url: str, not_found: Callable[[], PinsError]) -> Iterator[None]:
        """Translate ``requests`` errors and HTTP error statuses into PinsErrors."""
        shown = _without_credentials(url)
        try:
            yield
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if status == 404:
                raise not_found() from exc
            if status in (401, 403):
                raise PinsAuthError(
                    f"{shown} refused access (HTTP {status}). A URL board sends no "
                    "credentials of its own; pass session= with the ones it needs."
                ) from exc
            raise PinsServerError(f"{shown} answered HTTP {status}.") from exc
        except RetryError as exc:
            raise PinsServerError(f"{shown} kept failing (502/503/504): {exc}") from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise PinsConnectionError(
                f"Cannot reach {shown} ({type(exc).__name__}). Check the URL and your "
                "network; versions read before can still be read from the cache."
            ) from exc
        except requests.RequestException as exc:
            raise PinsServerError(f"The request for {shown} failed: {exc}") from exc

    def _get(self, url: str, headers: dict[str, str] | None = None) -> requests.Response:
        response = self.session.get(url, headers=headers, timeout=TIMEOUT)
        response.raise_for_status()
        return response

    def _is_offline(self) -> bool:
        return config.offline(self.offline)

    # ------------------------------------------------------------------ listing
    def _listing(self) -> tuple[Listing, bool]:
        """Every pin's versions, and whether the list is current (False: from the cache)."""
        if self._fixed is not None:
            return self._fixed, True
        cached = self.cache.get_json(_MANIFEST_KEY)
        if isinstance(cached, dict) and isinstance(cached.get("pins"), dict):
            cached["pins"] = _manifest_pins(cached["pins"], self)
        else:
            cached = None
        if self._is_offline():
            if cached is None:
                raise PinsOfflineError(
                    f"{self!r} is offline and nothing is cached for it: its list of pins was "
                    "never read. Read it once with the network (offline=False, PINS_OFFLINE "
                    "unset)."
                )
            return self._remember(cached["pins"]), False
        try:
            return self._remember(self._fetch_manifest(cached)), True
        except PinsConnectionError as exc:
            if cached is None:
                raise PinsOfflineError(
                    f"Cannot reach {self.public_url}, and nothing is cached for it."
                ) from exc
            warnings.warn(
                f"Cannot reach {self.public_url}; listing its pins from the cache, which may "
                "miss versions written since.",
                PinsOfflineWarning,
                stacklevel=_caller_level(),
            )
            return self._remember(cached["pins"]), False

    def _fetch_manifest(self, cached: dict[str, Any] | None) -> dict[str, list[str]]:
        """The manifest from the server, revalidated: a 304 answer keeps the cached one."""
        url = self.url + MANIFEST_NAME
        headers = {}
        if cached is not None and cached.get("etag"):
            headers["If-None-Match"] = str(cached["etag"])
        if cached is not None and cached.get("last_modified"):
            headers["If-Modified-Since"] = str(cached["last_modified"])
        missing = (
            f"{self!r} has no {MANIFEST_NAME}. Write one with "
            "board_folder(...).write_board_manifest(), or pass pin_paths=."
        )
        with self._http(url, lambda: PinsServerError(missing)):
            response = self._get(url, headers)
            body = response.content
        if response.status_code == 304 and cached is not None:
            pins: dict[str, list[str]] = cached["pins"]
            return pins
        if response.status_code != 200:
            raise PinsServerError(
                f"{self.public_url}{MANIFEST_NAME} answered HTTP {response.status_code}."
            )
        pins = _manifest_pins(load_yaml(body, f"{MANIFEST_NAME} of {self!r}"), self)
        validators = {"etag": response.headers.get("ETag")}
        validators["last_modified"] = response.headers.get("Last-Modified")
        self.cache.put_json(_MANIFEST_KEY, {**validators, "pins": pins})
        return pins

    def _remember(self, pins: dict[str, list[str]]) -> Listing:
        """Resolve a checked manifest into version ids and folder URLs, and keep it."""
        listing: Listing = {}
        for name, folders in pins.items():
            entries: dict[str, str] = {}  # a version listed twice counts once
            for folder in folders:
                version = _version_of(folder)
                if version is not None:
                    entries.setdefault(version, _folder_url(self.url, folder))
            listing[name] = list(entries.items())
        self._known = listing
        return listing

    def _list_versions(self, name: str) -> list[Version]:
        listing, current = self._listing()
        ids = [version for version, _ in listing.get(name, [])]
        if not current and ids:
            cached = set(self.cache.cached_versions(name))
            if not cached:
                raise PinsOfflineError(
                    f"{self.public_url} cannot be reached and no version of pin {name!r} is cached."
                )
            ids = [v for v in ids if v in cached]
        return [_version_record(v) for v in ids]

    def _latest_versions(self) -> dict[str, Version]:
        listing, current = self._listing()
        latest = {}
        for name, entries in listing.items():
            ids = [version for version, _ in entries]
            if not current:
                cached = set(self.cache.cached_versions(name))
                ids = [v for v in ids if v in cached]
            if ids:
                latest[name] = _version_record(ids[-1])
        return latest

    def _list_pins(self) -> list[str]:
        return list(self._latest_versions())

    def _folder(self, name: str, version: str) -> str:
        """The URL of a version's folder, from the last listing (read again if needed)."""
        listing = self._known
        if listing is None or version not in (v for v, _ in listing.get(name, [])):
            listing = self._listing()[0]
        for known, url in listing.get(name, []):
            if known == version:
                return url
        if name not in listing:
            raise PinNotFoundError(f"No pin named {name!r} on {self!r}.")
        raise PinVersionNotFoundError(
            f"Pin {name!r} has no version {version!r}; see board.pin_versions({name!r})."
        )

    # ------------------------------------------------------------------ reading
    def _read_meta_text(self, name: str, version: str) -> bytes:
        cached = self.cache.get_meta(name, version)
        if cached is not None:
            return cached
        if self._is_offline():
            raise self._not_cached(name, version)
        url = self._folder(name, version) + self.meta_file
        missing = (
            f"Pin {name!r} version {version} is listed by {self!r}, but its data.txt is "
            "missing from the server."
        )
        with self._http(url, lambda: PinVersionNotFoundError(missing)):
            data = self._get(url).content
        try:
            fields = load_yaml(data, f"data.txt at {_without_credentials(url)}")
        except PinsMetadataError as exc:
            raise PinsServerError(f"{_without_credentials(url)} is not a pins data.txt.") from exc
        if not isinstance(fields, dict):
            raise PinsServerError(f"{_without_credentials(url)} is not a pins data.txt.")
        self.cache.put_meta(name, version, data)
        return data

    def _download(self, name: str, version: str, file_name: str, expected: str | None) -> Path:
        if self._is_offline():
            raise self._not_cached(name, version)
        url = self._folder(name, version) + quote(file_name, safe="")
        missing = (
            f"Pin {name!r} version {version} lists the file {file_name!r}, which the "
            "server does not have."
        )
        with (
            self._http(url, lambda: PinsMetadataError(missing)),
            self.session.get(url, stream=True, timeout=TIMEOUT) as response,
        ):
            response.raise_for_status()
            body = response.iter_content(CHUNK_SIZE)
            return self.cache.put_file(name, version, file_name, body, expected)

    def _not_cached(self, name: str, version: str) -> PinsOfflineError:
        return PinsOfflineError(
            f"{self!r} is offline and version {version} of pin {name!r} is not cached; "
            "read it once with the network (offline=False, PINS_OFFLINE unset)."
        )

    # ------------------------------------------------------------------ read-only
    def _refuse(self, what: str) -> NoReturn:
        raise PinsReadOnlyError(
            f"{self!r} is read-only: it cannot {what}. Write to the board's folder "
            "(board_folder) and publish it again with write_board_manifest()."
        )

    def pin_write(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: a URL board is read-only."""
        self._refuse("write pins")

    def pin_upload(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: a URL board is read-only."""
        self._refuse("upload files")

    def pin_delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: a URL board is read-only."""
        self._refuse("delete pins")

    def pin_version_delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: a URL board is read-only."""
        self._refuse("delete versions")

    def pin_versions_prune(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: a URL board is read-only."""
        self._refuse("prune versions")

    def _store_version(self, name: str, staged: Path, version: str, meta: Meta) -> str:
        self._refuse("store versions")

    def _delete_version(self, name: str, version: str) -> None:
        self._refuse("delete versions")

    def _delete_pin(self, name: str) -> None:
        self._refuse("delete pins")


# ---------------------------------------------------------------------- helpers
def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside pins, so a warning names the
    user's line (counted from the function that calls this one)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    level, frame = 1, sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def _board_url(url: str) -> str:
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise PinsError(f"board_url needs an http:// or https:// URL, not {url!r}.")
    return url if url.endswith("/") else url + "/"


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def _folder_url(board: str, folder: str) -> str:
    """A version folder's URL: an absolute URL as it is, a manifest path (raw names,
    as R and ``write_board_manifest`` write them) quoted and joined to the board."""
    url = folder if urlsplit(folder).scheme else urljoin(board, quote(folder, safe="/"))
    return url if url.endswith("/") else url + "/"


def _version_of(folder: str) -> str | None:
    """The version id of a folder: its last component; None (logged) if it is unsafe."""
    last = folder.rstrip("/").rsplit("/", 1)[-1]
    if urlsplit(folder).scheme:
        last = unquote(last)
    try:
        return validate_version(last)
    except PinsError as exc:
        _log.warning("Skipping version folder %r: %s", folder, exc)
        return None


def _version_record(version: str) -> Version:
    parsed = parse_version_name(version)
    if parsed is None:
        return Version(version=version)
    return Version(version=version, created=parsed[0], hash=parsed[1])


def _manifest_pins(raw: Any, board: UrlBoard) -> dict[str, list[str]]:
    """The checked manifest: valid pin names -> lists of folder paths."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PinsServerError(f"The {MANIFEST_NAME} of {board!r} is not a mapping of pins.")
    pins: dict[str, list[str]] = {}
    for name, folders in raw.items():
        try:
            validate_pin_name(name)
        except PinsError as exc:
            _log.warning("Skipping pin %r of the manifest: %s", name, exc)
            continue
        if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
            _log.warning("Skipping pin %r of the manifest: not a list of folders.", name)
            continue
        pins[name] = list(folders)
    return pins


def _fixed_listing(pin_paths: Mapping[str, str], board: str) -> Listing:
    listing: Listing = {}
    for name, folder in pin_paths.items():
        validate_pin_name(name)
        if not isinstance(folder, str) or not folder.endswith("/"):
            raise PinsError(
                f"pin_paths[{name!r}] must be the URL of a version folder ending in '/' "
                f"(the folder holding data.txt), not {folder!r}."
            )
        url = urljoin(board, folder)
        version = validate_version(unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]))
        listing[name] = [(version, url)]
    return listing
