"""An S3 server (moto) on loopback with one bucket, for the tests of S3 boards."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

#: A server in a process of its own: it says its port, then serves until its standard
#: input closes (when the tests are done with it, or end in any way).
_SERVE = """
import logging, sys
from moto.server import ThreadedMotoServer

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()  # the server's thread ends with the process
"""


@contextmanager
def moto_s3(bucket: str, *, own_process: bool = False) -> Iterator[str]:
    """Serve S3 on 127.0.0.1 with ``bucket`` made; yield its endpoint URL; stop after.

    ``own_process``: the server runs in a process of its own, as a real store does, for
    readers that hold the GIL while they wait for an answer (polars 0.20 opening a file
    on S3 with its own client would wait for ever on a server in the tests' process).
    """
    pytest.importorskip("s3fs")
    server_module = pytest.importorskip("moto.server")
    with _in_own_process() if own_process else _in_this_process(server_module) as endpoint:
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )
        client.create_bucket(Bucket=bucket)
        yield endpoint


@contextmanager
def _in_this_process(server_module: Any) -> Iterator[str]:
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@contextmanager
def _in_own_process() -> Iterator[str]:
    with (
        tempfile.TemporaryFile() as log,
        subprocess.Popen(
            [sys.executable, "-c", _SERVE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        ) as server,
    ):
        assert server.stdin is not None and server.stdout is not None
        try:
            port = server.stdout.readline().strip()
            if not port.isdigit():
                log.seek(0)
                raise RuntimeError(f"moto did not start: {log.read().decode()[-2000:]}")
            yield f"http://127.0.0.1:{port}"
        finally:
            server.stdin.close()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
