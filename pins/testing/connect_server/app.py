"""The WSGI application: slash collapsing, fault injection, authentication, routing, errors and
the request log."""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .context import Ctx, json_response
from .errors import ApiError, error_response
from .faults import Faults
from .state import State

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

DEFAULT_MAX_BUNDLE_SIZE = 1 << 30
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
    """A thread-safe list of ``RequestRecord``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

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
        max_bundle_size: int = DEFAULT_MAX_BUNDLE_SIZE,
    ) -> None:
        from . import routes_api, routes_bundles, serving

        self.state = state
        self.faults = faults
        self.log = log
        self.max_bundle_size = max_bundle_size
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
            return []
        response = error_response(1) if fail else self._dispatch(request, path)
        self._record(request, path, raw_path, response.status_code)
        return response(environ, start_response)

    def _record(self, request: Request, path: str, raw_path: str, status: int) -> None:
        query = request.query_string.decode("latin-1")
        self.log.add(RequestRecord(request.method, path, query, status, raw_path))

    def _dispatch(self, request: Request, path: str) -> Response:
        ctx = Ctx(
            request, self.state, self.faults, request.host_url.rstrip("/"), self.max_bundle_size
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
