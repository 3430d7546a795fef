"""A thin, typed client for the part of the Posit Connect API that pins uses.

Every HTTP error, Connect error code and network failure is translated into a
:class:`~pins.errors.PinsError` in one place (:meth:`ConnectApi.request`). The API key
is sent in the ``Authorization`` header only; it never appears in a repr, a log line or
an error message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import requests

from .._http import TIMEOUT, retrying_session, transport_errors
from ..errors import (
    PinsAuthError,
    PinsError,
    PinsServerError,
)
from ..hashing import CHUNK_SIZE

__all__ = ["FIRST_POLL_PAUSE", "MAX_POLL_PAUSE", "ConnectApi", "ConnectNotFound", "make_session"]

_log = logging.getLogger("pins")

#: The first pause (seconds) between polls of a deploy task that the server answered at
#: once; it doubles up to MAX_POLL_PAUSE.
FIRST_POLL_PAUSE = 0.05
MAX_POLL_PAUSE = 1.0


class ConnectNotFound(PinsError):
    """A 404 from Connect; boards turn it into the right not-found error."""

    def __init__(self, message: str, code: int | None) -> None:
        super().__init__(message)
        self.code = code


class ConnectRefused(PinsError):
    """A 4xx answer with a Connect error code that the caller may handle."""

    def __init__(self, message: str, code: int | None, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def make_session(retries: int = 3) -> requests.Session:
    """A session that retries connection failures and 502/503/504 answers of idempotent
    requests (never an upload or a deploy)."""
    return retrying_session(retries)


class ConnectApi:
    """Calls to one Connect server with one API key.

    Parameters
    ----------
    server_url
        The server, e.g. ``https://connect.example.com``.
    api_key
        The API key (``None`` for anonymous access to public content).
    session
        A ``requests.Session`` to use (tests inject one); a retrying one by default.
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
        self.server = server_url.rstrip("/")
        self._api_key = api_key
        self.session = session if session is not None else make_session()
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"ConnectApi({self.server!r})"

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

        ``path`` is relative to the server (``/__api__/v1/user``) or a full URL on it.
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

    def _error(self, method: str, url: str, response: requests.Response) -> PinsError:
        code: int | None = None
        text = ""
        try:
            body = response.json()
            if isinstance(body, dict):
                code = body.get("code") if isinstance(body.get("code"), int) else None
                text = str(body.get("error") or "")
        except ValueError:
            text = response.text[:200]
        where = f"{method} {url.removeprefix(self.server)}"
        detail = f"{text} (Connect code {code})" if code is not None else text
        status = response.status_code
        if status == 401:
            return PinsAuthError(
                f"Posit Connect at {self.server} did not accept the API key: {detail}. "
                "Check CONNECT_API_KEY (or api_key=)."
            )
        if status == 403:
            return PinsAuthError(f"Posit Connect refused {where}: {detail}.")
        if status == 404:
            return ConnectNotFound(f"{where}: not found. {detail}", code)
        if status >= 500:
            return PinsServerError(
                f"Posit Connect at {self.server} failed on {where} with HTTP {status}: {detail}",
                status,
            )
        return ConnectRefused(
            f"Posit Connect refused {where} (HTTP {status}): {detail}", code, status
        )

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return _json(self.request("GET", path, params=params))

    # ------------------------------------------------------------------ users
    def me(self) -> dict[str, Any]:
        user: dict[str, Any] = self.get_json("/__api__/v1/user")
        return user

    def find_user(self, username: str) -> dict[str, Any] | None:
        """The user with exactly this username, walking the prefix search's pages."""
        page = 1
        while True:
            body = self.get_json(
                "/__api__/v1/users",
                {"prefix": username, "page_number": page, "page_size": 500},
            )
            results = body.get("results") or []
            for user in results:
                if user.get("username") == username:
                    found: dict[str, Any] = user
                    return found
            if not results or len(results) < 500:
                return None
            page += 1

    # ------------------------------------------------------------------ content
    def find_content(self, owner_guid: str, name: str) -> dict[str, Any] | None:
        rows = self.get_json("/__api__/v1/content", {"owner_guid": owner_guid, "name": name})
        if not isinstance(rows, list):
            raise PinsServerError(
                f"Posit Connect at {self.server} sent an unexpected content list."
            )
        for row in rows:
            if row.get("name") == name and row.get("owner_guid") == owner_guid:
                found: dict[str, Any] = row
                return found
        return None

    def get_content(self, guid: str) -> dict[str, Any] | None:
        try:
            content: dict[str, Any] = self.get_json(f"/__api__/v1/content/{guid}")
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
        content: dict[str, Any] = _json(self.request("POST", "/__api__/v1/content", json=body))
        return content

    def patch_content(self, guid: str, **fields: Any) -> dict[str, Any]:
        content: dict[str, Any] = _json(
            self.request("PATCH", f"/__api__/v1/content/{guid}", json=fields)
        )
        return content

    def delete_content(self, guid: str) -> None:
        self.request("DELETE", f"/__api__/v1/content/{guid}")

    def search_pins(self, search: str | None = None, page_size: int = 500) -> list[dict[str, Any]]:
        """Every pin (content with category ``pin``) the key can see, via the v0 search."""
        rows: list[dict[str, Any]] = []
        start = 0
        while True:
            params: dict[str, Any] = {
                "filter": "content_type:pin",
                "count": page_size,
                "start": start,
            }
            if search:
                params["search"] = search
            body = self.get_json("/__api__/applications", params)
            page = body.get("applications") or []
            rows.extend(page)
            total = body.get("total")
            start += len(page)
            if not page or (isinstance(total, int) and start >= total):
                return rows

    # ------------------------------------------------------------------ bundles
    def list_bundles(self, guid: str) -> list[dict[str, Any]]:
        bundles: list[dict[str, Any]] = self.get_json(f"/__api__/v1/content/{guid}/bundles")
        return bundles

    def upload_bundle(self, guid: str, archive: Path) -> dict[str, Any]:
        with open(archive, "rb") as handle:
            response = self.request("POST", f"/__api__/v1/content/{guid}/bundles", data=handle)
        bundle: dict[str, Any] = _json(response)
        return bundle

    def delete_bundle(self, guid: str, bundle_id: str) -> None:
        self.request("DELETE", f"/__api__/v1/content/{guid}/bundles/{bundle_id}")

    def deploy(self, guid: str, bundle_id: str, timeout: float = 600.0) -> None:
        """Deploy a bundle and wait for its task to finish; raise if it failed."""
        body = _json(
            self.request(
                "POST", f"/__api__/v1/content/{guid}/deploy", json={"bundle_id": bundle_id}
            )
        )
        task_id = body.get("task_id")
        if not task_id:
            raise PinsServerError(f"Posit Connect at {self.server} started no deploy task.")
        self.wait_task(str(task_id), timeout)

    def wait_task(self, task_id: str, timeout: float = 600.0) -> None:
        """Poll a task until it finishes; raise if it failed or took over ``timeout`` s.

        Each poll asks the server to hold its answer up to a second while the task runs
        (``wait=1``, long polling). A server that answers at once anyway is polled after a
        pause that doubles from :data:`FIRST_POLL_PAUSE` up to :data:`MAX_POLL_PAUSE`
        seconds: never a hot loop, and never a pause after a poll that waited already.
        """
        deadline = time.monotonic() + timeout
        first = 0
        pause = FIRST_POLL_PAUSE
        while True:
            asked = time.monotonic()
            task = self.get_json(f"/__api__/v1/tasks/{task_id}", {"first": first, "wait": 1})
            first = int(task.get("last") or first)
            if task.get("finished"):
                if task.get("code", 0) != 0 or task.get("error"):
                    output = "\n".join(str(line) for line in task.get("output") or [])[-2000:]
                    raise PinsServerError(
                        f"Posit Connect failed to deploy the pin: {task.get('error') or ''}\n"
                        f"{output}".strip()
                    )
                return
            now = time.monotonic()
            if now > deadline:
                raise PinsServerError(
                    f"Posit Connect did not finish deploying within {timeout:.0f} s "
                    f"(task {task_id})."
                )
            rest = min(pause - (now - asked), deadline - now)
            if rest > 0:
                time.sleep(rest)
            pause = min(pause * 2, MAX_POLL_PAUSE)

    # ------------------------------------------------------------------ content files
    def _file_path(self, guid: str, bundle_id: str, file_name: str) -> str:
        return f"/content/{guid}/_rev{bundle_id}/{quote(file_name, safe='')}"

    def open_file(self, guid: str, bundle_id: str, file_name: str) -> requests.Response:
        """The response for a file of one bundle: sent, its status checked, its body not
        read yet (read it with :meth:`stream`)."""
        return self.request("GET", self._file_path(guid, bundle_id, file_name), stream=True)

    def stream(self, response: requests.Response, file_name: str) -> Iterator[bytes]:
        """The body of a response from :meth:`open_file`, in chunks; closed at the end."""
        try:
            with transport_errors(f"Posit Connect at {self.server} (reading {file_name})"):
                yield from response.iter_content(CHUNK_SIZE)
        finally:
            response.close()

    def read_file(self, guid: str, bundle_id: str, file_name: str) -> bytes:
        """The whole content of a (small) file of one bundle."""
        return self.request("GET", self._file_path(guid, bundle_id, file_name)).content


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise PinsServerError(
            f"Posit Connect sent something that is not JSON for {response.request.method} "
            f"{response.url}."
        ) from exc
