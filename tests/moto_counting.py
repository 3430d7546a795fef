"""An S3 server (moto) on loopback that counts what it sends: the bytes of every GET
response body, per object key, and the number of GETs. Stops by itself after the test."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class CountingS3:
    """The endpoint, and what was served since :meth:`reset`."""

    endpoint: str
    bytes_sent: Counter[str] = field(default_factory=Counter)
    gets: Counter[str] = field(default_factory=Counter)

    def reset(self) -> None:
        self.bytes_sent.clear()
        self.gets.clear()


@contextmanager
def counting_s3(bucket: str) -> Iterator[CountingS3]:
    """Serve S3 on 127.0.0.1 with ``bucket`` made, counting GET bodies; stop after."""
    pytest.importorskip("s3fs")
    app_module = pytest.importorskip("moto.moto_server.werkzeug_app")
    from werkzeug.serving import make_server

    app = app_module.DomainDispatcherApplication(app_module.create_backend_app)
    lock = threading.Lock()
    counts = CountingS3("")

    def counting(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        body = app(environ, start_response)
        if environ["REQUEST_METHOD"] != "GET":
            yield from body
            return
        key = environ.get("PATH_INFO", "")
        for chunk in body:
            with lock:
                counts.bytes_sent[key] += len(chunk)
            yield chunk
        with lock:
            counts.gets[key] += 1

    # moto's own request handler where it has one (5.0.13 has none: werkzeug's, as its
    # ThreadedMotoServer then)
    handler = getattr(app_module, "MotoRequestHandler", None)
    server = make_server("127.0.0.1", 0, counting, threaded=True, request_handler=handler)
    counts.endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        import boto3

        boto3.client(
            "s3",
            endpoint_url=counts.endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        ).create_bucket(Bucket=bucket)
        yield counts
    finally:
        server.shutdown()
        thread.join(10)
