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
from typing import Any
from urllib.parse import quote

import requests
from requests.exceptions import RetryError

from .. import _progress, config
from .._http import content_length, retrying_session
from ..cache import PinsCache
from ..errors import (
    PinsAuthError,
    PinsConnectionError,
    PinsError,
    PinsMetadataError,
    PinsOfflineError,
    PinsOfflineWarning,
    PinsServerError,
    PinVersionNotFoundError,
)
from ..hashing import CHUNK_SIZE
from ..meta import Meta, Version, load_yaml
from ..names import MANIFEST_NAME
from ._readonly import ReadOnly
from ._remote import CachedFiles
from ._url_paths import (
    Listing,
    board_url_of,
    file_meta,
    fixed_listing,
    folder_url,
    manifest_pins,
    version_of,
    version_record,
    without_credentials,
)
from .base import Board, pin_not_found

__all__ = ["UrlBoard", "board_id", "default_session"]

_log = logging.getLogger("pins")

#: (connect, read) timeouts in seconds of every request.
TIMEOUT = (10.0, 60.0)
_MANIFEST_KEY = "manifest"


def default_session() -> requests.Session:
    """A session that retries connection errors and 502/503/504 on GET and HEAD."""
    return retrying_session(methods=("GET", "HEAD"))


def board_id(url: str) -> str:
    """The identity of a URL board in the cache: ``url:`` and its URL, without credentials.

    >>> board_id("https://user:secret@example.org/board")
    'url:https://example.org/board/'
    """
    return f"url:{without_credentials(board_url_of(url))}"


class UrlBoard(ReadOnly, CachedFiles, Board):
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
        self.url = board_url_of(url)
        self.public_url = without_credentials(self.url)
        self.cache = cache if cache is not None else PinsCache(board_id(self.url))
        self.session = session if session is not None else default_session()
        self.offline = offline
        self.pin_paths = dict(pin_paths) if pin_paths is not None else None
        self._fixed: Listing | None = None
        self._files: dict[str, bool] = {}  # single-file pins -> whether the file may change
        if pin_paths is not None:
            self._fixed, self._files = fixed_listing(pin_paths, self.url)
        self._known: Listing | None = None  # the last listing read, to find folders by id

    def __repr__(self) -> str:
        return f"board_url({self.public_url!r})"

    # ------------------------------------------------------------------ the border
    @contextmanager
    def _http(self, url: str, not_found: Callable[[], PinsError]) -> Iterator[None]:
        """Translate ``requests`` errors and HTTP error statuses into PinsErrors."""
        shown = without_credentials(url)
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
            cached["pins"] = manifest_pins(cached["pins"], self)
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
        pins = manifest_pins(load_yaml(body, f"{MANIFEST_NAME} of {self!r}"), self)
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
                version = version_of(folder)
                if version is not None:
                    entries.setdefault(version, folder_url(self.url, folder))
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
        return [version_record(v) for v in ids]

    def _latest_versions(self) -> dict[str, Version]:
        listing, current = self._listing()
        latest = {}
        for name, entries in listing.items():
            ids = [version for version, _ in entries]
            if not current:
                cached = set(self.cache.cached_versions(name))
                ids = [v for v in ids if v in cached]
            if ids:
                latest[name] = version_record(ids[-1])
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
            raise pin_not_found(name, self)
        raise PinVersionNotFoundError(
            f"Pin {name!r} has no version {version!r}; see board.pin_versions({name!r})."
        )

    # ------------------------------------------------------------------ reading
    def _read_meta_text(self, name: str, version: str) -> bytes:
        if name in self._files:
            return file_meta(self._folder(name, version), version)
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
            fields = load_yaml(data, f"data.txt at {without_credentials(url)}")
        except PinsMetadataError as exc:
            raise PinsServerError(f"{without_credentials(url)} is not a pins data.txt.") from exc
        if not isinstance(fields, dict):
            raise PinsServerError(f"{without_credentials(url)} is not a pins data.txt.")
        self.cache.put_meta(name, version, data)
        return data

    def _fetch_files(self, name: str, version: str, meta: Meta) -> list[Path]:
        if self._files.get(name):  # a file that may change: fetched every time
            return [self._download(name, version, meta.file_names[0], None)]
        return super()._fetch_files(name, version, meta)

    def _browse_url(self, name: str, version: str) -> str:
        return without_credentials(self._folder(name, version))

    def _read_only_advice(self) -> str:
        return (
            "Write to the board's folder (board_folder) and publish it again with "
            "write_board_manifest()."
        )

    def _download(self, name: str, version: str, file_name: str, expected: str | None) -> Path:
        if self._is_offline():
            raise self._not_cached(name, version)
        folder = self._folder(name, version)
        url = folder if name in self._files else folder + quote(file_name, safe="")
        missing = (
            f"Pin {name!r} version {version} lists the file {file_name!r}, which the "
            "server does not have."
        )
        with (
            self._http(url, lambda: PinsMetadataError(missing)),
            self.session.get(url, stream=True, timeout=TIMEOUT) as response,
        ):
            response.raise_for_status()
            body = _progress.chunks(
                response.iter_content(CHUNK_SIZE),
                content_length(response),
                f"download {file_name}",
            )
            return self.cache.put_file(name, version, file_name, body, expected)

    def _not_cached(self, name: str, version: str) -> PinsOfflineError:
        return PinsOfflineError(
            f"{self!r} is offline and version {version} of pin {name!r} is not cached; "
            "read it once with the network (offline=False, PINS_OFFLINE unset)."
        )


# ---------------------------------------------------------------------- helpers
def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside pins, so a warning names the
    user's line (counted from the function that calls this one)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    level, frame = 1, sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level
