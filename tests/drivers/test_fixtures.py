"""Reading boards written by pins-python 0.9.2 and R pins 1.1.0 (tests/fixtures).

The files are read in place (only read, never written) through the driver that
their data.txt names, as a board would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pins.drivers import get_driver
from pins.errors import PinsTypeError
from pins.meta import Meta

from ..pandas_dtypes import as_this_pandas
from .conftest import FIXTURES

EXPECTED = FIXTURES / "expected"
VERSIONS = sorted(
    path.parent
    for board in ("pinspy_board", "pinsr_board")
    for path in (FIXTURES / board).glob("*/*/data.txt")
)


def read(version_dir: Path) -> object:
    meta = Meta.from_yaml((version_dir / "data.txt").read_bytes(), name=version_dir.parent.name)
    paths = [version_dir / name for name in meta.file_names]
    return get_driver(meta.type).load(paths, meta)


def only_version(pin: str, board: str = "pinspy_board") -> Path:
    (version,) = [p.parent for p in (FIXTURES / board / pin).glob("*/data.txt")]
    return version


def test_every_fixture_version_is_found() -> None:
    assert len(VERSIONS) == 14


@pytest.mark.parametrize(
    "version_dir", VERSIONS, ids=[f"{p.parents[1].name}/{p.parent.name}" for p in VERSIONS]
)
def test_every_fixture_reads_through_its_driver(version_dir: Path) -> None:
    meta = Meta.from_yaml((version_dir / "data.txt").read_bytes())
    if meta.type == "file":
        with pytest.raises(PinsTypeError, match="pin_download"):
            read(version_dir)
    else:
        assert read(version_dir) is not None


@pytest.mark.parametrize("pin", ["penguins_parquet", "penguins_arrow"])
def test_penguins_v1_typed_formats(pin: str) -> None:
    expected = pd.read_parquet(EXPECTED / "penguins_v1.parquet")
    pd.testing.assert_frame_equal(read(only_version(pin)), expected)


def test_penguins_arrow_fixture_is_an_arrow_ipc_file() -> None:
    """The fixture is an Arrow IPC file with LZ4-compressed buffers (per its README);
    reading it needs pyarrow's LZ4 codec, which the equality test above exercises."""
    (path,) = only_version("penguins_arrow").glob("*.arrow")
    assert path.read_bytes()[:6] == b"ARROW1"


@pytest.mark.parametrize(
    ("version", "expected"),
    [("20240115T100000Z-1d065", "penguins_v1"), ("20240116T113000Z-7544e", "penguins_v2")],
)
def test_penguins_csv_versions(version: str, expected: str) -> None:
    """pins-python's csv reads back with the same dtypes as the parquet original
    (strings, float64 with NaN, int64)."""
    frame = read(FIXTURES / "pinspy_board" / "penguins_csv" / version)
    pd.testing.assert_frame_equal(frame, pd.read_parquet(EXPECTED / f"{expected}.parquet"))
    shape = json.loads((EXPECTED / f"{expected}.json").read_text(encoding="utf-8"))["shape"]
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.shape) == shape


def test_penguins_dtypes_match_what_pins_python_read() -> None:
    readback = json.loads((EXPECTED / "pinspy_readback.json").read_text(encoding="utf-8"))
    for pin in ("penguins_parquet", "penguins_arrow"):
        frame = read(only_version(pin))
        assert isinstance(frame, pd.DataFrame)
        want = as_this_pandas(readback[pin]["dtypes_read"])
        assert {k: str(v) for k, v in frame.dtypes.items()} == want
        assert list(frame.shape) == readback[pin]["shape"]


@pytest.mark.parametrize("pin", ["cfg_json", "model_joblib"])
def test_pinspy_json_and_joblib(pin: str) -> None:
    expected = json.loads((EXPECTED / f"{pin}.json").read_text(encoding="utf-8"))
    assert read(only_version(pin)) == expected


def test_pinspy_raw_file_content() -> None:
    version = only_version("raw_file")
    assert (version / "hello.txt").read_bytes() == (EXPECTED / "raw_file.txt").read_bytes()


def test_r_airquality_rds() -> None:
    """rdata turns the R data frame into pandas: integer columns with NA become
    nullable Int32, R's row names 1..153 become the index."""
    frame = read(only_version("airquality_rds", "pinsr_board"))
    assert isinstance(frame, pd.DataFrame)
    assert frame.shape == (153, 6)
    assert list(frame.columns) == ["Ozone", "Solar.R", "Wind", "Temp", "Month", "Day"]
    assert frame["Ozone"].isna().sum() == 37
    assert str(frame["Ozone"].dtype) == "Int32"


def test_r_airquality_json() -> None:
    """R writes missing values as absent keys, not nulls."""
    records = read(only_version("airquality_json", "pinsr_board"))
    assert isinstance(records, list)
    assert len(records) == 153
    assert records[0] == {
        "Ozone": 41,
        "Solar.R": 190,
        "Wind": 7.4,
        "Temp": 67,
        "Month": 5,
        "Day": 1,
    }
    assert "Ozone" not in records[4]


def test_r_settings_json() -> None:
    assert read(only_version("settings", "pinsr_board")) == {
        "alpha": 0.05,
        "methods": ["lm", "glm"],
        "nested": {"a": 1, "b": "x"},
    }


def test_r_iris_csv_versions() -> None:
    frames = [read(p) for p in sorted((FIXTURES / "pinsr_board" / "iris_csv").glob("*/"))]
    assert [f.shape for f in frames if isinstance(f, pd.DataFrame)] == [(150, 5), (50, 5)]
    first = frames[0]
    assert isinstance(first, pd.DataFrame)
    assert list(first.columns) == [
        "Sepal.Length",
        "Sepal.Width",
        "Petal.Length",
        "Petal.Width",
        "Species",
    ]
    assert first["Species"].unique().tolist() == ["setosa", "versicolor", "virginica"]


def test_r_iris_unversioned() -> None:
    frame = read(only_version("iris_unversioned", "pinsr_board"))
    assert isinstance(frame, pd.DataFrame)
    assert frame.shape == (3, 5)
