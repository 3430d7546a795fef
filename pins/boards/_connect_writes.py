"""Publishing a pin version on Posit Connect so that an error raised means "not written"
(:class:`Publisher`).

A version is a bundle that was uploaded and then deployed. What can go wrong, and what is
done about it:

* The answer to the upload is lost: a bundle may exist that nobody knows the id of. The
  bundles of the content are listed and the one holding this very archive (its MD5) is
  deleted; the error is raised (nothing was deployed).
* The answer to the deploy is lost, or it is a 5xx: the server is asked which bundle is
  active. This bundle: written. Another: the deploy did not take, and is sent again once
  (deploying a bundle twice is harmless).
* Polling the deploy's task fails or takes too long: the server is asked which bundle is
  active. This bundle: written. Otherwise the task may still finish, so the outcome is
  unknown: :class:`~pins.errors.PinsWriteUnknownError`, as it is whenever the server
  cannot be asked. Writing the same data again is safe: an unchanged hash stores nothing.
* The deploy fails (its task says so) or is refused: nothing changed; the bundle is
  deleted and the error raised.

A bundle that could not be deleted at once (the server was gone) is remembered in the
cache and deleted by a later write of the same pin, once it is older than a deploy may
take and is still not the active one. Bundles newer than the active one are never listed
as versions (:meth:`~pins.boards.connect.ConnectBoard._list_versions`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PinsAuthError, PinsError, PinsRemoteError, PinsWriteUnknownError
from ._bundle import md5
from ._connect_api import ConnectApi, ConnectNotFound, ConnectRefused, ConnectTaskFailed

if TYPE_CHECKING:
    from ..cache import PinsCache

__all__ = ["Publisher"]

_log = logging.getLogger("pins")
#: Answers that say the server refused, knowingly, to do what was asked.
_REFUSED = (ConnectRefused, ConnectNotFound, PinsAuthError, ConnectTaskFailed)


class Publisher:
    """Uploads and deploys the bundles of one board.

    Parameters
    ----------
    api
        The server.
    cache
        Where bundles to delete later are remembered.
    timeout
        Seconds a deploy may take.
    """

    def __init__(self, api: ConnectApi, cache: PinsCache, timeout: float) -> None:
        self.api = api
        self.cache = cache
        self.timeout = timeout

    def publish(self, guid: str, archive: Path, what: str) -> str:
        """Upload ``archive`` to the content ``guid`` and deploy it; its bundle id.

        Raises
        ------
        PinsWriteUnknownError
            The deploy was sent and its outcome cannot be known.
        PinsError
            Anything else: nothing was deployed.
        """
        self.clean_up(guid)
        checksum = md5(archive)
        try:
            bundle_id = str(self.api.upload_bundle(guid, archive)["id"])
        except PinsRemoteError:  # its answer may be lost after the bundle was made
            self._drop_upload(guid, checksum)
            raise
        self._remember(guid, bundle=bundle_id)
        try:
            self._deploy(guid, bundle_id, what)
        except _REFUSED:
            self._drop(guid, bundle_id)
            raise
        except PinsWriteUnknownError:
            raise  # it may yet become active: a later write deletes it if it does not
        except PinsError:
            self._drop(guid, bundle_id)
            raise
        self._forget(guid, bundle_id)
        return bundle_id

    # ------------------------------------------------------------------ deploying
    def _deploy(self, guid: str, bundle_id: str, what: str) -> None:
        for attempt in (1, 2):
            try:
                task_id = self.api.start_deploy(guid, bundle_id)
            except _REFUSED:
                raise
            except PinsRemoteError as exc:  # lost or failed: it may have been done
                if self._is_active(guid, bundle_id, what, exc):
                    return
                if attempt == 1:
                    _log.info("The deploy of bundle %s did not take; sending it again.", bundle_id)
                    continue
                raise self._unknown(what, bundle_id, exc) from exc
            try:
                self.api.wait_task(task_id, self.timeout)
                return
            except ConnectTaskFailed:
                raise
            except PinsError as exc:  # the task cannot be followed: ask what happened
                if self._is_active(guid, bundle_id, what, exc):
                    return
                raise self._unknown(what, bundle_id, exc) from exc

    def _is_active(self, guid: str, bundle_id: str, what: str, cause: PinsError) -> bool:
        """Whether the content's active bundle is ``bundle_id``, asked of the server."""
        try:
            content = self.api.get_content(guid)
        except PinsError as exc:
            raise self._unknown(what, bundle_id, cause, exc) from exc
        return content is not None and str(content.get("bundle_id")) == bundle_id

    @staticmethod
    def _unknown(
        what: str, bundle_id: str, cause: PinsError, asking: PinsError | None = None
    ) -> PinsWriteUnknownError:
        after = f"; asking which bundle is active failed too ({asking})" if asking else ""
        return PinsWriteUnknownError(
            f"The write of {what} may or may not have happened: the deploy of bundle "
            f"{bundle_id} was sent, but {str(cause).rstrip('.')}{after}. See "
            "board.pin_versions() once the server answers again; writing the same data again "
            "is safe (an unchanged hash stores nothing new)."
        )

    # ------------------------------------------------------------------ cleaning up
    def _drop(self, guid: str, bundle_id: str) -> None:
        """Delete a bundle that was not deployed (or remember to, when that fails)."""
        try:
            self.api.delete_bundle(guid, bundle_id)
        except PinsError as exc:
            _log.warning("Could not delete bundle %s of a failed write: %s", bundle_id, exc)
            return
        self._forget(guid, bundle_id)

    def _drop_upload(self, guid: str, checksum: str) -> None:
        """Delete the bundle of an upload whose answer was lost, found by its MD5."""
        self._remember(guid, checksum=checksum)
        try:
            self._delete_matching(guid, set(), {checksum})
        except PinsError as exc:
            _log.warning("Could not look for the bundle of a failed upload: %s", exc)
            return
        self._forget(guid, checksum)

    def clean_up(self, guid: str) -> None:
        """Delete the bundles of earlier failed writes of this content, remembered in the
        cache, once they are older than a deploy may take and are still not active."""
        try:
            now = time.time()
            due = [e for e in self._entries(guid) if now - float(e[1]) > self.timeout]
            if not due:
                return
            bundles = {str(e[0]) for e in due if not str(e[0]).startswith("md5:")}
            md5s = {str(e[0])[4:] for e in due if str(e[0]).startswith("md5:")}
            self._delete_matching(guid, bundles, md5s)
            self._store(guid, [e for e in self._entries(guid) if e not in due])
        except (PinsError, ValueError, TypeError) as exc:  # never a reason not to write
            _log.warning("Could not delete the bundles of earlier failed writes: %s", exc)

    def _delete_matching(self, guid: str, ids: set[str], md5s: set[str]) -> None:
        content = self.api.get_content(guid)
        if content is None:
            return
        active = str(content.get("bundle_id") or "")
        for bundle in self.api.list_bundles(guid):
            bundle_id = str(bundle.get("id"))
            checksum = (bundle.get("metadata") or {}).get("archive_md5")
            if bundle_id != active and (bundle_id in ids or checksum in md5s):
                self.api.delete_bundle(guid, bundle_id)

    # ------------------------------------------------------------------ the record
    def _key(self, guid: str) -> str:
        return "pending-" + hashlib.sha256(guid.encode("utf-8")).hexdigest()[:24]

    def _entries(self, guid: str) -> list[list[Any]]:
        entry = self.cache.get_json(self._key(guid))
        if not isinstance(entry, dict) or entry.get("guid") != guid:
            return []
        return [e for e in entry.get("bundles") or [] if isinstance(e, list) and len(e) == 2]

    def _store(self, guid: str, entries: list[list[Any]]) -> None:
        self.cache.put_json(
            self._key(guid), {"guid": guid, "bundles": entries} if entries else None
        )

    def _remember(
        self, guid: str, *, bundle: str | None = None, checksum: str | None = None
    ) -> None:
        tag = bundle if bundle is not None else f"md5:{checksum}"
        try:
            self._store(guid, [*self._entries(guid), [tag, time.time()]])
        except PinsError as exc:  # a cache that cannot be written does not stop a write
            _log.warning("Could not note bundle %s in the cache: %s", tag, exc)

    def _forget(self, guid: str, tag: str) -> None:
        try:
            entries = self._entries(guid)
            kept = [e for e in entries if str(e[0]) not in (tag, f"md5:{tag}")]
            if len(kept) != len(entries):
                self._store(guid, kept)
        except PinsError as exc:
            _log.warning("Could not update the cache: %s", exc)
