"""A thin, typed client for the part of the Posit Connect API that pins uses.

Every HTTP error, Connect error code and network failure is translated into a
:class:`~pins.errors.PinsError` in one place (:meth:`ConnectApi.request`); an answer in HTML
(an SSO login page, a proxy) where the API answers JSON says so. Every path segment is
URL-quoted. The API key is sent in the ``Authorization`` header only; it never appears in a
repr, a log line, an error message or a pickle (unpickling reads ``CONNECT_API_KEY``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import requests

from .. import _progress, config
from .._http import TIMEOUT, retrying_session, transport_errors
from ..errors import PinsAuthError, PinsError, PinsServerError
from ..hashing import CHUNK_SIZE
from ._connect_tasks import FIRST_POLL_PAUSE, MAX_POLL_PAUSE, ConnectTaskFailed, wait_for_task
from ._connect_urls import HTML_ANSWER, is_html, normalize_server, q

__all__ = [
    "FIRST_POLL_PAUSE",
    "HTML_ANSWER",
    "MAX_POLL_PAUSE",
    "ConnectApi",
    "ConnectForbidden",
    "ConnectNotFound",
    "ConnectRefused",
    "ConnectTaskFailed",
    "make_session",
    "normalize_server",
]

_log = logging.getLogger("pins")

#: The page size of the v0 search (R and pins-python ask for 1000 too).
SEARCH_PAGE = 1000


class ConnectNotFound(PinsError):
    """A 404 from Connect; boards turn it into the right not-found error. ``retried`` is
    True when the request was sent again after a failure (a lost answer to a DELETE that
    the server carried out also ends in a 404)."""

    def __init__(self, message: str, code: int | None, retried: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.retried = retried


class ConnectRefused(PinsError):
    """A 4xx answer with a Connect error code that the caller may handle."""

    def __init__(self, message: str, code: int | None, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class ConnectForbidden(PinsAuthError):
    """A 403 from Connect: the key may not do this (``code`` 19: may not see the item)."""

    def __init__(self, message: str, code: int | None) -> None:
        super().__init__(message)
        self.code = code


def make_session(retries: int = 3) -> requests.Session:
    """A session that retries connection failures and 500/502/503/504 answers of idempotent
    requests (never an upload or a deploy), with back-off."""
    return retrying_session(retries, statuses=(500, 502, 503, 504))


class ConnectApi:
    """Calls to one Connect server with one API key.

    Parameters
    ----------
    server_url
        The server, e.g. ``https://connect.example.com`` (a trailing ``/__api__`` is
        dropped).
    api_key
        The API key (``None`` for anonymous access to public content).
    session
        A ``requests.Session`` to use (tests inject one); a retrying one by default. It
        keeps the cookie a deploy answer sets, which task polls send back.
    timeout
        Seconds to wait for the server to answer a request: one number, or (to connect,
        to read) as requests takes it.
    """

    def __init__(
        self,
        server_url: str,
        api_key: str | None,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = TIMEOUT,
    ) -> None:
        self.server = normalize_server(server_url)
        self._api_key = api_key
        self.session = session if session is not None else make_session()
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"ConnectApi({self.server!r})"

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the API key, which is never pickled."""
        state = dict(self.__dict__)
        state["_api_key"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """The API key of an unpickled client is ``CONNECT_API_KEY``'s."""
        self.__dict__.update(state)
        self._api_key = config.connect_api_key()

    def key_id(self, salt: bytes) -> str:
        """A name for the API key that tells nothing about it (a slow, salted hash), or
        ``anonymous``."""
        if not self._api_key:
            return "anonymous"
        pepper = b"pins/connect-key\0" + self.server.encode("utf-8") + b"\0" + salt
        digest = hashlib.pbkdf2_hmac("sha256", self._api_key.encode("utf-8"), pepper, 20_000)
        return digest.hex()[:32]

    # ------------------------------------------------------------------ the border
    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: bytes | IO[bytes] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Send one request and return a successful response, or raise a PinsError.

        ``path`` is relative to the server (``/__api__/v1/user``), its segments quoted by
        the caller, or a full URL on it.
        """
        url = path if path.startswith(("http://", "https://")) else self.server + path
        headers = {"Authorization": f"Key {self._api_key}"} if self._api_key else {}
        with transport_errors(f"Posit Connect at {self.server}"):
            response = self.session.request(
                method,
                url,
                params=params,
                json=json,
                data=data,
                headers=headers,
                stream=stream,
                timeout=self.timeout,
            )
        if response.status_code < 400:
            return response
        raise self._error(method, url, response)

    def _where(self, method: str, url: str) -> str:
        return f"{method} {url.removeprefix(self.server)}"

    def _error(self, method: str, url: str, response: requests.Response) -> PinsError:
        status = response.status_code
        if is_html(response) and "/__api__/" in url:  # Connect's API never answers HTML
            return self.html_error(method, url, response)
        code: int | None = None
        try:
            body = response.json()
            if isinstance(body, dict):
                code = body.get("code") if isinstance(body.get("code"), int) else None
                text = str(body.get("error") or "")
            else:
                text = response.text[:200]
        except ValueError:
            text = response.text[:200]
        where = self._where(method, url)
        detail = f"{text} (Connect code {code})" if code is not None else text
        if status == 401:
            return PinsAuthError(
                f"Posit Connect at {self.server} did not accept the API key: {detail}. "
                "Check CONNECT_API_KEY (or api_key=)."
            )
        if status == 403:
            return ConnectForbidden(f"Posit Connect refused {where}: {detail}.", code)
        if status == 404:
            history = getattr(getattr(response.raw, "retries", None), "history", None)
            return ConnectNotFound(f"{where}: not found. {detail}", code, bool(history))
        if status >= 500:
            return PinsServerError(
                f"Posit Connect at {self.server} failed on {where} with HTTP {status}: {detail}",
                status,
            )
        return ConnectRefused(
            f"Posit Connect refused {where} (HTTP {status}): {detail}", code, status
        )

    def html_error(self, method: str, url: str, response: requests.Response) -> PinsServerError:
        """The error for an HTML answer where Connect answers JSON or a pin's file."""
        return PinsServerError(
            f"Posit Connect at {self.server}: {HTML_ANSWER} ({self._where(method, url)} "
            f"answered HTTP {response.status_code} with a web page).",
            response.status_code,
        )

    def json(self, response: requests.Response) -> Any:
        """The JSON body of an API answer (an HTML page or anything else is an error)."""
        method = response.request.method or "GET"
        if is_html(response) or response.content.lstrip()[:1] == b"<":
            raise self.html_error(method, response.url, response)
        try:
            return response.json()
        except ValueError as exc:
            raise PinsServerError(
                f"Posit Connect at {self.server} sent something that is not JSON for "
                f"{self._where(method, response.url)}.",
                response.status_code,
            ) from exc

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.json(self.request("GET", path, params=params))

    # ------------------------------------------------------------------ users
    def me(self) -> dict[str, Any]:
        user: dict[str, Any] = self.get_json("/__api__/v1/user")
        return user

    def find_user(self, username: str) -> dict[str, Any] | None:
        """The user with exactly this username. Connect answers a prefix search with one
        page, sorted by similarity, so the exact name comes first when it is listed."""
        body = self.get_json("/__api__/v1/users", {"prefix": username, "page_size": 500})
        for user in body.get("results") or []:
            if user.get("username") == username:
                found: dict[str, Any] = user
                return found
        return None

    # ------------------------------------------------------------------ content
    def _content_rows(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        rows = self.get_json("/__api__/v1/content", params)
        if not isinstance(rows, list):
            raise PinsServerError(
                f"Posit Connect at {self.server} sent an unexpected content list."
            )
        return rows

    def find_content(self, owner_guid: str, name: str) -> dict[str, Any] | None:
        for row in self._content_rows({"owner_guid": owner_guid, "name": name}):
            if row.get("name") == name and row.get("owner_guid") == owner_guid:
                found: dict[str, Any] = row
                return found
        return None

    def find_content_of(self, owner: str, name: str) -> dict[str, Any] | None:
        """The content item ``name`` of the user named ``owner``, by name alone with the
        owner included (for when users cannot be searched, as R pins does)."""
        for row in self._content_rows({"name": name, "include": "owner"}):
            if row.get("name") == name and (row.get("owner") or {}).get("username") == owner:
                found: dict[str, Any] = row
                return found
        return None

    def get_content(self, guid: str) -> dict[str, Any] | None:
        try:
            content: dict[str, Any] = self.get_json(f"/__api__/v1/content/{q(guid)}")
        except ConnectNotFound:
            return None
        return content

    def create_content(
        self, name: str, title: str | None, description: str | None, access_type: str | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"name": name, "title": title or name}
        if description is not None:
            body["description"] = description
        if access_type is not None:
            body["access_type"] = access_type
        content: dict[str, Any] = self.json(self.request("POST", "/__api__/v1/content", json=body))
        return content

    def patch_content(self, guid: str, **fields: Any) -> dict[str, Any]:
        response = self.request("PATCH", f"/__api__/v1/content/{q(guid)}", json=fields)
        content: dict[str, Any] = self.json(response)
        return content

    def delete_content(self, guid: str) -> None:
        self.request("DELETE", f"/__api__/v1/content/{q(guid)}")

    def search_pins(self, search: str | None = None) -> list[dict[str, Any]]:
        """Every pin (content with category ``pin``) the key can see, via the v0 search, in
        large pages. Rows are told apart by guid, and the walk stops at an empty page, at
        a page with nothing new (a server that ignores ``start`` repeats its first page)
        or once ``total`` rows are in."""
        rows: dict[str, dict[str, Any]] = {}
        start = 0
        while True:
            params: dict[str, Any] = {
                "filter": "content_type:pin",
                "count": SEARCH_PAGE,
                "start": start,
            }
            if search:
                params["search"] = search
            body = self.get_json("/__api__/applications", params)
            page = (body.get("applications") or []) if isinstance(body, dict) else []
            new = 0
            for row in page:
                key = str(row.get("guid") or (row.get("owner_username"), row.get("name")))
                if key not in rows:
                    rows[key] = row
                    new += 1
            total = body.get("total") if isinstance(body, dict) else None
            if not new or (isinstance(total, int) and len(rows) >= total):
                return list(rows.values())
            start += len(page)

    # ------------------------------------------------------------------ bundles
    def list_bundles(self, guid: str) -> list[dict[str, Any]]:
        bundles: list[dict[str, Any]] = self.get_json(f"/__api__/v1/content/{q(guid)}/bundles")
        return bundles

    def upload_bundle(self, guid: str, archive: Path) -> dict[str, Any]:
        size = archive.stat().st_size
        with (
            open(archive, "rb") as handle,
            _progress.reading(handle, size, f"upload to {self.server}") as body,
        ):
            response = self.request("POST", f"/__api__/v1/content/{q(guid)}/bundles", data=body)
        bundle: dict[str, Any] = self.json(response)
        return bundle

    def delete_bundle(self, guid: str, bundle_id: str) -> None:
        """Delete a bundle. A 404 after the request was sent again means the first try
        did it (its answer was lost): that is success too."""
        try:
            self.request("DELETE", f"/__api__/v1/content/{q(guid)}/bundles/{q(bundle_id)}")
        except ConnectNotFound as exc:
            if not exc.retried:
                raise
            _log.debug("DELETE of bundle %s answered 404 after a retry: done", bundle_id)

    def start_deploy(self, guid: str, bundle_id: str) -> str:
        """Ask for a deploy; the id of its task."""
        response = self.request(
            "POST", f"/__api__/v1/content/{q(guid)}/deploy", json={"bundle_id": bundle_id}
        )
        task_id = self.json(response).get("task_id")
        if not task_id:
            raise PinsServerError(f"Posit Connect at {self.server} started no deploy task.")
        return str(task_id)

    def deploy(self, guid: str, bundle_id: str, timeout: float = 600.0) -> None:
        """Deploy a bundle and wait for its task to finish; raise if it failed."""
        self.wait_task(self.start_deploy(guid, bundle_id), timeout)

    def wait_task(self, task_id: str, timeout: float = 600.0) -> None:
        """Poll a task until it finishes (see :func:`._connect_tasks.wait_for_task`)."""
        path = f"/__api__/v1/tasks/{q(task_id)}"
        wait_for_task(lambda first: self.get_json(path, {"first": first, "wait": 1}), timeout)

    # ------------------------------------------------------------------ content files
    def _file_path(self, guid: str, bundle_id: str, file_name: str) -> str:
        return f"/content/{q(guid)}/_rev{q(bundle_id)}/{q(file_name)}"

    def _checked_file(self, response: requests.Response, file_name: str) -> None:
        """An HTML page for a file that is not one is a login page or a proxy's."""
        if is_html(response) and not file_name.lower().endswith((".html", ".htm")):
            response.close()
            raise self.html_error("GET", response.url, response)

    def open_file(self, guid: str, bundle_id: str, file_name: str) -> requests.Response:
        """The response for a file of one bundle: sent, its status checked, its body not
        read yet (read it with :meth:`stream`)."""
        path = self._file_path(guid, bundle_id, file_name)
        response = self.request("GET", path, stream=True)
        self._checked_file(response, file_name)
        return response

    def stream(self, response: requests.Response, file_name: str) -> Iterator[bytes]:
        """The body of a response from :meth:`open_file`, in chunks; closed at the end."""
        try:
            with transport_errors(f"Posit Connect at {self.server} (reading {file_name})"):
                yield from response.iter_content(CHUNK_SIZE)
        finally:
            response.close()

    def read_file(self, guid: str, bundle_id: str, file_name: str) -> bytes:
        """The whole content of a (small) file of one bundle."""
        return self.get_file(self._file_path(guid, bundle_id, file_name), file_name).content

    def get_file(self, path: str, file_name: str) -> requests.Response:
        """GET a file of a content URL (a path or a full URL); an HTML page for a file that
        is not one (a login page, a proxy's) is an error."""
        response = self.request("GET", path)
        self._checked_file(response, file_name)
        return response
