"""Tables beyond pandas and beyond memory (issue 13), measured on this machine.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/tables.py``). Prints a table
and writes it as JSON to ``benchmarks/results/tables.json``. Each timing is the best of
``--repeat`` runs, pins and the raw library alternating.

* ``polars_read``: ``pin_read(name, frame="polars")`` of a 1,000,000-row parquet pin
  against ``pl.read_parquet`` on the same file (target: at most 1.10x);
* ``lazy_scan``: ``pin_scan(name, frame="polars")`` selecting 1 column and 1% of the rows
  of a 10,000,000-row pin against ``pl.scan_parquet`` on the same file (target: at most
  1.2x), and a full ``pin_read`` for scale;
* ``stream_write``: ``pin_write`` of about 4 GB of parquet from a generator of record
  batches, in a fresh process: its peak RSS above the start (target: under 500 MB);
* ``connect_upload``: ``pin_upload`` of a 2 GB file to the Connect emulator, each in a
  process of its own: the client's and the server's peak RSS above their baselines
  (target: each under 300 MB), the time, and the bundle's gzip level against others;
* ``json_write``: ``pin_write`` of a 100,000-row frame as json against pandas'
  ``to_json`` plus an xxh64 of its file (target: at most 1.2x), with every float read
  back exactly (pandas rounds to 10 digits).

Options: ``--stream-gb``, ``--upload-gb``, ``--scan-rows``, ``--repeat``, ``--skip-big``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

import pins
from pins.hashing import hash_file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from memory import PEAK_HELPERS, run_child, start_connect_server  # noqa: E402
from run import make_frame  # noqa: E402


def best_pair(raw: Callable[[], Any], ours: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """The best time of each, alternating so that drift hits both alike."""
    raw_t, our_t = [], []
    for _ in range(repeat):
        for fn, times in ((raw, raw_t), (ours, our_t)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return min(raw_t), min(our_t)


def bench_polars_read(root: Path, repeat: int) -> dict[str, Any]:
    board = pins.board_folder(root / "read")
    board.pin_write(make_frame(1_000_000), "million")
    path = board.pin_download("million")[0]
    raw, ours = best_pair(
        lambda: pl.read_parquet(path), lambda: board.pin_read("million", frame="polars"), repeat
    )
    return {"rows": 1_000_000, "raw_s": raw, "pins_s": ours, "ratio": ours / raw}


def bench_lazy_scan(root: Path, rows: int, repeat: int) -> dict[str, Any]:
    board = pins.board_folder(root / "scan")
    rng = np.random.default_rng(3)

    def chunks() -> Any:
        step = 1_000_000
        for start in range(0, rows, step):
            n = min(step, rows - start)
            yield pa.record_batch(
                {"i": np.arange(start, start + n), "x": rng.random(n), "y": rng.random(n)}
            )

    board.pin_write(chunks(), "ten_million")
    path = board.pin_download("ten_million")[0]
    cut = rows // 100

    def query(lazy: pl.LazyFrame) -> pl.DataFrame:
        return lazy.filter(pl.col("i") < cut).select("x").collect()

    raw, ours = best_pair(
        lambda: query(pl.scan_parquet(path)),
        lambda: query(board.pin_scan("ten_million", frame="polars")),
        repeat,
    )
    full = min(_timed(lambda: board.pin_read("ten_million", frame="polars")) for _ in range(repeat))
    return {
        "rows": rows,
        "file_mb": round(Path(path).stat().st_size / 1e6, 1),
        "raw_scan_s": raw,
        "pins_scan_s": ours,
        "ratio": ours / raw,
        "full_read_s": full,
        "scan_vs_full": ours / full,
    }


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


_STREAM_CHILD = (
    PEAK_HELPERS
    + """
import numpy as np, pyarrow as pa, pyarrow.parquet, pins
root, gigabytes = sys.argv[1], float(sys.argv[2])
rows = 1 << 17  # 1 MiB per float64 column, 8 columns: 8 MiB a batch
def batches():
    rng = np.random.default_rng(0)
    for _ in range(int(gigabytes * 1024 / 8)):
        yield pa.record_batch({f"c{k}": rng.random(rows) for k in range(8)})
start()
t = time.perf_counter()
meta = pins.board_folder(root).pin_write(batches(), "big")
report(file_size=meta.file_size, seconds=time.perf_counter() - t)
"""
)


def bench_stream_write(root: Path, gigabytes: float) -> dict[str, Any]:
    out = run_child(_STREAM_CHILD, str(root / "stream"), str(gigabytes))
    return {
        "file_gb": round(out["file_size"] / 1e9, 2),
        "seconds": round(out["seconds"], 1),
        "peak_extra_mb": round(out["peak_extra_mb"], 1),
    }


_UPLOAD_CHILD = (
    PEAK_HELPERS
    + """
