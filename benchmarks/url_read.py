"""A cached read from a large URL board: 5,000 pins of 20 versions each.

Run with ``.venv/bin/python benchmarks/url_read.py``. A folder board's ``_pins.yaml``
listing 100,000 version folders is served on loopback (with ETags, as any static web
server does); one pin is read once to fill the cache, then read again ``--repeat`` times.
Each of those reads asks the server only whether the manifest changed (a ``304``), so
what is timed is the board's own cost of a cached read: the best and the median.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pins  # noqa: E402


class _Handler(BaseHTTPRequestHandler):
    root: Path

    def do_GET(self) -> None:
        target = self.root / unquote(urlsplit(self.path).path).lstrip("/")
        if not target.is_file():
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = target.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def make_board(root: Path, pins_count: int, versions: int) -> str:
    """A real pin ``pin00000`` with ``versions`` versions, and a manifest that lists
    ``pins_count`` such pins (the others exist only in the manifest: a cached read of
    one pin never opens them)."""
    board = pins.board_folder(root)
    for i in range(versions):
        board.pin_write({"i": i}, "pin00000")
    ids = [v.version for v in board.pin_versions("pin00000", as_df=False)]
    manifest = {
        f"pin{n:05d}": [f"pin{n:05d}/{version}/" for version in ids] for n in range(pins_count)
    }
    (root / "_pins.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return "pin00000"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pins", type=int, default=5000)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "board"
        name = make_board(root, args.pins, args.versions)
        handler = type("Handler", (_Handler,), {"root": root})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/"
            board = pins.board_url(url, cache=Path(tmp) / "cache")
            assert board.pin_read(name) == {"i": args.versions - 1}
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                board.pin_read(name)
                times.append(time.perf_counter() - start)
        finally:
            server.shutdown()
            server.server_close()
    print(
        f"cached pin_read on a URL board of {args.pins:,} pins x {args.versions} versions: "
        f"best {min(times) * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
