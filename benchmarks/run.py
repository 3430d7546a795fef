"""Benchmark pins against plain pandas/pyarrow on the same files, in the same run.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/run.py``). Prints a table and
writes it as JSON to ``benchmarks/results/latest.json``.

What it measures (best of ``--repeat`` runs each, alternating raw and pins):

* ``pin_write`` of a 1,000,000-row, 8-column frame as csv, parquet and arrow (json on
  100,000 rows), against the raw writer plus an xxh64 of the file (what any pins must do);
* ``pin_read`` of the same pins against the raw reader on the same file;
* ``pin_versions`` on a pin with 1,000 versions; ``pin_list`` and ``pin_search`` on a
  board of 1,000 pins;
* the peak memory a write adds, in a fresh process each, against the raw writer's.

Targets (issue 2): read <= 1.10x raw, write <= 1.10x raw + hash, pin_search on 1,000
pins < 100 ms, pin_versions on 1,000 versions < 50 ms, write memory within the
serializer's own plus a constant.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import pins
from pins.hashing import hash_file

HERE = Path(__file__).resolve().parent


def make_frame(rows: int, seed: int = 0) -> pd.DataFrame:
    """8 mixed columns: floats (one with NaN), ints, high- and low-cardinality strings,
    datetimes and bools."""
    rng = np.random.default_rng(seed)
    value = rng.normal(size=rows)
    value[rng.random(rows) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "value": value,
            "ratio": rng.random(rows),
            "count": rng.integers(0, 1_000_000, rows),
            "small": rng.integers(0, 100, rows).astype("int32"),
            "id": [f"id-{i:09d}" for i in rng.permutation(rows)],
            "region": rng.choice(["north", "south", "east", "west", "océan"], rows),
            "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**8, rows), "s"),
            "flag": rng.random(rows) < 0.5,
        }
    )


RAW_WRITE: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    "csv": lambda df, p: df.to_csv(p, index=False),
    "parquet": lambda df, p: df.to_parquet(p),
    "arrow": lambda df, p: df.to_feather(p),
    "json": lambda df, p: df.to_json(p, orient="records", date_format="iso"),
}
RAW_READ: dict[str, Callable[[Path], Any]] = {
    "csv": lambda p: pd.read_csv(p),
    "parquet": lambda p: pd.read_parquet(p),
    "arrow": lambda p: pd.read_feather(p),
    "json": lambda p: json.loads(p.read_bytes()),
}


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_io(root: Path, rows: int, json_rows: int, repeat: int) -> list[dict[str, Any]]:
    frame = make_frame(rows)
    small = frame.head(json_rows)
    board = pins.board_folder(root / "io", versioned=True)
    out = []
    for kind in ("csv", "parquet", "arrow", "json"):
        df = small if kind == "json" else frame
        raw_path = root / f"raw.{kind}"

        def raw_write(df: pd.DataFrame = df, p: Path = raw_path, k: str = kind) -> None:
            RAW_WRITE[k](df, p)
            hash_file(p)

        def pin_write(df: pd.DataFrame = df, k: str = kind) -> None:
            board.pin_write(df, f"bench_{k}", type=k, force_identical_write=True)

        raw_w, pin_w = [], []
        for _ in range(repeat):  # alternate, so drift hits both alike
            raw_w.append(best(raw_write, 1))
            pin_w.append(best(pin_write, 1))
        path_in_board = Path(board.pin_download(f"bench_{kind}")[0])

        raw_r, pin_r = [], []
        for _ in range(repeat):
            raw_r.append(best(lambda p=path_in_board, k=kind: RAW_READ[k](p), 1))
            pin_r.append(best(lambda k=kind: board.pin_read(f"bench_{k}"), 1))
        out.append(
            {
                "type": kind,
                "rows": len(df),
                "file_mb": round(path_in_board.stat().st_size / 1e6, 1),
                "raw_write_plus_hash_s": min(raw_w),
                "pin_write_s": min(pin_w),
                "write_ratio": min(pin_w) / min(raw_w),
                "raw_read_s": min(raw_r),
                "pin_read_s": min(pin_r),
                "read_ratio": min(pin_r) / min(raw_r),
            }
        )
        print(f"  {kind}: done", file=sys.stderr)
    return out


def bench_listing(root: Path, n: int, repeat: int) -> dict[str, float]:
    board = pins.board_folder(root / "many")
    for i in range(n):
        board.pin_write({"i": i}, f"pin_{i:04d}", title=f"Pin number {i}")
    for i in range(n):
        board.pin_write({"i": i}, "versions_1000", force_identical_write=True)
    fresh = pins.board_folder(root / "many")  # nothing warm in the board object
    return {
        "pin_versions_1000_ms": 1000 * best(lambda: fresh.pin_versions("versions_1000"), repeat),
        "pin_list_1000_ms": 1000 * best(fresh.pin_list, repeat),
        "pin_search_1000_ms": 1000 * best(lambda: fresh.pin_search("number 99"), repeat),
        "pin_search_all_1000_ms": 1000 * best(lambda: fresh.pin_search(), repeat),
    }


_MEMORY_CHILD = """
import sys, pathlib
sys.path.insert(0, {here!r})
from run import make_frame, RAW_WRITE
import pins
from pins.hashing import hash_file
kind, mode, root, rows = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]), int(sys.argv[4])
df = make_frame(rows)
def status_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # reset the peak (VmHWM) to the current resident size
base = status_kb("VmRSS")
if mode == "raw":
    RAW_WRITE[kind](df, root / ("raw." + kind)); hash_file(root / ("raw." + kind))
