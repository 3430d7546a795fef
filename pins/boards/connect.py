"""Pins on Posit Connect: a pin is a content item, a version is a bundle.

* A pin ``owner/name`` is the content item ``name`` owned by ``owner``; a bare name means
  the API key's own user. Connect names are 3 to 64 letters, digits, ``-`` and ``_``.
* A version is a bundle; its id is the bundle id, and the latest version is the content's
  active bundle. A write uploads a bundle (data.txt, the data files, an ``index.html``
  and a ``manifest.json``), deploys it and waits for the deploy to finish, so that the new
  version is the latest for every client at once.
* Versions never change, so everything read is kept in the on-disk cache
  (:mod:`pins.cache`), by the read path every remote board shares (:mod:`._remote`):
  reading a pin whose latest version is cached costs one request (which bundle is
  active?), and none at all offline.
* Users and content items are looked up once: the key's own user (its name and guid) and
  each pin's content guid are remembered in the cache, so a first write of a new pin
  costs seven requests (user, content, create, upload, deploy, task, title) and a
  write of a new version six.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import requests

from ..cache import PinsCache
from ..errors import (
    PinsArgumentError,
    PinsError,
    PinsNameError,
    PinsVersionError,
    PinVersionNotFoundError,
)
from ..meta import Meta, Version
from ..names import META_FILE
from ._bundle import CONTENT_NAME, content_name_problem, write_bundle
from ._connect_api import ConnectApi, ConnectNotFound, ConnectRefused
from ._remote import RemoteBoard

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
    if value is None or value in ACCESS_TYPES:
        return value
    raise PinsArgumentError(
        f"access_type must be one of {', '.join(map(repr, ACCESS_TYPES))} or None, not {value!r}."
    )


class ConnectBoard(RemoteBoard):
    """Pins on a Posit Connect server. Create it with :func:`pins.board_connect`."""

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
        key_id: str = "anonymous",
    ) -> None:
        super().__init__(versioned=versioned, allow_pickle_read=allow_pickle_read)
        self.api = api
        self.cache = cache
        self.access_type = access_type
        self._offline = offline
        self._key_id = key_id
        self._guids: dict[str, str] = {}
        self._user: dict[str, str] | None = None  # the key's user: username and guid

    def __repr__(self) -> str:
        return f"board_connect({self.api.server!r})"

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
        """The username of the API key (asked once, remembered in the cache with its guid)."""
        if self._user is None:
            key = f"me-{self._key_id}"
            remembered = self.cache.get_json(key)
            if isinstance(remembered, dict) and remembered.get("username"):
                self._user = {k: str(v) for k, v in remembered.items() if k in ("username", "guid")}
            else:
                me = self._network(self.api.me)
                self._user = {"username": str(me["username"]), "guid": str(me.get("guid") or "")}
                self.cache.put_json(key, self._user)
        return self._user["username"]

    # ------------------------------------------------------------------ content lookup
    def _guid_key(self, name: str) -> str:
        return "guid-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:24]

    def _remember(self, name: str, guid: str | None) -> None:
        if guid is None:
            self._guids.pop(name, None)
            self.cache.put_json(self._guid_key(name), None)
        else:
            self._guids[name] = guid
            self.cache.put_json(self._guid_key(name), {"name": name, "guid": guid})

    def _known_guid(self, name: str) -> str | None:
        if name in self._guids:
            return self._guids[name]
        entry = self.cache.get_json(self._guid_key(name))
        if isinstance(entry, dict) and entry.get("name") == name and entry.get("guid"):
            self._guids[name] = str(entry["guid"])
            return self._guids[name]
        return None

    def _content(self, name: str) -> dict[str, Any] | None:
        """The content item of a pin (one request when its guid is known), or None. Its
        guid is remembered, and forgotten when the content is gone."""
        owner, _, short = name.partition("/")
        guid = self._known_guid(name)
        if guid is not None:
            content = self._network(lambda: self.api.get_content(guid))
            if content is not None and content.get("name") == short:
                return content
            self._remember(name, None)  # deleted or renamed: look it up again
        owner_guid = self._user_guid(owner)
        if owner_guid is None:
            return None
        content = self._network(lambda: self.api.find_content(owner_guid, short))
        if content is not None:
            self._remember(name, str(content["guid"]))
        return content

    def _user_guid(self, username: str) -> str | None:
        """A user's guid; it never changes, so it is remembered (the key's own user's
        comes with its name)."""
        if username == self._me() and self._user is not None and self._user.get("guid"):
            return self._user["guid"]
        key = "user-" + hashlib.sha256(username.encode("utf-8")).hexdigest()[:24]
        entry = self.cache.get_json(key)
        if isinstance(entry, dict) and entry.get("username") == username:
            return str(entry["guid"])
        user = self._network(lambda: self.api.find_user(username))
        if user is None:
            return None
        self.cache.put_json(key, {"username": username, "guid": str(user["guid"])})
        return str(user["guid"])

    def _guid(self, name: str) -> str | None:
        """The content guid of a pin (looked up when not known), or None."""
        guid = self._known_guid(name)
        if guid is not None:
            return guid
        content = self._content(name)
        return None if content is None else str(content["guid"])

    def _network(self, call: Callable[[], T]) -> T:
        """Run a server call, unless the board is offline."""
        self._require_online("what was asked")
        return call()

    # ------------------------------------------------------------------ versions
    def _cached_order(self, version: str) -> Any:
        return int(version) if version.isdigit() else -1

    def _latest_remote(self, name: str) -> Version:
        content = self._content(name)
        if content is None or not content.get("bundle_id"):
            raise self._not_found(name)
        return Version(version=str(content["bundle_id"]))

    def _list_versions(self, name: str) -> list[Version]:
        # No fallback to the cache here: writes, pruning and deleting need the truth.
        content = self._content(name)
        if content is None:
            return []
        guid = str(content["guid"])
        bundles = self._network(lambda: self.api.list_bundles(guid))
        active = str(content.get("bundle_id") or "")
        versions = sorted(
            (
                Version(version=str(b["id"]), created=_rfc3339(b.get("created_time")))
                for b in bundles
            ),
            key=lambda v: (v.version == active, int(v.version) if v.version.isdigit() else 0),
        )
        return versions if active else []

    def _latest_versions(self) -> dict[str, Version]:
        rows = self._network(self.api.search_pins)
        latest = {}
        for row in rows:
            if row.get("bundle_id") and row.get("owner_username") and row.get("name"):
                name = f"{row['owner_username']}/{row['name']}"
                latest[name] = Version(version=str(row["bundle_id"]))
                self._guids[name] = str(row["guid"])
        return latest

    # ------------------------------------------------------------------ reading
    def _fetch_meta(self, name: str, version: str) -> bytes | None:
        guid = self._guid(name)
        if guid is None:
            return None
        try:
            return self.api.read_file(guid, version, META_FILE)
        except ConnectNotFound:
            return None

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
            The deploy failed or did not finish within ``deploy_timeout`` seconds; the
            previous version stays the latest.

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
        owner, _, short = name.partition("/")
        access = _WRITE_ACCESS.get()
        guid = self._known_guid(name)  # the write looked the content up a moment ago
        if guid is None:
            if owner != self._me():
                raise PinsArgumentError(
                    f"Cannot create pin {name!r}: a new pin belongs to the API key's user "
                    f"({self._me()!r}). Write it as {self._me() + '/' + short!r}."
                )
            content = self.api.create_content(
                short, meta.title, meta.description, access or self.access_type
            )
            guid = str(content["guid"])
            self._remember(name, guid)
        with tempfile.TemporaryDirectory(prefix="pins-bundle-") as tmp:
            archive = Path(tmp) / "bundle.tar.gz"
            write_bundle(staged, meta, name, archive)
            bundle_id = str(self.api.upload_bundle(guid, archive)["id"])
        try:
            self.api.deploy(guid, bundle_id, self.deploy_timeout)
        except PinsError:
            _forget_bundle(self.api, guid, bundle_id)
            raise
        fields = {"title": meta.title or short, "description": meta.description or ""}
        self.api.patch_content(guid, **fields, **({"access_type": access} if access else {}))
        _WRITE_ACCESS.set(None)  # applied
        self._keep_written(name, bundle_id, staged, meta)
        return bundle_id

    def _keep_written(self, name: str, version: str, staged: Path, meta: Meta) -> None:
        """Put what was just written in the cache, so reading it back is free."""
        try:
            self.cache.put_meta(name, version, (staged / META_FILE).read_bytes())
            for file_name in meta.file_names:
                self.cache.put_file(name, version, file_name, staged / file_name)
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
        self._remember(name, None)
        self.cache.delete_pin(name)


def _rfc3339(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _forget_bundle(api: ConnectApi, guid: str, bundle_id: str) -> None:
    try:
        api.delete_bundle(guid, bundle_id)
    except (PinsError, requests.RequestException) as exc:
        _log.warning("Could not delete the bundle %s of a failed deploy: %s", bundle_id, exc)
