"""Servers on loopback for the tests: a folder over HTTP (S3 is in :mod:`tests.moto_s3`).

Each serves on 127.0.0.1, on a free port, and stops when its test is done.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

MOTO_ENV = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


class FolderServer(ThreadingHTTPServer):
    """A folder served over HTTP on loopback, with a request log and injectable faults."""

    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root.resolve()
        self.log: list[tuple[str, int, int]] = []  # (path, status, body bytes)
        self.faults: dict[str, tuple[int, bytes]] = {}  # path -> (status, body)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"
        self._thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def paths(self) -> list[str]:
        return [path for path, _, _ in self.log]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(5)


class _Handler(BaseHTTPRequestHandler):
    """Static files with ETag / If-None-Match and Last-Modified / If-Modified-Since."""

    server: FolderServer

    def do_GET(self) -> None:
        rel = unquote(urlsplit(self.path).path).lstrip("/")
        if rel in self.server.faults:
            status, body = self.server.faults[rel]
            return self._send(rel, status, body, {"Content-Type": "text/html"})
        target = (self.server.root / rel).resolve()
        if self.server.root not in target.parents or not target.is_file():
            return self._send(rel, 404, b"not found", {})
        stat = target.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        headers = {"ETag": etag, "Last-Modified": formatdate(stat.st_mtime, usegmt=True)}
        if "If-None-Match" in self.headers:
            fresh = self.headers["If-None-Match"] == etag
        elif "If-Modified-Since" in self.headers:
            since = parsedate_to_datetime(self.headers["If-Modified-Since"]).timestamp()
            fresh = int(stat.st_mtime) <= since
        else:
            fresh = False
        if fresh:
            return self._send(rel, 304, b"", headers)
        return self._send(rel, 200, target.read_bytes(), headers)

    def _send(self, rel: str, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.server.log.append((rel, status, len(body)))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_folder(root: Path) -> Iterator[FolderServer]:
    """Serve ``root`` while the generator runs (``yield from``, or ``contextmanager``)."""
    server = FolderServer(root)
    try:
        yield server
    finally:
        server.stop()


def s3_test_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS settings for moto (:mod:`tests.moto_s3`) only: none of the user's profiles,
    config or credentials files."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in MOTO_ENV.items():
        monkeypatch.setenv(name, value)
