"""The part of the board contract about tables: reading into each frame library,
lazy scans, streamed writes and the files' locations. :class:`~pins.testing.contract.
BoardContract` includes it; the ``board`` and ``writer`` fixtures are its.

Requires pytest, pandas, pyarrow, polars and fsspec.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ..boards.base import Board
from ..errors import PinsArgumentError, PinsHashError, PinsUnsupportedTypeError
from ..hashing import hash_file

__all__ = ["TableContract"]

#: How each library's frame gives its columns as lists (``to_dict``'s keywords).
_AS_LISTS: dict[str, dict[str, Any]] = {
    "pandas": {"orient": "list"},
    "polars": {"as_series": False},
}
#: Storage option names that would be secrets: pin_files never gives them.
SECRET_OPTIONS = {"key", "secret", "token", "password", "account_key", "sas_token"}


def _table(rows: int = 6) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {"i": range(rows), "x": [i / 4 for i in range(rows)], "s": [f"r{i}" for i in range(rows)]}
    )


def _chunks(count: int, rows: int) -> Iterator[Any]:
    import pandas as pd

    for start in range(0, count * rows, rows):
        yield pd.DataFrame({"i": range(start, start + rows), "s": [f"r{start}"] * rows})


class TableContract:
    """Tables on every board: the result's library, scans, streams and file locations."""

    def qualify(self, name: str) -> str:
        """The name the board reports for a pin written as ``name`` (Connect adds the owner)."""
        return name

    @pytest.fixture
    def writer(self, board: Board) -> Board:
        """The board that writes what ``board`` reads: ``board`` itself, unless it is
        read-only."""
        return board

    # ---------------------------------------------------------------- frame=
    @pytest.mark.parametrize("pin_type", ["parquet", "arrow", "csv"])
    @pytest.mark.parametrize("frame", ["pandas", "polars", "pyarrow"])
    def test_read_into_each_library(
        self, board: Board, writer: Board, pin_type: str, frame: str
    ) -> None:
        import pandas as pd
        import polars as pl
        import pyarrow as pa

        writer.pin_write(_table(), f"t_{pin_type}", type=pin_type)
        back = board.pin_read(f"t_{pin_type}", frame=frame)
        kind = {"pandas": pd.DataFrame, "polars": pl.DataFrame, "pyarrow": pa.Table}[frame]
        assert isinstance(back, kind)
        table = back if frame == "pyarrow" else pa.table(dict(back.to_dict(**_AS_LISTS[frame])))
        assert table.column("i").to_pylist() == list(range(6))
        assert table.column("s").to_pylist() == [f"r{i}" for i in range(6)]

    def test_board_default_frame_and_per_call(self, board: Board, writer: Board) -> None:
        import pandas as pd
        import polars as pl

        writer.pin_write(_table(), "t_default")
        writer.pin_write({"a": 1}, "cfg")
        assert board.frame == "pandas"
        board.frame = "polars"
        assert isinstance(board.pin_read("t_default"), pl.DataFrame)
        assert isinstance(board.pin_read("t_default", frame="pandas"), pd.DataFrame)
        assert board.pin_read("cfg") == {"a": 1}  # not a table: frame does not apply
        with pytest.raises(PinsArgumentError, match="'pandas', 'polars', 'pyarrow'"):
            board.pin_read("t_default", frame="spark")
        with pytest.raises(PinsArgumentError):
            board.frame = "dask"

    # ---------------------------------------------------------------- scans
    @pytest.mark.parametrize("pin_type", ["parquet", "arrow"])
    def test_scan_reads_what_a_query_asks(self, board: Board, writer: Board, pin_type: str) -> None:
        import polars as pl
        import pyarrow.dataset as ds

        writer.pin_write(_table(100), f"scan_{pin_type}", type=pin_type)
        lazy = board.pin_scan(f"scan_{pin_type}", frame="polars")
        assert isinstance(lazy, pl.LazyFrame)
        got = lazy.filter(pl.col("i") >= 97).select("s").collect()
        assert got["s"].to_list() == ["r97", "r98", "r99"]
        for frame in ("pyarrow", "pandas"):  # pandas has no lazy frame: a Dataset
            dataset = board.pin_scan(f"scan_{pin_type}", frame=frame)
            assert isinstance(dataset, ds.Dataset)
            table = dataset.to_table(columns=["x"], filter=ds.field("i") < 2)
            assert table.column("x").to_pylist() == [0.0, 0.25]

    def test_scan_with_hash_is_checked(self, board: Board, writer: Board) -> None:
        import polars as pl

        meta = writer.pin_write(_table(), "scan_hash")
        lazy = board.pin_scan("scan_hash", hash=meta.pin_hash[:5], frame="polars")
        assert lazy.select(pl.len()).collect().item() == 6
        with pytest.raises(PinsHashError):
            board.pin_scan("scan_hash", hash="0000000000000000")

    def test_scan_refuses_what_is_not_a_table(self, board: Board, writer: Board) -> None:
        writer.pin_write({"a": 1}, "scan_json")
        with pytest.raises(PinsUnsupportedTypeError, match="pin_read"):
            board.pin_scan("scan_json")

    # ---------------------------------------------------------------- streams
    @pytest.mark.parametrize("pin_type", ["parquet", "arrow"])
    def test_stream_of_chunks_round_trip(self, board: Board, writer: Board, pin_type: str) -> None:
        meta = writer.pin_write(_chunks(5, 1000), f"stream_{pin_type}", type=pin_type)
        assert meta.title == f"stream_{pin_type}: a pinned 5000 x 2 DataFrame"
        back = board.pin_read(f"stream_{pin_type}", frame="pyarrow")
        assert back.column("i").to_pylist() == list(range(5000))
        (path,) = board.pin_download(f"stream_{pin_type}")
        assert hash_file(path) == meta.pin_hash

    def test_stream_of_record_batches_and_lazy_frame(self, board: Board, writer: Board) -> None:
        import polars as pl
        import pyarrow as pa

        table = pa.Table.from_pandas(_table(50), preserve_index=False)
        reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=7))
        writer.pin_write(reader, "from_reader", type="arrow")
        assert board.pin_read("from_reader", frame="pyarrow").equals(table)
        lazy = pl.LazyFrame({"i": range(50)}).with_columns(double=pl.col("i") * 2)
        meta = writer.pin_write(lazy, "from_lazy")
        assert meta.type == "parquet" and meta.title == "from_lazy: a pinned 50 x 2 DataFrame"
        assert board.pin_read("from_lazy", frame="polars")["double"].sum() == 2450

    # ---------------------------------------------------------------- pin_files
    def test_pin_files_open_where_they_are(self, board: Board, writer: Board) -> None:
        import fsspec

        meta = writer.pin_write(_table(), "located")
        files = board.pin_files("located")
        assert files.name == self.qualify("located") and files.type == "parquet"
        assert len(files.uris) == 1 and files.uris[0].endswith("/located.parquet")
        assert not SECRET_OPTIONS & set(files.storage_options)
        with fsspec.open(files.uris[0], "rb", **files.storage_options) as handle:
            data = handle.read()
        import xxhash

        assert xxhash.xxh64(data).hexdigest() == meta.pin_hash
