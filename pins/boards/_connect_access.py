"""What one API key may be handed from a cache that several keys share (:class:`KeyAccess`).

The cache keeps what any key read from a server, but a key must never get from it what it
may not read from the server. So a cached version is served to a key without asking only

* when the server showed, in this board's life, that the key may open the pin (a content
  item whose ``role`` is not ``none``: owners, collaborators and viewers, not an
  administrator who is none of them), or listed it for the key in a search; or
* offline, or with the server unreachable, when that key itself read the version from
  the server (or wrote it) before.

The second is remembered on disk, one marker per version read, named by a hash of the
key's id (a slow, salted hash of the key: :meth:`ConnectApi.key_id`), the pin and the
version. A marker tells nothing of the key, the pin or the version, and means nothing to
another key.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import PinsAuthError, PinsOfflineError, PinsRemoteError
from ..meta import Meta, Version
from ._remote import unreachable
from ._rfc3339 import parse_rfc3339

if TYPE_CHECKING:
    from ..cache import PinsCache
    from ._connect_api import ConnectApi

__all__ = ["KeyAccess", "listed_meta", "role_allows"]

_SALT = "connect-key-salt"


def role_allows(row: dict[str, Any]) -> bool:
    """Whether a content item (or a search row) says its caller may open it: ``role`` (v1)
    or ``app_role`` (v0) is not ``none``. A server that sends neither is trusted."""
    role = row.get("role", row.get("app_role"))
    return str(role) != "none"


def listed_meta(name: str, row: dict[str, Any]) -> Meta:
    """What a search row says of a pin the key may not open: no type and no files."""
    created = parse_rfc3339(row.get("last_deployed_time"))
    return Meta(
        title=row.get("title"),
        description=row.get("description"),
        created=created,
        pin_hash="",
        file=[],
        file_size=[],
        type="",
        name=name,
        version=Version(version=str(row.get("bundle_id")), created=created),
    )


class KeyAccess:
    """The access of one API key to the pins of one board's cache."""

    def __init__(self, cache: PinsCache, api: ConnectApi) -> None:
        self.cache = cache
        self.api = api
        self._opened: set[str] = set()
        self._key_id: str | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Nothing learned about the key is pickled: an unpickled board asks again (its key
        is ``CONNECT_API_KEY``'s)."""
        return {"cache": self.cache, "api": self.api, "_opened": set(), "_key_id": None}

    @property
    def key_id(self) -> str:
        """The key's id in this cache (computed once: it is slow on purpose)."""
        if self._key_id is None:
            entry = self.cache.get_json(_SALT)
            salt = entry.get("salt") if isinstance(entry, dict) else None
            if not isinstance(salt, str):
                salt = secrets.token_hex(16)
                self.cache.put_json(_SALT, {"salt": salt})
            self._key_id = self.api.key_id(salt.encode("ascii"))
        return self._key_id

    # ------------------------------------------------------------------ this board's life
    def opened(self, name: str) -> None:
        """The server showed that the key may open ``name``."""
        self._opened.add(name)

    def closed(self, name: str) -> None:
        """The server showed that the key may not open ``name`` (or it is gone)."""
        self._opened.discard(name)

    def may_open(self, name: str) -> bool:
        return name in self._opened

    def may_serve(
        self, name: str, version: str, offline: bool, content: Callable[[], dict[str, Any] | None]
    ) -> bool:
        """Whether a cached version may go to the key without a request (False: fetch it,
        so the server checks). ``content`` asks the server for the pin's content item
        (None when it is gone); a refusal is raised, as are the offline cases."""
        if self.may_open(name):
            return True
        if offline:
            if self.has_read(name, version):
                return True
            raise PinsOfflineError(
                f"The board is offline (offline=True or PINS_OFFLINE), and this API key has "
                f"not read version {version} of pin {name!r} before; read it once with the "
                "network."
            )
        try:
            item = content()
        except PinsRemoteError as exc:
            if not unreachable(exc):
                raise
            if self.has_read(name, version):
                return True
            raise PinsOfflineError(
                f"The server could not be reached ({exc}), and this API key has not read "
                f"version {version} of pin {name!r} before."
            ) from exc
        if item is not None and not role_allows(item):
            raise PinsAuthError(
                f"Posit Connect does not let this API key read pin {name!r}: its role on the "
                "content is 'none' (an administrator must be a collaborator to read content)."
            )
        return item is not None

    # ------------------------------------------------------------------ on disk
    def _marker(self, name: str, version: str) -> str:
        text = f"{self.key_id}\0{name}\0{version}".encode()
        return "read-" + hashlib.sha256(text).hexdigest()[:40]

    def read(self, name: str, version: str) -> None:
        """The key read (or wrote) this version through the server."""
        if not self.has_read(name, version):
            self.cache.put_json(self._marker(name, version), 1)

    def has_read(self, name: str, version: str) -> bool:
        return self.cache.get_json(self._marker(name, version)) is not None
