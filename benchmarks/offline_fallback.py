"""How long a read takes to fall back to the cache when the server is gone.

Run with ``.venv/bin/python benchmarks/offline_fallback.py``. A Connect emulator and an
S3 server (moto), both on loopback, get a pin with two versions; a reader reads the
latest once (so it is cached); then the servers are stopped and a new reader with the
same cache and the default settings (sessions, botocore configuration) calls each
reading function. Printed: the seconds each took, and what it gave (a value, with
``+warning`` when it warned, or the error it raised).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pins  # noqa: E402
from pins.testing import ConnectServer  # noqa: E402

CALLS: dict[str, Callable[[Any, str], Any]] = {
    "pin_read": lambda board, pin: board.pin_read(pin),
    "pin_versions": lambda board, pin: len(board.pin_versions(pin, as_df=False)),
    "pin_list": lambda board, pin: board.pin_list(),
    "pin_exists": lambda board, pin: board.pin_exists(pin),
    "pin_search": lambda board, pin: len(board.pin_search(pin.split("/")[-1], as_df=False)),
}


def timed(board: Any, pin: str) -> list[tuple[str, float, str]]:
    rows = []
    for name, call in CALLS.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            start = time.perf_counter()
            try:
                outcome = repr(call(board, pin))[:30]
            except Exception as exc:
                outcome = f"raises {type(exc).__name__}"
            seconds = time.perf_counter() - start
        if caught:
            outcome += " +warning"
        rows.append((name, seconds, outcome))
    return rows


def connect(cache: str) -> list[tuple[str, float, str]]:
    with ConnectServer(users=["susan:publisher"]) as server:
        url, key = server.url, server.api_key("susan")
        writer = pins.board_connect(url, api_key=key, cache=tempfile.mkdtemp())
        writer.pin_write({"v": 1}, "sales")
        writer.pin_write({"v": 2}, "sales")
        pins.board_connect(url, api_key=key, cache=cache).pin_read("susan/sales")
    return timed(pins.board_connect(url, api_key=key, cache=cache), "susan/sales")


def s3(cache: str) -> list[tuple[str, float, str]]:
    import boto3
    from moto.server import ThreadedMotoServer

    os.environ.update(
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="bench")
        writer = pins.board_s3("bench/pins", endpoint_url=endpoint, cache=None)
        writer.pin_write({"v": 1}, "sales")
        writer.pin_write({"v": 2}, "sales")
        pins.board_s3("bench/pins", endpoint_url=endpoint, cache=cache).pin_read("sales")
    finally:
        server.stop()
    return timed(pins.board_s3("bench/pins", endpoint_url=endpoint, cache=cache), "sales")


def main() -> None:
    print(f"{'board':8} {'call':13} {'seconds':>8}  outcome")
    for kind, run in (("Connect", connect), ("S3", s3)):
        for name, seconds, outcome in run(tempfile.mkdtemp()):
            print(f"{kind:8} {name:13} {seconds:8.2f}  {outcome}")


if __name__ == "__main__":
    os.environ["PINS_QUIET"] = "1"
    main()
