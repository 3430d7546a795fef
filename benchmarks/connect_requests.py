"""Requests per Connect read: this package against pins-python 0.9.2, on the emulator;
and requests per write of this package (a new pin, then a new version of it).

Run with ``.venv/bin/python benchmarks/connect_requests.py`` (the first run builds
pins-python's virtual environment under ``.cache/``, about a minute). Each read runs in
a new process, so nothing is warm but the on-disk cache; the emulator's request log
counts what reached the server.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pins  # noqa: E402
from pins.testing import ConnectServer  # noqa: E402
from tests.pinspy import ensure_pinspy  # noqa: E402

READ = """
import os, warnings
warnings.simplefilter("ignore")
import pins
board = pins.board_connect(
    server_url=os.environ["URL"], api_key=os.environ["KEY"], cache=os.environ["CACHE"]
)
board.pin_read(os.environ["PIN"])
"""
# pins-python takes no cache folder argument; it reads PINS_CACHE_DIR.
READ_PINSPY = READ.replace('cache=os.environ["CACHE"]', "")


def count(server: ConnectServer, python: str, script: str, env: dict[str, str]) -> int:
    server.clear_requests()
    subprocess.run(
        [python, "-I", "-c", textwrap.dedent(script)],
        env={**env, "PYTHONWARNINGS": "ignore"},
        check=True,
        cwd=tempfile.gettempdir(),
    )
    return len(server.requests)


def main() -> None:
    pinspy = str(ensure_pinspy())
    with tempfile.TemporaryDirectory() as tmp, ConnectServer(users=["susan:publisher"]) as srv:
        key = srv.api_key("susan")
        frame = pd.DataFrame({"x": range(1000), "y": [f"row {i}" for i in range(1000)]})
        writer = pins.board_connect(srv.url, api_key=key, cache=Path(tmp) / "writer")
        writer.pin_write(frame, "bench", type="csv")
        writer.pin_write(frame.head(500), "bench", type="csv")  # two versions
        base = {"URL": srv.url, "KEY": key, "PIN": "susan/bench", "PATH": "/usr/bin:/bin"}
        rows = []
        for label, python, script in (
            ("pins (this package)", sys.executable, READ),
            ("pins-python 0.9.2", pinspy, READ_PINSPY),
        ):
            cache = str(Path(tmp) / label.split()[0])
            env = {**base, "CACHE": cache, "PINS_CACHE_DIR": cache}
            first = count(srv, python, script, env)
            cached = count(srv, python, script, env)
            rows.append((label, first, cached))
    print("| client | first read | cached read |")
    print("|---|---|---|")
    for label, first, cached in rows:
        print(f"| {label} | {first} | {cached} |")
    new_pin, new_version = count_writes()
    print()
    print("| pins (this package) | write of a new pin | write of a new version |")
    print("|---|---|---|")
    print(f"| requests | {new_pin} | {new_version} |")


def count_writes() -> tuple[int, int]:
    """Requests of a first write of a new pin (nothing cached: a new process), then of a
    second version."""
    with tempfile.TemporaryDirectory() as tmp, ConnectServer(users=["susan:publisher"]) as srv:
        board = pins.board_connect(srv.url, api_key=srv.api_key("susan"), cache=tmp)
        counts = []
        for value in (1, 2):
            srv.clear_requests()
            board.pin_write({"value": value}, "written")
            counts.append(len(srv.requests))
    return counts[0], counts[1]


if __name__ == "__main__":
    main()
