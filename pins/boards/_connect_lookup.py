"""Finding a pin's content item on Posit Connect, and who the API key is
(:class:`ContentLookup`).

What never changes is remembered in the cache: the key's own user (its name and guid,
under the key's id, never the key), other users' guids, and each pin's content guid,
forgotten when the content is gone. A pin ``owner/name`` is looked up as pins-python does
(the owner by a prefix search of users, then the content by owner and name); when the
owner cannot be found that way (``ViewersCanOnlySeeThemselves`` lets a viewer see only
itself), by the content's name with its owner included, as R pins does. Whether the key
may open what it found (its ``role``) is noted in the :class:`KeyAccess`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ._connect_access import role_allows
from ._connect_api import ConnectForbidden

if TYPE_CHECKING:
    from ..cache import PinsCache
    from ._connect_access import KeyAccess
    from ._connect_api import ConnectApi

__all__ = ["ContentLookup"]

T = TypeVar("T")


def _key(kind: str, name: str) -> str:
    return f"{kind}-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:24]


class ContentLookup:
    """Users and content items of one board.

    Parameters
    ----------
    api, cache, access
        The board's server, cache and the key's access.
    network
        Runs a server call, or raises when the board is offline.
    """

    def __init__(
        self,
        api: ConnectApi,
        cache: PinsCache,
        access: KeyAccess,
        network: Callable[[Callable[[], Any]], Any],
    ) -> None:
        self.api = api
        self.cache = cache
        self.access = access
        self.network = network
        self.guids: dict[str, str] = {}
        self.user: dict[str, str] | None = None  # the key's user: username and guid

    def __getstate__(self) -> dict[str, Any]:
        """An unpickled board has another key (``CONNECT_API_KEY``): it asks who it is."""
        return {**self.__dict__, "user": None}

    def _call(self, call: Callable[[], T]) -> T:
        result: T = self.network(call)
        return result

    def me(self) -> str:
        """The username of the API key (asked once, remembered in the cache with its guid)."""
        if self.user is None:
            key = f"me-{self.access.key_id}"
            remembered = self.cache.get_json(key)
            if isinstance(remembered, dict) and remembered.get("username"):
                self.user = {k: str(v) for k, v in remembered.items() if k in ("username", "guid")}
            else:
                me = self._call(self.api.me)
                self.user = {"username": str(me["username"]), "guid": str(me.get("guid") or "")}
                self.cache.put_json(key, self.user)
        return self.user["username"]

    def remember(self, name: str, guid: str | None) -> None:
        """Remember a pin's content guid, or (None) forget it."""
        if guid is None:
            self.guids.pop(name, None)
            self.access.closed(name)
            self.cache.put_json(_key("guid", name), None)
        else:
            self.guids[name] = guid
            self.cache.put_json(_key("guid", name), {"name": name, "guid": guid})

    def known_guid(self, name: str) -> str | None:
        """A pin's content guid when it is remembered."""
        if name in self.guids:
            return self.guids[name]
        entry = self.cache.get_json(_key("guid", name))
        if isinstance(entry, dict) and entry.get("name") == name and entry.get("guid"):
            self.guids[name] = str(entry["guid"])
            return self.guids[name]
        return None

    def content(self, name: str) -> dict[str, Any] | None:
        """The content item of a pin (one request when its guid is known), or None."""
        owner, _, short = name.partition("/")
        content = None
        guid = self.known_guid(name)
        if guid is not None:
            content = self._call(lambda: self.api.get_content(guid))
            if content is None or content.get("name") != short:
                self.remember(name, None)  # deleted or renamed: look it up again
                content = None
        if content is None:
            owner_guid = self.user_guid(owner)
            if owner_guid is not None:
                content = self._call(lambda: self.api.find_content(owner_guid, short))
            else:  # users cannot be searched (ViewersCanOnlySeeThemselves): by name
                content = self._call(lambda: self.api.find_content_of(owner, short))
            if content is None:
                return None
            self.remember(name, str(content["guid"]))
        if role_allows(content):
            self.access.opened(name)
        else:
            self.access.closed(name)
        return content

    def deployed(self, name: str) -> bool:
        """Whether the pin's content item has a deployed bundle, as the listing of pins
        says: an administrator is told so of every pin, and a key that may not see the
        item (Connect code 19: a viewer's, the guid known from a shared cache) is told
        no, as its listing does not show it."""
        try:
            content = self.content(name)
        except ConnectForbidden as exc:
            if exc.code != 19:
                raise
            return False
        return content is not None and bool(content.get("bundle_id"))

    def user_guid(self, username: str) -> str | None:
        """A user's guid; it never changes, so it is remembered (the key's own user's
        comes with its name)."""
        if username == self.me() and self.user is not None and self.user.get("guid"):
            return self.user["guid"]
        entry = self.cache.get_json(_key("user", username))
        if isinstance(entry, dict) and entry.get("username") == username:
            return str(entry["guid"])
        user = self._call(lambda: self.api.find_user(username))
        if user is None:
            return None
        self.cache.put_json(
            _key("user", username), {"username": username, "guid": str(user["guid"])}
        )
        return str(user["guid"])

    def guid(self, name: str) -> str | None:
        """The content guid of a pin (looked up when not known), or None."""
        guid = self.known_guid(name)
        if guid is not None:
            return guid
        content = self.content(name)
        return None if content is None else str(content["guid"])
