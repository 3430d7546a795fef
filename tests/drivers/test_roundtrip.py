"""Every writable type, written with ``save`` and read back with ``load``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from pins.drivers import driver_for_write, get_driver
from pins.drivers.base import Driver
from pins.errors import PinsMetadataError

from .conftest import make_meta


def rich_frame() -> pd.DataFrame:
    """Floats with NaN, ints, bools, non-ASCII strings with a missing value, a
    categorical, naive and tz-aware datetimes (with NaT)."""
    return pd.DataFrame(
        {
            "x": [1.5, np.nan, -2.25],
            "n": [1, 2, 3],
            "ok": [True, False, True],
            "s": ["été", "日本", None],
            "cat": pd.Categorical(["a", "b", "a"]),
            "when": pd.to_datetime(["2024-01-01 10:00:00", "2024-02-29 23:59:59", None]),
            "when_tz": pd.to_datetime(
                ["2024-01-01 10:00:00", None, "2024-07-01 00:00:00"]
            ).tz_localize("Europe/Paris"),
        }
    )


def roundtrip(driver: Driver, obj: object, tmp_path: Path) -> object:
    path = tmp_path / f"pin.{driver.extension}"
    driver.save(obj, path)
    return driver.load([path], make_meta(driver.type, path.name))


@pytest.mark.parametrize("type_name", ["parquet", "arrow", "joblib"])
def test_typed_formats_keep_every_dtype(type_name: str, tmp_path: Path) -> None:
    frame = rich_frame()
    back = roundtrip(driver_for_write(type_name, frame), frame, tmp_path)
    pd.testing.assert_frame_equal(back, frame)


def test_parquet_keeps_a_non_default_index(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1, 2]}, index=pd.Index(["r1", "r2"], name="row"))
    back = roundtrip(get_driver("parquet"), frame, tmp_path)
    pd.testing.assert_frame_equal(back, frame)


def test_csv_round_trip_and_what_it_loses(tmp_path: Path) -> None:
    """CSV keeps no types. Numbers (with NaN), ints, bools and non-ASCII strings come
    back as they were; categoricals come back as plain strings; naive and tz-aware
    datetimes come back as strings (read_csv does not parse dates), tz-aware ones
    in their local time with the offset; NaT and a missing string come back as NaN."""
    frame = rich_frame()
    path = tmp_path / "pin.csv"
    driver = get_driver("csv")
    driver.save(frame, path)
    assert not path.read_text(encoding="utf-8").startswith(",")  # no index column
    back = driver.load([path], make_meta("csv", "pin.csv"))
    assert isinstance(back, pd.DataFrame)
    kept = ["x", "n", "ok", "s"]
    pd.testing.assert_frame_equal(back[kept], frame[kept])
    assert back["cat"].tolist() == ["a", "b", "a"]
    assert not isinstance(back["cat"].dtype, pd.CategoricalDtype)
    assert back["when"].tolist()[:2] == ["2024-01-01 10:00:00", "2024-02-29 23:59:59"]
    assert pd.isna(back["when"].iloc[2])
    assert back["when_tz"].iloc[0] == "2024-01-01 10:00:00+01:00"
    assert back["when_tz"].iloc[2] == "2024-07-01 00:00:00+02:00"
    assert pd.isna(back["when_tz"].iloc[1])
    assert pd.api.types.is_string_dtype(back["when"].dtype)


def test_csv_drops_the_index(tmp_path: Path) -> None:
    """Like pins-python and R, csv writes no row names: a named index is lost."""
    frame = pd.DataFrame({"a": [1, 2]}, index=pd.Index(["r1", "r2"], name="row"))
    back = roundtrip(get_driver("csv"), frame, tmp_path)
    pd.testing.assert_frame_equal(back, frame.reset_index(drop=True))


def test_json_frame_is_written_as_records(tmp_path: Path) -> None:
    """A DataFrame pinned as json reads back as a list of records (not a DataFrame):
    NaN/NaT/None become null, datetimes ISO 8601 strings (tz-aware with their
    offset), categoricals their values; non-ASCII text is written as UTF-8, unescaped."""
    frame = rich_frame()
    path = tmp_path / "pin.json"
    driver = get_driver("json")
    driver.save(frame, path)
    raw = path.read_bytes()
    assert "été".encode() in raw
    assert b"NaN" not in raw
    back = driver.load([path], make_meta("json", "pin.json"))
    assert back == [
        {
            "x": 1.5,
            "n": 1,
            "ok": True,
            "s": "été",
            "cat": "a",
            "when": "2024-01-01T10:00:00",
            "when_tz": "2024-01-01T10:00:00+01:00",
        },
        {
            "x": None,
            "n": 2,
            "ok": False,
            "s": "日本",
            "cat": "b",
            "when": "2024-02-29T23:59:59",
            "when_tz": None,
        },
        {
            "x": -2.25,
            "n": 3,
            "ok": True,
            "s": None,
            "cat": "a",
            "when": None,
            "when_tz": "2024-07-01T00:00:00+02:00",
        },
    ]


def test_json_frame_keeps_full_float_precision(tmp_path: Path) -> None:
    frame = pd.DataFrame({"x": [0.1 + 0.2, 1 / 3], "big": pd.array([2**53 + 1, None], "Int64")})
    back = roundtrip(get_driver("json"), frame, tmp_path)
    assert back == [{"x": 0.1 + 0.2, "big": 2**53 + 1}, {"x": 1 / 3, "big": None}]


def test_json_frame_without_columns(tmp_path: Path) -> None:
    back = roundtrip(get_driver("json"), pd.DataFrame(index=range(2)), tmp_path)
    assert back == [{}, {}]


@pytest.mark.parametrize(
    "obj",
    [
        {"name": "cfg", "nested": {"lr": 0.001, "note": None}, "tags": ["été", "日本"]},
        [1, "two", 3.0, True, None],
        "just a string",
        42,
        None,
    ],
)
def test_json_values_round_trip(obj: object, tmp_path: Path) -> None:
    assert roundtrip(driver_for_write("json", obj), obj, tmp_path) == obj


def test_json_tuples_come_back_as_lists(tmp_path: Path) -> None:
    assert roundtrip(get_driver("json"), {"t": (1, 2)}, tmp_path) == {"t": [1, 2]}


def test_json_file_is_utf8(tmp_path: Path) -> None:
    path = tmp_path / "pin.json"
    get_driver("json").save({"title": "Qualité de l'air"}, path)
    assert json.loads(path.read_text(encoding="utf-8")) == {"title": "Qualité de l'air"}
    assert "é" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("type_name", ["parquet", "arrow"])
def test_pyarrow_table(type_name: str, tmp_path: Path) -> None:
    table = pa.table({"a": [1, 2, None], "s": ["x", "é", None]})
    back = roundtrip(driver_for_write(type_name, table), table, tmp_path)
    pd.testing.assert_frame_equal(back, table.to_pandas())


@pytest.mark.parametrize("type_name", ["parquet", "arrow"])
def test_polars_frame(type_name: str, tmp_path: Path) -> None:
    frame = pl.DataFrame({"a": [1, 2, None], "s": ["x", "é", None], "f": [0.5, None, 2.0]})
    back = roundtrip(driver_for_write(type_name, frame), frame, tmp_path)
    assert isinstance(back, pd.DataFrame)
    pd.testing.assert_frame_equal(back, frame.to_pandas())


def test_polars_and_pyarrow_into_csv(tmp_path: Path) -> None:
    polars_back = roundtrip(
        get_driver("csv"), pl.DataFrame({"a": [1, 2], "s": ["x", "é"]}), tmp_path
    )
    arrow_back = roundtrip(get_driver("csv"), pa.table({"a": [1, 2], "s": ["x", "é"]}), tmp_path)
    expected = pd.DataFrame({"a": [1, 2], "s": ["x", "é"]})
    pd.testing.assert_frame_equal(polars_back, expected)
    pd.testing.assert_frame_equal(arrow_back, expected)


def test_polars_and_pyarrow_into_json(tmp_path: Path) -> None:
    expected = [{"a": 1, "s": "é"}, {"a": None, "s": None}]
    for obj in (
        pl.DataFrame({"a": [1, None], "s": ["é", None]}),
        pa.table({"a": [1, None], "s": ["é", None]}),
    ):
        assert roundtrip(get_driver("json"), obj, tmp_path) == expected


def test_arrow_file_is_an_arrow_ipc_file(tmp_path: Path) -> None:
    path = tmp_path / "pin.arrow"
    get_driver("arrow").save(pd.DataFrame({"a": [1]}), path)
    assert path.read_bytes()[:6] == b"ARROW1"


def test_feather_driver_reads_what_arrow_writes(tmp_path: Path) -> None:
    frame = rich_frame()
    path = tmp_path / "pin.arrow"
    with pytest.warns(DeprecationWarning):
        driver_for_write("feather", frame).save(frame, path)
    pd.testing.assert_frame_equal(get_driver("feather").load([path], make_meta("feather")), frame)


def test_joblib_any_object(tmp_path: Path) -> None:
    obj = {"set": {1, 2}, "array": np.arange(3), "frame": rich_frame()}
    back = roundtrip(driver_for_write(None, obj["set"]), obj, tmp_path)
    assert isinstance(back, dict)
    assert back["set"] == {1, 2}
    np.testing.assert_array_equal(back["array"], np.arange(3))
    pd.testing.assert_frame_equal(back["frame"], obj["frame"])
    assert get_driver("joblib").unsafe_read


def test_file_driver_copies_bytes(tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(b"\x00\xffhello\r\n")
    target = tmp_path / "staged" / "source.bin"
    target.parent.mkdir()
    driver_for_write("file", source).save(source, target)
    assert target.read_bytes() == source.read_bytes()


def test_table_reads_data_csv(tmp_path: Path) -> None:
    """A v0 ``table`` pin lists data.csv and data.rds; the driver reads data.csv."""
    (tmp_path / "data.csv").write_text("a,b\n1,x\n2,y\n", encoding="utf-8")
    (tmp_path / "data.rds").write_bytes(b"not read")
    paths = [tmp_path / "data.rds", tmp_path / "data.csv"]
    meta = make_meta("table", ["data.rds", "data.csv"]).replace(api_version=None)
    back = get_driver("table").load(paths, meta)
    pd.testing.assert_frame_equal(back, pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))


def test_table_without_data_csv(tmp_path: Path) -> None:
    with pytest.raises(PinsMetadataError, match=r"data\.csv"):
        get_driver("table").load([tmp_path / "data.rds"], make_meta("table", "data.rds"))
