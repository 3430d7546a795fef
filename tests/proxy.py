"""A proxy on 127.0.0.1 that loses answers: it forwards each request to a server, and for
the requests a test names it closes the client's connection instead of answering, after
the server acted (or, ``before=True``, without forwarding the request at all). It can also
rewrite queries (a server that ignores ``start``).

    with ConnectServer() as server, LossyProxy(server.url) as proxy:
        proxy.lose("POST", r"/deploy$")           # the next deploy's answer is lost
        board = pins.board_connect(proxy.url, api_key=...)
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler
from werkzeug.wrappers import Request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}


@dataclass
class _Loss:
    method: str
    pattern: str
    times: int
    before: bool
    after_a_loss: bool


class _Server(ThreadedWSGIServer):
    def log(self, type: str, message: str, *args: Any) -> None:  # no tracebacks on drops
        pass


class _Handler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class LossyProxy:
    """Forward to ``upstream``; lose the answers of the requests given to :meth:`lose`."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._prefix = parts.path.rstrip("/")
        self._lock = threading.Lock()
        self._losses: list[_Loss] = []
        self.lost: list[tuple[str, str]] = []  # (method, path) of every answer lost
        self.rewrite: Callable[[str, str, str], str] | None = None  # (method, path, query)
        self._server = _Server("127.0.0.1", 0, self._app, _Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}{self._prefix}"

    def lose(
        self,
        method: str,
        pattern: str,
        times: int = 1,
        *,
        before: bool = False,
        after_a_loss: bool = False,
    ) -> None:
        """Lose the answer to the next ``times`` requests of ``method`` whose path matches
        ``pattern`` (``re.search``), after the server answered them; with ``before``, drop
        those requests without sending them on; with ``after_a_loss``, only once another
        answer was lost."""
        with self._lock:
            self._losses.append(_Loss(method.upper(), pattern, times, before, after_a_loss))

    def _should_lose(self, method: str, path: str, before: bool) -> bool:
        with self._lock:
            for loss in self._losses:
                if (
                    loss.times > 0
                    and loss.before == before
                    and (self.lost or not loss.after_a_loss)
                    and loss.method == method
                    and re.search(loss.pattern, path)
                ):
                    loss.times -= 1
                    self.lost.append((method, path))
                    return True
        return False

    @staticmethod
    def _drop(environ: WSGIEnvironment) -> None:
        connection = environ.get("werkzeug.socket")
        if isinstance(connection, socket.socket):
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        raise ConnectionAbortedError("the proxy lost this answer on purpose")

    def _app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        method, path = request.method, request.path
        if self._should_lose(method, path, before=True):
            self._drop(environ)
        query = request.query_string.decode("latin-1")
        if self.rewrite is not None:
            query = self.rewrite(method, path, query)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        body = request.get_data()
        upstream = http.client.HTTPConnection(self._host, self._port, timeout=60)
        try:
            target = environ.get("RAW_URI", "").split("?", 1)[0] or request.full_path
            upstream.request(method, target + (f"?{query}" if query else ""), body, headers)
            answer = upstream.getresponse()
            data = answer.read()
            status = f"{answer.status} {answer.reason}"
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in _HOP]
        finally:
            upstream.close()
        if self._should_lose(method, path, before=False):
            self._drop(environ)
        start_response(status, [*kept, ("Content-Length", str(len(data)))])
        return [data]

    def __enter__(self) -> LossyProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
