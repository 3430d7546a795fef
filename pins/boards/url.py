"""A read-only board over plain HTTP(S): a pins folder served by any web server.

The board's ``_pins.yaml`` (written by ``write_board_manifest()``) lists every pin and
its version folders, in any order (the latest is the greatest version name, as on every
board); or an explicit ``pin_paths`` mapping names each pin's version folder. Versions
are immutable, so a version read once is served from the :class:`~pins.cache.PinsCache`
without the network (the read path of every remote board, :mod:`._remote`). Only the
manifest ("which versions exist, which is the latest") is asked for on each read, and
then conditionally (``If-None-Match`` / ``If-Modified-Since``): an unchanged manifest
costs one ``304`` with no body, and only the pin read is looked at in it. When the
server cannot be reached, the cached manifest is used with a
:class:`~pins.errors.PinsOfflineWarning`.

HTTP and ``requests`` errors become :class:`~pins.errors.PinsError` subclasses in one
place, :meth:`UrlBoard._http`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
from requests.exceptions import RetryError

from .._http import TIMEOUT, retrying_session, transport_errors
from ..cache import PinsCache
from ..errors import (
    PinsAuthError,
    PinsError,
    PinsMetadataError,
    PinsOfflineError,
    PinsServerError,
    PinVersionNotFoundError,
)
from ..hashing import CHUNK_SIZE
from ..meta import Meta, Version, load_yaml
from ..names import MANIFEST_NAME, META_FILE
from ._fs_errors import Missing
from ._layout import version_record
from ._readonly import ReadOnly
from ._remote import RemoteBoard
from ._url_paths import (
    Entries,
    board_url_of,
    file_meta,
    fixed_listing,
    manifest_mapping,
    resolve_folders,
    without_credentials,
)

__all__ = ["UrlBoard", "board_id", "default_session"]

_MANIFEST_KEY = "manifest"


def default_session() -> requests.Session:
    """A session that retries connection errors and 502/503/504 on GET and HEAD."""
    return retrying_session(methods=("GET", "HEAD"))


def board_id(url: str, pin_paths: Mapping[str, str] | None = None) -> str:
    """The identity of a URL board in the cache: ``url:`` and its URL, without credentials;
    for a board of absolute ``pin_paths`` only (``url`` is ``""``), a hash of them.

    >>> board_id("https://user:secret@example.org/board")
    'url:https://example.org/board/'
    """
    base = board_url_of(url, pin_paths)
    if base or not pin_paths:
        return f"url:{without_credentials(base)}"
    listing = sorted((name, without_credentials(path)) for name, path in pin_paths.items())
    return "url-paths:" + hashlib.sha256(json.dumps(listing).encode("utf-8")).hexdigest()[:32]


class _Manifest:
    """A manifest as read (its pins, and the validators to ask whether it changed), with
    the pins resolved so far: a read looks at its own pin only."""

    def __init__(self, board: str, document: dict[str, Any]) -> None:
        self.board = board
        self.document = document
        self.pins: dict[str, Any] = document["pins"]
        self._resolved: dict[str, Entries | None] = {}

    def entries(self, name: str) -> Entries | None:
        """The versions of a pin, oldest first; None for a pin that is not listed."""
        if name not in self._resolved:
            folders = self.pins.get(name)
            found = None if folders is None else resolve_folders(self.board, name, folders)
            self._resolved[name] = found
        return self._resolved[name]

    def names(self) -> list[str]:
        return [name for name in self.pins if self.entries(name) is not None]


class UrlBoard(ReadOnly, RemoteBoard):
    """A read-only board served over HTTP(S). Create it with :func:`pins.board_url`.

    ``cache`` defaults to a :class:`~pins.cache.PinsCache` in ``PINS_CACHE_DIR`` keyed
    by the board's URL (without credentials); ``session`` to :func:`default_session`.
    """

    _lists_from_cache = True  # from the cached manifest (_listing)

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
        self.url = board_url_of(url, pin_paths)
        self.public_url = without_credentials(self.url)
        self.cache = cache if cache is not None else PinsCache(board_id(url, pin_paths))
        self.session = session if session is not None else default_session()
        self._offline = offline
        self.pin_paths = dict(pin_paths) if pin_paths is not None else None
        self._fixed: dict[str, Entries] | None = None
        self._files: dict[str, bool] = {}  # single-file pins -> whether the file may change
        if pin_paths is not None:
            self._fixed, self._files = fixed_listing(pin_paths, self.url)
        self._manifest: _Manifest | None = None  # the last manifest read

    def __repr__(self) -> str:
        return f"board_url({self.public_url!r})"

    # ------------------------------------------------------------------ the border
    @contextmanager
    def _http(self, url: str, not_found: Callable[[], PinsError]) -> Iterator[None]:
        """Translate ``requests`` errors and HTTP error statuses into PinsErrors."""
        shown = without_credentials(url)
        try:
            with transport_errors(shown):
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
            raise PinsServerError(f"{shown} answered HTTP {status}.", status) from exc
        except RetryError as exc:
            raise PinsServerError(f"{shown} kept failing (502/503/504): {exc}", 503) from exc

    def _get(self, url: str, headers: dict[str, str] | None = None) -> requests.Response:
        response = self.session.get(url, headers=headers, timeout=TIMEOUT)
        response.raise_for_status()
        return response

    # ------------------------------------------------------------------ listing
    def _listing(self) -> tuple[Callable[[str], Entries | None], list[str], bool]:
        """How to find a pin's versions, the names of the pins, and whether they are
        current (False: from the cache)."""
        if self._fixed is not None:
            fixed = self._fixed
            return fixed.get, list(fixed), True
        manifest, current = self._current_or_cached(
            self._fetch_manifest,
            self._stored_manifest,
            what="its list of pins",
            note="listing its pins from the cache, which may miss versions written since",
        )
        self._manifest = manifest
        return manifest.entries, (manifest.pins and manifest.names()) or [], current

    def _stored_manifest(self) -> _Manifest | None:
        """The manifest last read: this board's, else the one in the cache."""
        if self._manifest is not None:
            return self._manifest
        stored = self.cache.get_json(_MANIFEST_KEY)
        if isinstance(stored, dict) and isinstance(stored.get("pins"), dict):
            return _Manifest(self.url, stored)
        return None

    def _fetch_manifest(self) -> _Manifest:
        """The manifest from the server, revalidated: a 304 answer keeps the stored one."""
        stored = self._stored_manifest()
        url = self.url + MANIFEST_NAME
        headers = {}
        if stored is not None and stored.document.get("etag"):
            headers["If-None-Match"] = str(stored.document["etag"])
        if stored is not None and stored.document.get("last_modified"):
            headers["If-Modified-Since"] = str(stored.document["last_modified"])
        missing = (
            f"{self!r} has no {MANIFEST_NAME}. Write one with "
            "board_folder(...).write_board_manifest(), or pass pin_paths=."
        )
        with self._http(url, lambda: PinsServerError(missing, 404)):
            response = self._get(url, headers)
            body = response.content
        if response.status_code == 304 and stored is not None:
            return stored
        if response.status_code != 200:
            raise PinsServerError(
                f"{self.public_url}{MANIFEST_NAME} answered HTTP {response.status_code}.",
                response.status_code,
            )
        pins = manifest_mapping(load_yaml(body, f"{MANIFEST_NAME} of {self!r}"), self)
        document = {
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
            "pins": pins,
        }
        self.cache.put_json(_MANIFEST_KEY, document)
        return _Manifest(self.url, document)

    def _versions_of(self, name: str, entries: Entries | None, current: bool) -> list[str]:
        """The version ids a listing gives a pin: those cached when it is not current."""
        ids = [version for version, _ in entries or []]
        if not current and ids:
            cached = set(self.cache.cached_versions(name))
            ids = [v for v in ids if v in cached]
        return ids

    def _list_versions(self, name: str) -> list[Version]:
        find, _, current = self._listing()
        ids = self._versions_of(name, find(name), current)
        if not ids and not current and find(name):
            raise PinsOfflineError(
                f"{self.public_url} cannot be reached and no version of pin {name!r} is cached."
            )
        return [version_record(v) for v in ids]

    def _latest_versions(self) -> dict[str, Version]:
        find, names, current = self._listing()
        latest = {}
        for name in names:
            ids = self._versions_of(name, find(name), current)
            if ids:
                latest[name] = version_record(ids[-1])
        return latest

    def _folder(self, name: str, version: str) -> str | None:
        """The URL of a version's folder, from the last listing (read again if needed);
        None when the board has no such version."""
        entries = self._fixed.get(name) if self._fixed is not None else None
        if entries is None and self._manifest is not None:
            entries = self._manifest.entries(name)
        if entries is None or version not in dict(entries):
            find, _, _ = self._listing()
            entries = find(name)
        return dict(entries or []).get(version)

    # ------------------------------------------------------------------ reading
    def _read_meta_text(self, name: str, version: str) -> bytes | None:
        if name in self._files:
            folder = self._folder(name, version)
            return None if folder is None else file_meta(folder, version)
        return super()._read_meta_text(name, version)

    def _fetch_meta(self, name: str, version: str) -> bytes | None:
        folder = self._folder(name, version)
        if folder is None:
            return None
        url = folder + META_FILE
        missing = (
            f"Pin {name!r} version {version} is listed by {self!r}, but its data.txt is "
            "missing from the server."
        )
        with self._http(url, lambda: PinVersionNotFoundError(missing)):
            return self._get(url).content

    def _not_a_data_txt(self, name: str, version: str, error: PinsMetadataError) -> Exception:
        shown = without_credentials((self._folder(name, version) or self.url) + META_FILE)
        return PinsServerError(f"{shown} is not a pins data.txt ({error}).")

    def _open_file(self, name: str, version: str, file_name: str) -> Iterator[bytes] | None:
        folder = self._folder(name, version)
        if folder is None:
            return None
        url = folder if name in self._files else folder + quote(file_name, safe="")
        try:
            with self._http(url, Missing):
                response = self.session.get(url, stream=True, timeout=TIMEOUT)
                if not response.ok:
                    response.close()
                response.raise_for_status()
        except Missing:
            return None
        return self._stream(url, response)

    def _stream(self, url: str, response: requests.Response) -> Iterator[bytes]:
        try:
            with self._http(url, Missing):
                yield from response.iter_content(CHUNK_SIZE)
        finally:
            response.close()

    def _fetch_files(self, name: str, version: str, meta: Meta) -> list[Path]:
        if self._files.get(name):  # a file that may change: fetched every time
            return [self._download(name, version, meta.file_names[0], None, None)]
        return super()._fetch_files(name, version, meta)

    def _browse_url(self, name: str, version: str) -> str:
        folder = self._folder(name, version)
        if folder is None:
            raise self._not_found(name, version)
        return without_credentials(folder)

    def _read_only_advice(self) -> str:
        return (
            "Write to the board's folder (board_folder) and publish it again with "
            "write_board_manifest()."
        )