import pins
url, key, source = sys.argv[1], sys.argv[2], sys.argv[3]
board = pins.board_connect(url, api_key=key, cache=None)
start()
t = time.perf_counter()
meta = board.pin_upload(source, "big_upload")
report(seconds=time.perf_counter() - t)
"""
)


def bench_connect_upload(root: Path, gigabytes: float) -> dict[str, Any]:
    source = root / "upload.parquet"
    with open(source, "wb") as out:  # incompressible, like most data files
        rng = np.random.default_rng(5)
        for _ in range(int(gigabytes * 1024 / 64)):
            out.write(rng.bytes(64 << 20))
    with start_connect_server(root / "connect") as server:
        server.start_peak()
        out = run_child(_UPLOAD_CHILD, server.url, server.key, str(source))
        server_extra = server.peak_extra_mb()
    return {
        "file_gb": round(source.stat().st_size / 1e9, 2),
        "seconds": round(out["seconds"], 1),
        "client_peak_extra_mb": round(out["peak_extra_mb"], 1),
        "server_peak_extra_mb": round(server_extra, 1),
    }


def bench_gzip_levels(root: Path) -> list[dict[str, Any]]:
    """Seconds and size of a bundle per gzip level, for a parquet and a csv file."""
    frame = make_frame(1_000_000)
    files = {"parquet": root / "g.parquet", "csv": root / "g.csv"}
    frame.to_parquet(files["parquet"])
    frame.to_csv(files["csv"], index=False)
    out = []
    for kind, path in files.items():
        for level in (0, 1, 6, 9):
            archive = root / "g.tar.gz"
            seconds = _tar(archive, path, level)
            out.append(
                {
                    "file": kind,
                    "mb": round(path.stat().st_size / 1e6, 1),
                    "level": level,
                    "mb_per_s": round(path.stat().st_size / seconds / 1e6),
                    "size_ratio": round(archive.stat().st_size / path.stat().st_size, 3),
                }
            )
    return out


def _tar(archive: Path, path: Path, level: int) -> float:
    """Seconds to write a gzip tar of ``path`` at ``level``."""
    import tarfile

    start = time.perf_counter()
    with tarfile.open(archive, "w:gz", compresslevel=level) as tar:
        tar.add(path, arcname=path.name)
    return time.perf_counter() - start


def bench_json(root: Path, repeat: int) -> dict[str, Any]:
    frame = make_frame(100_000)
    board = pins.board_folder(root / "json")
    raw_path = root / "raw.json"

    def raw() -> None:
        frame.to_json(raw_path, orient="records", date_format="iso")
        hash_file(raw_path)

    raw_s, ours = best_pair(
        raw, lambda: board.pin_write(frame, "j", type="json", force_identical_write=True), repeat
    )
    back = pd.DataFrame(board.pin_read("j"))
    exact = back["value"].equals(frame["value"]) and back["ratio"].equals(frame["ratio"])
    rounded = pd.DataFrame(json.loads(raw_path.read_bytes()))["ratio"].equals(frame["ratio"])
    return {
        "rows": 100_000,
        "raw_s": raw_s,
        "pins_s": ours,
        "ratio": ours / raw_s,
        "pins_exact": bool(exact),
        "pandas_exact": bool(rounded),
    }


def main() -> None:
    os.environ.setdefault("PINS_QUIET", "1")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--scan-rows", type=int, default=10_000_000)
    parser.add_argument("--stream-gb", type=float, default=4.0)
    parser.add_argument("--upload-gb", type=float, default=2.0)
    parser.add_argument("--skip-big", action="store_true", help="skip the stream and upload")
    args = parser.parse_args()
    results: dict[str, Any] = {"pins": pins.__version__, "polars": pl.__version__}
    with tempfile.TemporaryDirectory(prefix="pins-bench-tables-") as tmp:
        root = Path(tmp)
        results["polars_read"] = bench_polars_read(root, args.repeat)
        results["lazy_scan"] = bench_lazy_scan(root, args.scan_rows, args.repeat)
        results["json_write"] = bench_json(root, args.repeat)
        results["gzip_levels"] = bench_gzip_levels(root)
        if not args.skip_big:
            results["stream_write"] = bench_stream_write(root, args.stream_gb)
            results["connect_upload"] = bench_connect_upload(root, args.upload_gb)
    print(json.dumps(results, indent=2))
    out = HERE / "results" / "tables.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
