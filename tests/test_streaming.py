"""Writes larger than memory: streams of chunks become one parquet or arrow file in
bounded memory, hashed as they are written; bad streams write nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import pins
from pins.errors import PinsTypeError
from pins.hashing import hash_file


def _frames(n: int, rows: int = 10) -> Iterator[pd.DataFrame]:
    for k in range(n):
        yield pd.DataFrame({"k": [k] * rows, "s": [f"chunk {k}"] * rows})


def _leftovers(board: pins.FolderBoard) -> list[str]:
    return sorted(p.name for p in board.path.rglob("*"))


def test_mixed_chunk_kinds_make_one_table(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    schema = pa.schema([("k", pa.int64()), ("s", pa.string())])

    def chunks() -> Iterator[object]:
        yield pd.DataFrame({"k": [0], "s": ["a"]})
        yield pl.DataFrame({"k": [1], "s": ["b"]})
        yield pa.table({"k": [2], "s": ["c"]}, schema=schema)
        yield pa.RecordBatch.from_pydict({"k": [3], "s": ["d"]}, schema=schema)
        yield pd.DataFrame({"k": pd.Series([], dtype="int64"), "s": pd.Series([], dtype=str)})

    meta = board.pin_write(chunks(), "mixed", type="arrow")
    assert meta.type == "arrow" and meta.title == "mixed: a pinned 4 x 2 DataFrame"
    back = board.pin_read("mixed")
    assert back["k"].tolist() == [0, 1, 2, 3] and back["s"].tolist() == list("abcd")
    assert hash_file(board.pin_download("mixed")[0]) == meta.pin_hash


def test_a_chunk_is_cast_to_the_first_ones_types(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    chunks = iter(
        [pa.table({"x": pa.array([1], pa.int64())}), pa.table({"x": pa.array([2], pa.int32())})]
    )
    board.pin_write(chunks, "cast")
    assert board.pin_read("cast", frame="pyarrow").schema.field("x").type == pa.int64()


def test_identical_stream_is_not_written_twice(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    first = board.pin_write(_frames(3), "same")
    again = board.pin_write(_frames(3), "same")
    assert again.version == first.version and len(board.pin_versions("same")) == 1


@pytest.mark.parametrize(
    ("chunks", "message"),
    [
        (iter([]), "empty"),
        (iter([1, 2]), "not of int"),
        (iter([pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [1]})]), "same columns"),
        (iter([pd.DataFrame({"a": [1]}), pd.DataFrame({"a": ["x"]})]), "Chunk 1"),
        (iter([pd.DataFrame({"a": [1]}), {"a": 1}]), "Chunk 1 of the stream is a builtins.dict"),
        (iter([pd.DataFrame([[1, 2]], columns=["a", "a"])]), "duplicate column names"),
    ],
    ids=["empty", "not-frames", "columns", "types", "dict-chunk", "duplicates"],
)
def test_a_bad_stream_writes_nothing(
    chunks: Iterator[object], message: str, tmp_path: Path
) -> None:
    board = pins.board_folder(tmp_path)
    with pytest.raises(PinsTypeError, match=message):
        board.pin_write(chunks, "bad")
    assert _leftovers(board) == [] and board.pin_list() == []


def test_a_stream_is_refused_by_types_that_do_not_stream(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    for pin_type in ("csv", "json", "joblib"):
        with pytest.raises(PinsTypeError, match="Use type='parquet'"):
            board.pin_write(_frames(2), "bad", type=pin_type)
    assert board.pin_list() == []


def test_a_stream_is_written_once(tmp_path: Path) -> None:
    from pins.drivers import as_stream, get_driver

    stream = as_stream(_frames(2))
    get_driver("parquet").save(stream, tmp_path / "a.parquet")
    with pytest.raises(PinsTypeError, match="once"):
        get_driver("parquet").save(stream, tmp_path / "b.parquet")


_MEMORY = """
import sys, numpy as np, pyarrow as pa, pins
def status_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
root, megabytes, pin_type = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = 1 << 17  # a 1 MiB float64 column
def chunks():
    rng = np.random.default_rng(0)
    for _ in range(megabytes // 4):
        yield pa.RecordBatch.from_pydict({f"c{k}": rng.random(rows) for k in range(4)})
board = pins.board_folder(root)
import pyarrow.parquet, pyarrow.feather  # loaded before the baseline
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # the peak (VmHWM) starts again from the current resident size
base = status_kb("VmRSS")
meta = board.pin_write(chunks(), "big", type=pin_type)
print(meta.file_size, (status_kb("VmHWM") - base) * 1024)
"""


def _peak(tmp_path: Path, megabytes: int, pin_type: str) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_MEMORY), str(tmp_path / f"b{megabytes}"),
         str(megabytes), pin_type],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    size, peak = out.stdout.split()
    return int(size), int(peak)


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(("pin_type", "big"), [("arrow", 384), ("parquet", 128)])
def test_a_stream_is_written_in_bounded_memory(pin_type: str, big: int, tmp_path: Path) -> None:
    """Eight times the data costs no more memory: the peak stays that of a chunk and the
    writer's buffers (pyarrow's Parquet writer holds about 130 MB of its own here), below
    the size of the file."""
    small_size, small_peak = _peak(tmp_path, big // 8, pin_type)
    big_size, big_peak = _peak(tmp_path, big, pin_type)
    assert big_size > 7 * small_size
    assert big_peak - small_peak < 32 * 2**20
    assert big_peak < big_size
