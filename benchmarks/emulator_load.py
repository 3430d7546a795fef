"""The Connect emulator over time: how long a write takes as versions pile up (with a data
folder, as a test server keeps one), and how its memory grows under a steady load.

    python benchmarks/emulator_load.py --versions 800 --seconds 60

Prints ms per write for each block of 100 versions, then the resident memory of an
emulator (in a process of its own) every 10 s while 4 threads read and rewrite a pin as
fast as it answers.
"""

from __future__ import annotations

import argparse
import logging
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pins
from pins.testing import ConnectServer


def rss_mb(pid: int) -> float:
    """The resident memory of a process (Linux), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def writes(versions: int, root: Path) -> list[float]:
    """ms per write, for each block of 100 versions of one pin."""
    blocks = []
    with ConnectServer(users=["susan:publisher"], data_dir=root / "server") as server:
        board = pins.board_connect(server.url, api_key=server.api_key("susan"), cache=root / "c")
        start = time.perf_counter()
        for i in range(versions):
            board.pin_write({"i": i}, "many", type="json")
            if (i + 1) % 100 == 0:
                now = time.perf_counter()
                blocks.append(1000 * (now - start) / 100)
                start = now
    return blocks


def load(seconds: float, root: Path) -> list[tuple[float, float, int]]:
    """(elapsed s, the server's RSS in MB, requests sent) every 10 s, while 4 threads read
    a pin and one of them rewrites it (unversioned: the state stays the same size, so
    what grows is what the server keeps of its past)."""
    command = [sys.executable, "-m", "pins.testing.connect_server", "--port", "0"]
    server = subprocess.Popen(
        [*command, "--data-dir", str(root / "loaded"), "--user", "susan:publisher:load-key"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    url = next(line for line in server.stdout if line.startswith("Connect emulator at "))
    url = url.split()[-1]
    samples = []
    try:
        writer = pins.board_connect(url, api_key="load-key", cache=root / "w", versioned=False)
        writer.pin_write({"i": 0}, "hot")
        stop = threading.Event()
        sent = [0]

        def work(n: int) -> None:
            board = pins.board_connect(url, api_key="load-key", cache=root / f"c{n}")
            i = 0
            while not stop.is_set():
                i += 1
                if n == 0 and i % 5 == 0:
                    writer.pin_write({"i": i}, "hot", type="json")
                else:
                    board.pin_read("susan/hot")
                sent[0] += 1

        threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(4)]
        for thread in threads:
            thread.start()
        begin = time.monotonic()
        while time.monotonic() - begin < seconds:
            time.sleep(10)
            samples.append((time.monotonic() - begin, rss_mb(server.pid), sent[0]))
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--versions", type=int, default=800)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="emulator-load-") as tmp:
        root = Path(tmp)
        for n, ms in enumerate(writes(args.versions, root), 1):
            print(f"versions {100 * n:5d}: {ms:6.1f} ms per write")
        first = None
        for elapsed, rss, sent in load(args.seconds, root):
            first = first if first is not None else rss
            print(
                f"load {elapsed:5.0f} s: server RSS {rss:6.1f} MB ({rss - first:+.1f}), {sent} ops"
            )


if __name__ == "__main__":
    main()
