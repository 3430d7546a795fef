"""Pins on Posit Connect: a pin is a content item, a version is a bundle.

* A pin ``owner/name`` is the content item ``name`` owned by ``owner``; a bare name means
  the API key's own user. Connect names are 3 to 64 letters, digits, ``-`` and ``_`` (no
  periods: Connect's error code 5 and its API reference, through 2025), both to write and
  to read.
* A version is a bundle that was deployed; its id is the bundle id, and the latest version
  is the content's active bundle. A write uploads a bundle (data.txt, the data files, an
  ``index.html`` and a ``manifest.json`` listing them with their checksums), deploys it and
  waits for the deploy to finish, so that the new version is the latest for every client
  at once. An error raised by a write means nothing was written, or says that this cannot
  be known (:mod:`._connect_writes`).
* Versions never change, so everything read is kept in the on-disk cache
  (:mod:`pins.cache`), by the read path every remote board shares (:mod:`._remote`):
  reading a pin whose latest version is cached costs one request (which bundle is
  active?), and none at all offline. A cache shared by several API keys hands a key only
  what the server lets it read (:mod:`._connect_access`).
* Users and content items are looked up once: the key's own user (its name and guid) and
  each pin's content guid are remembered in the cache, so a first write of a new pin
  costs seven requests (user, content, create, upload, deploy, task, title) and a
  write of a new version six. When the server does not let the key search users
  (``ViewersCanOnlySeeThemselves``), a pin is found by its name with its owner included.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from .._files import temp_folder
from ..cache import PinsCache
from ..errors import (
    PinsArgumentError,
    PinsArgumentTypeError,
    PinsAuthError,
    PinsConnectionError,
    PinsError,
    PinsNameError,
    PinsVersionError,
    PinVersionNotFoundError,
)
from ..messages import warn
from ..meta import Meta, Version
from ..names import META_FILE
from ._bundle import CONTENT_NAME, content_name_problem, write_bundle
from ._connect_access import KeyAccess, listed_meta, role_allows
from ._connect_api import ConnectApi, ConnectNotFound, ConnectRefused
from ._connect_fs import ConnectContentView
from ._connect_lookup import ContentLookup
from ._connect_writes import Publisher
from ._remote import RemoteBoard
from ._rfc3339 import parse_rfc3339

__all__ = ["ACCESS_TYPES", "ConnectBoard", "check_access_type"]

_log = logging.getLogger("pins")
_OWNER = re.compile(r"^[^/\\\x00-\x1f\x7f\ud800-\udfff]+$")  # no lone surrogates
T = TypeVar("T")

#: Who may see a content item: its owner and the users it lists, logged-in users, anyone.
ACCESS_TYPES = ("acl", "logged_in", "all")
#: The access_type of the pin_write call in progress (None: leave it as it is).
_WRITE_ACCESS: ContextVar[str | None] = ContextVar("pins_connect_write_access", default=None)


def check_access_type(value: object) -> str | None:
    """``access_type`` as Connect takes it, or None."""
    if value is None or (isinstance(value, str) and value in ACCESS_TYPES):
        return value
    raise PinsArgumentError(
        f"access_type must be one of {', '.join(map(repr, ACCESS_TYPES))} or None, not {value!r}."
    )


class ConnectBoard(RemoteBoard):
    """Pins on a Posit Connect server. Create it with :func:`pins.board_connect`.

    A pickled board holds no API key: unpickled, it uses ``CONNECT_API_KEY``.
    """

    #: Deploys wait at most this long (seconds).
    deploy_timeout = 600.0

    def __init__(
        self,
        api: ConnectApi,
        cache: PinsCache,
        *,
        versioned: bool = True,
        allow_pickle_read: bool | None = None,
        offline: bool | None = None,
        access_type: str | None = None,
    ) -> None:
        if not isinstance(api, ConnectApi) or not isinstance(cache, PinsCache):
            raise PinsArgumentTypeError(  # such as pins-python's BoardRsConnect(path, fs)
                "A Connect board is made by pins.board_connect(server_url, api_key=...)."
            )
        super().__init__(versioned=versioned, allow_pickle_read=allow_pickle_read)
        self.api = api
        self.cache = cache
        self.access_type = access_type
        self._offline = offline
        self._access = KeyAccess(cache, api)
        self._lookup = ContentLookup(api, cache, self._access, self._network)
        self._rows: dict[str, dict[str, Any]] = {}  # the last search's rows, by pin name

    def __repr__(self) -> str:
        return f"board_connect({self.api.server!r})"

    @property
    def fs(self) -> ConnectContentView:
        """The pins' content items: ``board.fs.info("owner/name")`` (pins-python's)."""
        return ConnectContentView(self)

    @property
    def user_name(self) -> str:
        """The user name of the API key (a pin's default owner)."""
        return self._me()

    # ------------------------------------------------------------------ names
    def _validate_name(self, name: object) -> str:
        if not isinstance(name, str):
            raise PinsNameError(f"Invalid pin name {name!r}: it must be a string.")
        owner, sep, short = name.rpartition("/")
        if content_name_problem(short):
            raise PinsNameError(
                f"Invalid pin name {name!r}: on Posit Connect a pin name is 'owner/name' or "
                f"'name', where name is {CONTENT_NAME}."
            )
        if sep and (not _OWNER.match(owner) or owner in (".", "..")):
            raise PinsNameError(f"Invalid pin name {name!r}: {owner!r} is not a user name.")
        return f"{owner if sep else self._me()}/{short}"

    def _short_name(self, name: str) -> str:
        return name.rpartition("/")[2]

    def _me(self) -> str:
        return self._lookup.me()

    # ------------------------------------------------------------------ content lookup
    def _known_guid(self, name: str) -> str | None:
        return self._lookup.known_guid(name)

    def _content(self, name: str) -> dict[str, Any] | None:
        return self._lookup.content(name)

    def _guid(self, name: str) -> str | None:
        return self._lookup.guid(name)

    def _network(self, call: Callable[[], T]) -> T:
        """Run a server call, unless the board is offline."""
        self._require_online("what was asked")
        return call()

    # ------------------------------------------------------------------ access
    def _may_use_cached(self, name: str, version: str) -> bool:
        return self._access.may_serve(name, version, self.offline, lambda: self._content(name))

    def _cached_versions(self, name: str) -> list[str]:
        return [v for v in self.cache.cached_versions(name) if self._access.has_read(name, v)]

    # ------------------------------------------------------------------ versions
    def _cached_order(self, version: str) -> Any:
        return int(version) if version.isdigit() else -1

    def _latest_remote(self, name: str) -> Version:
        content = self._content(name)
        if content is None or not content.get("bundle_id"):
            raise self._not_found(name)
        return Version(version=str(content["bundle_id"]))

    def _list_versions(self, name: str) -> list[Version]:
        """The deployed bundles, the active one last. Bundles newer than the active one are
        writes in flight or that failed, never deployed: not versions."""
        # No fallback to the cache here: writes, pruning and deleting need the truth.
        content = self._content(name)
        if content is None or not content.get("bundle_id"):
            return []
        guid = str(content["guid"])
        bundles = self._network(lambda: self.api.list_bundles(guid))
        active = str(content["bundle_id"])

        def order(version: str) -> int:
            return int(version) if version.isdigit() else 0

        versions = [
            Version(version=str(b["id"]), created=parse_rfc3339(b.get("created_time")))
            for b in bundles
            if str(b["id"]) == active or order(str(b["id"])) < order(active)
        ]
        return sorted(versions, key=lambda v: (v.version == active, order(v.version)))

    def _exists(self, name: str) -> bool:
        """What pin_list and pin_search say (:meth:`ContentLookup.deployed`): true also for
        an administrator who may not open the pin."""
        return self._current_or_cached(
            lambda: self._lookup.deployed(name),
            lambda: True if self._cached_records(name) else None,
            what=f"pin {name!r}",
            note=f"saying whether {name!r} exists from the cache",
        )[0]

    def _latest_versions(self) -> dict[str, Version]:
        rows = self._network(self.api.search_pins)
        latest = {}
        self._rows = {}
        for row in rows:
            if row.get("bundle_id") and row.get("owner_username") and row.get("name"):
                name = f"{row['owner_username']}/{row['name']}"
                latest[name] = Version(version=str(row["bundle_id"]))
                self._lookup.guids[name] = str(row["guid"])
                self._rows[name] = row
                if role_allows(row):
                    self._access.opened(name)
        return latest

    def _search_meta(self, name: str, latest: Version) -> Meta | None:
        """A pin the key may not open (an administrator's search lists every pin) is shown
        with what the search row says; it never fails the search."""
        row = self._rows.get(name)
        if row is not None and not role_allows(row):
            return listed_meta(name, row)
        try:
            return super()._search_meta(name, latest)
        except (PinsAuthError, PinVersionNotFoundError) as exc:
            _log.info("Pin %r cannot be read with this key (%s); listed as searched.", name, exc)
            return listed_meta(name, row) if row is not None else None

    # ------------------------------------------------------------------ reading
    def _fetch_meta(self, name: str, version: str) -> bytes | None:
        guid = self._guid(name)
        if guid is None:
            return None
        try:
            data = self.api.read_file(guid, version, META_FILE)
        except ConnectNotFound:
            return None
        self._access.opened(name)
        self._access.read(name, version)
        return data

    def _open_file(self, name: str, version: str, file_name: str) -> Iterator[bytes] | None:
        guid = self._guid(name)
        if guid is None:
            return None
        try:
            response = self.api.open_file(guid, version, file_name)
        except ConnectNotFound:
            return None
        return self.api.stream(response, file_name)

    def _browse_url(self, name: str, version: str) -> str:
        content = self._content(name)
        if content is None:
            raise self._not_found(name)
        if str(content.get("bundle_id")) == version:
            return str(content["dashboard_url"])
        return f"{str(content['content_url']).rstrip('/')}/_rev{version}/"

    # ------------------------------------------------------------------ writing
    def pin_write(
        self,
        x: Any,
        name: str | None = None,
        type: str | None = None,
        title: str | None = None,
        description: str | None = None,
        metadata: dict[str, Any] | None = None,
        versioned: bool | None = None,
        created: datetime | None = None,
        *,
        force_identical_write: bool = False,
        tags: Sequence[str] | None = None,
        urls: Sequence[str] | None = None,
        access_type: str | None = None,
    ) -> Meta:
        """Write a pin, as :meth:`Board.pin_write <pins.boards.base.Board.pin_write>`.

        ``access_type`` sets who may see the content item: ``acl`` (its owner and the
        users it lists), ``logged_in`` or ``all``; by default a new pin gets the board's
        ``access_type`` (Connect's default, ``acl``, when None) and an existing one
        keeps its own.

        Raises
        ------
        PinsArgumentError
            ``access_type`` is not one of those, or a new pin is not the key's user's.
        PinsAuthError
            The key may not write this pin (a viewer, someone else's content).
        PinsServerError
            The deploy failed; the previous version stays the latest.
        PinsWriteUnknownError
            The deploy was sent but its outcome cannot be known (its answer was lost and
            the server could not be asked, or it did not finish within
            ``deploy_timeout`` seconds). Every other error means nothing was written.

        Examples
        --------
        >>> board = pins.board_connect("https://connect.example.com", api_key=key)  # doctest: +SKIP
        >>> board.pin_write(df, "sales", access_type="logged_in").name  # doctest: +SKIP
        'susan/sales'
        """
        access = check_access_type(access_type)
        token = _WRITE_ACCESS.set(access)
        try:
            meta = super().pin_write(
                x, name, type, title, description, metadata, versioned, created,
                force_identical_write=force_identical_write, tags=tags, urls=urls,
            )  # fmt: skip
            if _WRITE_ACCESS.get() is not None:  # nothing was stored: set it anyway
                guid = self._guid(meta.name or self._validate_name(name))
                if guid is not None:
                    self.api.patch_content(guid, access_type=access)
        finally:
            _WRITE_ACCESS.reset(token)
        return meta

    def _store_version(self, name: str, staged: Path, version: str, meta: Meta) -> str:
        _, _, short = name.partition("/")
        access = _WRITE_ACCESS.get()
        guid = self._known_guid(name)  # the write looked the content up a moment ago
        if guid is None:
            guid = self._create(name, meta, access or self.access_type)
        with temp_folder("pins-bundle-") as tmp:
            archive = tmp / "bundle.tar.gz"
            write_bundle(staged, meta, name, archive)
            publisher = Publisher(self.api, self.cache, self.deploy_timeout)
            bundle_id = publisher.publish(guid, archive, f"pin {name!r}")
        fields = {"title": meta.title or short, "description": meta.description or ""}
        self._set_fields(name, guid, {**fields, **({"access_type": access} if access else {})})
        _WRITE_ACCESS.set(None)  # applied
        self._keep_written(name, bundle_id, staged, meta)
        return bundle_id

    def _create(self, name: str, meta: Meta, access: str | None) -> str:
        """Create the content item of a new pin; its guid. One whose creation answer was
        lost (or made by another writer meanwhile) is found and used."""
        owner, _, short = name.partition("/")
        if owner != self._me():
            raise PinsArgumentError(
                f"Cannot create pin {name!r}: a new pin belongs to the API key's user "
                f"({self._me()!r}). Write it as {self._me() + '/' + short!r}."
            )
        try:
            content = self.api.create_content(short, meta.title, meta.description, access)
        except (PinsConnectionError, ConnectRefused) as exc:
            if isinstance(exc, ConnectRefused) and exc.code != 26:  # 26: the name is taken
                raise
            found = self._content(name)
            if found is None:
                raise
            content = found
        guid = str(content["guid"])
        self._lookup.remember(name, guid)
        return guid

    def _set_fields(self, name: str, guid: str, fields: dict[str, Any]) -> None:
        """Set the title and description of a version just deployed: written already, so a
        failure is a warning, never an error (that would say nothing was written)."""
        for attempt in (1, 2):
            try:
                self.api.patch_content(guid, **fields)
                return
            except PinsError as exc:
                if attempt == 2:
                    warn(
                        f"Pin {name!r} was written, but its title, description and access "
                        f"could not be set on the content item: {exc}",
                        UserWarning,
                    )

    def _keep_written(self, name: str, version: str, staged: Path, meta: Meta) -> None:
        """Put what was just written in the cache, so reading it back is free."""
        try:
            self.cache.put_meta(name, version, (staged / META_FILE).read_bytes())
            for file_name in meta.file_names:
                self.cache.put_file(name, version, file_name, staged / file_name)
            self._access.read(name, version)
        except PinsError as exc:  # the write succeeded; a cold cache only costs a download
            _log.warning("Could not cache the version just written: %s", exc)

    # ------------------------------------------------------------------ deleting
    def _delete_version(self, name: str, version: str) -> None:
        guid = self._guid(name)
        if guid is None:
            raise self._not_found(name)
        try:
            self._network(lambda: self.api.delete_bundle(guid, version))
        except ConnectRefused as exc:
            if exc.code == 75:
                raise PinsVersionError(
                    f"Version {version} is the latest (active) version of {name!r}, which "
                    "Posit Connect does not delete. Write a new version first, or delete the pin."
                ) from exc
            raise
        except ConnectNotFound:
            raise PinVersionNotFoundError(f"Pin {name!r} has no version {version!r}.") from None
        self.cache.delete_version(name, version)

    def _delete_pin(self, name: str) -> None:
        guid = self._guid(name)
        if guid is None:
            raise self._not_found(name)
        self._network(lambda: self.api.delete_content(guid))
        self._lookup.remember(name, None)
        self.cache.delete_pin(name)
