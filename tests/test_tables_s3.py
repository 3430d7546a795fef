"""Tables on S3 (moto on loopback, counting what it sends): a scan reads the objects in
place and only the parts a query needs; a checked scan reads the cached copy; polars and
Dask read a pin's files from where pin_files says they are (on a server in a process of
its own)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

import pins
from pins.boards.fsspec_board import FsspecBoard

from .moto_counting import CountingS3, counting_s3
from .moto_s3 import moto_s3
from .servers import s3_test_credentials

BUCKET = "tables-bucket"
ROWS = 400_000


@pytest.fixture(scope="module")
def s3() -> Iterator[CountingS3]:
    with counting_s3(BUCKET) as server:
        yield server


@pytest.fixture
def root() -> str:
    return f"pins-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def board(s3: CountingS3, root: str, monkeypatch: pytest.MonkeyPatch) -> FsspecBoard:
    s3_test_credentials(monkeypatch)
    return pins.board_s3(
        f"{BUCKET}/{root}", endpoint_url=s3.endpoint, key="test", secret="test", cache=None
    )


def _wide() -> pa.Table:
    """Four columns of random floats (incompressible) and an ordered key: 16 MB, which a
    stream writes in row groups of 131,072 rows (four)."""
    rng = np.random.default_rng(1)
    return pa.table({"i": np.arange(ROWS), **{f"v{k}": rng.random(ROWS) for k in range(4)}})


def _data_key(board: FsspecBoard, name: str) -> tuple[str, int]:
    meta = board.pin_meta(name)
    assert meta.version is not None
    key = f"/{BUCKET}/{board.root.split('/', 1)[1]}/{name}/{meta.version.version}/{meta.file}"
    return key, int(str(meta.file_size))


def test_a_scan_reads_less_than_the_file(board: FsspecBoard, s3: CountingS3) -> None:
    table = _wide()
    board.pin_write(iter(table.to_batches(max_chunksize=100_000)), "wide")
    key, size = _data_key(board, "wide")

    s3.reset()
    lazy = board.pin_scan("wide", frame="polars")
    got = lazy.filter(pl.col("i") < ROWS // 100).select("v0").collect()
    assert got["v0"].to_list() == table.column("v0").to_pylist()[: ROWS // 100]
    polars_bytes = s3.bytes_sent[key]
    assert 0 < polars_bytes < size / 4  # 1 column of 5, 1 row group of 4

    s3.reset()
    dataset = board.pin_scan("wide", frame="pyarrow")
    subset = dataset.to_table(columns=["v1"], filter=ds.field("i") >= ROWS - 10)
    assert subset.column("v1").to_pylist() == table.column("v1").to_pylist()[-10:]
    assert 0 < s3.bytes_sent[key] < size / 4

    s3.reset()
    assert board.pin_read("wide", frame="pyarrow").equals(table)  # a read takes it all
    assert s3.bytes_sent[key] == size


def test_a_checked_scan_reads_the_cached_copy(board: FsspecBoard, s3: CountingS3) -> None:
    frame = pd.DataFrame({"i": range(1000), "s": [f"row {i}" for i in range(1000)]})
    meta = board.pin_write(frame, "checked")
    key, size = _data_key(board, "checked")

    s3.reset()
    lazy = board.pin_scan("checked", hash=meta.pin_hash, frame="polars")
    assert lazy.filter(pl.col("i") == 7).collect()["s"].to_list() == ["row 7"]
    assert s3.bytes_sent[key] == size  # fetched whole, checked, cached
    s3.reset()
    board.pin_scan("checked", hash=meta.pin_hash[:5], frame="polars").collect()
    assert s3.bytes_sent[key] == 0  # the checked copy in the cache


@pytest.fixture(scope="module")
def own_process_s3() -> Iterator[str]:
    """An S3 server in a process of its own (polars 0.20 holds the GIL while it opens a
    file with its own S3 client: a server in this process would never answer it)."""
    with moto_s3(BUCKET, own_process=True) as endpoint:
        yield endpoint


def test_polars_and_dask_read_the_files_where_they_are(
    own_process_s3: str, root: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    s3_test_credentials(monkeypatch)
    endpoint = own_process_s3
    board = pins.board_s3(
        f"{BUCKET}/{root}", endpoint_url=endpoint, key="test", secret="test", cache=None
    )
    frame = pd.DataFrame({"i": range(50), "x": np.linspace(0, 1, 50), "s": ["é"] * 50})
    meta = board.pin_write(frame, "shared")
    assert meta.version is not None
    files = board.pin_files("shared")
    assert files.uris == (f"s3://{BUCKET}/{root}/shared/{meta.version.version}/shared.parquet",)
    options = dict(files.storage_options)  # the endpoint, given or in client_kwargs
    assert endpoint in (
        options.get("endpoint_url"),
        options.get("client_kwargs", {}).get("endpoint_url"),
    )
    assert not {"key", "secret", "token"} & set(options) and "test" not in str(options)
    assert files.polars_storage_options == {"endpoint_url": endpoint}

    lazy = pl.scan_parquet(list(files.uris), storage_options=files.polars_storage_options)
    assert lazy.filter(pl.col("i") >= 48).select("i").collect()["i"].to_list() == [48, 49]

    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.read_parquet(list(files.uris), storage_options=dict(files.storage_options))
    pd.testing.assert_frame_equal(ddf.compute(), frame, check_dtype=False)


def test_pin_files_of_an_offline_board_are_the_cached_copies(
    board: FsspecBoard, s3: CountingS3, root: str
) -> None:
    board.pin_write(pd.DataFrame({"a": [1]}), "cached")
    board.pin_read("cached")
    offline = pins.board_s3(
        f"{BUCKET}/{root}", endpoint_url=s3.endpoint, cache=board.cache, offline=True
    )
    files = offline.pin_files("cached")
    assert files.uris[0].startswith("file://") and dict(files.storage_options) == {}
    assert pl.read_parquet(files.uris[0]).to_dict(as_series=False) == {"a": [1]}


@pytest.mark.parametrize("frame", ["polars", "pyarrow"])
def test_an_in_place_scan_of_a_damaged_or_missing_object_is_a_pins_error(
    board: FsspecBoard, frame: str
) -> None:
    """The border of a scan in place: an object that is not of its type is a
    PinsTypeError, one that is gone a PinsMetadataError (and the store's own failures its
    PinsRemoteError), when the scan is made."""
    from pins.errors import PinsMetadataError, PinsTypeError

    board.pin_write(pa.table({"x": [1, 2]}), "damaged")
    meta = board.pin_meta("damaged")
    assert meta.version is not None
    path = f"{board.root}/damaged/{meta.version.version}/{meta.file}"
    board.fs.pipe_file(path, b"not parquet " * 50)
    with pytest.raises(PinsTypeError, match="cannot be read as type 'parquet'"):
        board.pin_scan("damaged", frame=frame)
    board.fs.rm(path)
    with pytest.raises(PinsMetadataError, match="missing"):
        board.pin_scan("damaged", frame=frame)