else:
    pins.board_folder(root / "board").pin_write(df, "mem", type=kind)
print(max(0, status_kb("VmHWM") - base) / 1024)
"""


def bench_memory(root: Path, rows: int, json_rows: int) -> list[dict[str, Any]]:
    script = _MEMORY_CHILD.format(here=str(HERE))
    out = []
    for kind in ("csv", "parquet", "arrow", "json"):
        n = json_rows if kind == "json" else rows
        result = {"type": kind}
        for mode in ("raw", "pins"):
            with tempfile.TemporaryDirectory(dir=root) as tmp:
                proc = subprocess.run(
                    [sys.executable, "-c", script, kind, mode, tmp, str(n)],
                    capture_output=True,
                    text=True,
                )
                if proc.returncode != 0:
                    raise RuntimeError(f"memory probe failed:\n{proc.stderr}")
                result[f"{mode}_peak_extra_mb"] = round(float(proc.stdout.split()[-1]), 1)
        result["pins_minus_raw_mb"] = round(
            result["pins_peak_extra_mb"] - result["raw_peak_extra_mb"], 1
        )
        out.append(result)
    return out


def main() -> None:
    os.environ.setdefault("PINS_QUIET", "1")  # a thousand writes need not say so
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json-rows", type=int, default=100_000)
    parser.add_argument("--pins", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    print(f"pins {pins.__version__}, pandas {pd.__version__}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="pins-bench-") as tmp:
        root = Path(tmp)
        print("read/write ...", file=sys.stderr)
        io = bench_io(root, args.rows, args.json_rows, args.repeat)
        print("listing ...", file=sys.stderr)
        listing = bench_listing(root, args.pins, args.repeat)
        memory = [] if args.skip_memory else bench_memory(root, args.rows, args.json_rows)
    report = {"io": io, "listing": listing, "memory": memory}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "latest.json").write_text(json.dumps(report, indent=1))
    print(render(report))


def render(report: dict[str, Any]) -> str:
    lines = [
        "| type | rows | MB | raw write+hash s | pin_write s | ratio "
        "| raw read s | pin_read s | ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["io"]:
        lines.append(
            f"| {r['type']} | {r['rows']:,} | {r['file_mb']} | {r['raw_write_plus_hash_s']:.3f} | "
            f"{r['pin_write_s']:.3f} | {r['write_ratio']:.2f}x | {r['raw_read_s']:.3f} | "
            f"{r['pin_read_s']:.3f} | {r['read_ratio']:.2f}x |"
        )
    lines += ["", "| operation | ms | target |", "|---|---|---|"]
    targets = {
        "pin_versions_1000_ms": "< 50",
        "pin_list_1000_ms": "",
        "pin_search_1000_ms": "< 100",
        "pin_search_all_1000_ms": "< 100",
    }
    for key, value in report["listing"].items():
        lines.append(f"| {key.removesuffix('_ms')} | {value:.1f} | {targets.get(key, '')} |")
    if report["memory"]:
        lines += ["", "| type | raw peak extra MB | pin_write peak extra MB | difference MB |"]
        lines.append("|---|---|---|---|")
        for m in report["memory"]:
            lines.append(
                f"| {m['type']} | {m['raw_peak_extra_mb']} | {m['pins_peak_extra_mb']} | "
                f"{m['pins_minus_raw_mb']} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
