"""The WSGI application: the path prefix, slash collapsing, fault injection, an SSO front,
authentication, routing, errors and the request log (bounded: the newest
:data:`REQUEST_LOG_SIZE` requests)."""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .context import Ctx, json_response
from .errors import ApiError, error_response
from .faults import Faults
from .settings import LOGIN_PAGE, Settings
from .state import State

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

#: No limit on the size of a bundle, as on Connect: its API reference and admin guide
#: set none (the limits users meet are their publishing tool's or a proxy's).
DEFAULT_MAX_BUNDLE_SIZE: int | None = None
#: The request log keeps this many requests, the newest.
REQUEST_LOG_SIZE = 20_000
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestRecord:
    """One answered request. ``path`` is decoded, with repeated slashes collapsed (what routing
    sees); ``raw_path`` is the path as sent (not decoded); ``query`` the raw query string.
    ``status`` is 0 for a connection dropped by fault injection. No headers are kept, so no
    key ever lands here."""

    method: str
    path: str
    query: str
    status: int
    raw_path: str


class RequestLog:
    """A thread-safe log of the newest ``size`` ``RequestRecord``."""

    def __init__(self, size: int = REQUEST_LOG_SIZE) -> None:
        self._lock = threading.Lock()
        self._records: deque[RequestRecord] = deque(maxlen=size)

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def records(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()


def _collapse(path: str) -> str:
    return re.sub("/{2,}", "/", path) or "/"


class ConnectApp:
    """The emulator as a WSGI application (``ConnectServer`` serves it on a socket)."""

    def __init__(
        self,
        state: State,
        faults: Faults,
        log: RequestLog,
        max_bundle_size: int | None = DEFAULT_MAX_BUNDLE_SIZE,
        settings: Settings | None = None,
        prefix: str = "",
    ) -> None:
        from . import routes_api, routes_bundles, serving

        self.state = state
        self.faults = faults
        self.log = log
        self.max_bundle_size = max_bundle_size
        self.settings = settings or Settings()
        self.prefix = prefix
        rules = [*routes_api.RULES, *routes_bundles.RULES]
        # A rule's endpoint is the index of its handler: werkzeug 3.0 types endpoints as str.
        self.handlers = [handler for _, _, handler in rules]
        self.api_map = Map(
            [
                Rule(path, methods=methods, endpoint=str(i))
                for i, (path, methods, _) in enumerate(rules)
            ],
            strict_slashes=False,
            merge_slashes=False,
        )
        self.serve_content = serving.serve_content

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        path = _collapse(request.path)  # decoded from the WSGI latin-1 form
        raw_uri = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or "")
        raw_path = raw_uri.split("?", 1)[0] if raw_uri.startswith("/") else path
        if self.settings.html_front:
            self._record(request, path, raw_path, 200)
            page = Response(LOGIN_PAGE, status=200, content_type="text/html; charset=utf-8")
            return page(environ, start_response)
        routed = self._unprefixed(path)
        if routed is None:  # outside the server's path: what the web server in front says
            self._record(request, path, raw_path, 404)
            return error_response(2)(environ, start_response)
        path = routed
        faults = self.faults
        drop = fail = False
        if faults.applies_to(path):
            if faults.latency > 0:
                time.sleep(faults.latency)
            drop, fail = faults.draw()
        if drop:
            self._record(request, path, raw_path, 0)
            connection = environ.get("werkzeug.socket")
            if isinstance(connection, socket.socket):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            # the server takes this for a client that went away: no answer, no traceback
            raise ConnectionAbortedError("connection dropped by fault injection")
        response = error_response(1) if fail else self._dispatch(request, path)
        self._record(request, path, raw_path, response.status_code)
        return response(environ, start_response)

    def _unprefixed(self, path: str) -> str | None:
        """The path below the server's prefix (``/rsc``), or None for a path outside it."""
        if not self.prefix:
            return path
        if path == self.prefix or path.startswith(self.prefix + "/"):
            return path[len(self.prefix) :] or "/"
        return None

    def _record(self, request: Request, path: str, raw_path: str, status: int) -> None:
        query = request.query_string.decode("latin-1")
        self.log.add(RequestRecord(request.method, path, query, status, raw_path))

    def _dispatch(self, request: Request, path: str) -> Response:
        base = request.host_url.rstrip("/") + self.prefix
        ctx = Ctx(
            request, self.state, self.faults, self.settings, base, self.max_bundle_size, self.prefix
        )
        try:
            if path == "/__ping__":
                return json_response({})
            if path == "/content" or path.startswith("/content/"):
                return self.serve_content(ctx, path)
            if path.startswith("/__api__/"):
                adapter = self.api_map.bind("emulator", path_info=path.rstrip("/") or "/")
                try:
                    endpoint, args = adapter.match(method=request.method)
                except (NotFound, MethodNotAllowed):
                    raise ApiError(2) from None
                response: Response = self.handlers[int(endpoint)](ctx, **args)
                return response
            raise ApiError(2)
        except ApiError as exc:
            return exc.response()
        except Exception:  # an emulator bug must still answer like Connect, not with HTML
            _log.exception("internal error answering %s %s", request.method, path)
            return error_response(1)
