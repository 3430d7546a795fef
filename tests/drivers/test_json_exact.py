"""json through orjson: every number back exactly, the documented conversions of what
JSON has no form for, and the key named when something cannot be stored."""

from __future__ import annotations

import json
import math
import random
import struct
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pins
from pins.drivers import driver_for_write, get_driver
from pins.drivers.json import dumps, loads
from pins.errors import PinsTypeError

from .conftest import make_meta

FLOATS = [
    0.1 + 0.2,
    1e-300,
    5e-324,  # the smallest subnormal
    1.7976931348623157e308,
    -0.0,
    1e16,
    2.0**53 + 2,
    123456789.12345679,
    1 / 3,
]
INTS = [2**63 - 1, -(2**63), 2**64 - 1, 2**64, -(2**63) - 1, 10**30, -(10**19), 0]


def _random_floats(n: int) -> list[float]:
    rng = random.Random(13)
    values = [struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0] for _ in range(n)]
    return [v for v in values if math.isfinite(v)]


def test_every_float_and_integer_comes_back_exactly(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    data = {"floats": FLOATS + _random_floats(20_000), "ints": INTS}
    board.pin_write(data, "numbers")
    back = board.pin_read("numbers")
    assert back == data
    assert [math.copysign(1, x) for x in back["floats"][:5]] == [1, 1, 1, 1, -1]  # -0.0 kept
    assert all(type(i) is int for i in back["ints"])


def test_floats_are_written_as_their_shortest_text() -> None:
    assert dumps([0.1 + 0.2, 1e-300, 5e-324]) == b"[0.30000000000000004,1e-300,5e-324]"
    assert json.loads(dumps(FLOATS)) == FLOATS  # any JSON reader gets the same floats


def test_the_documented_conversions(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    data = {
        "nan": float("nan"),
        "inf": [float("inf"), -float("inf")],
        "np": [np.int64(7), np.float32(0.1), np.float64(2.5), np.bool_(True), np.uint64(2**64 - 1)],
        "when": pd.Timestamp("2024-01-02 03:04:05.123456789"),
        "aware": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        "day": date(2024, 2, 29),
        "dt64": np.datetime64("2024-01-02T03:04:05"),
        "missing": [pd.NaT, pd.NA, None],
        "tuple": (1, "a"),
    }
    meta = board.pin_write(data, "converted")  # no type: json, not joblib
    assert meta.type == "json"
    assert board.pin_read("converted") == {
        "nan": None,
        "inf": [None, None],
        "np": [7, float(np.float32(0.1)), 2.5, True, 2**64 - 1],
        "when": "2024-01-02T03:04:05.123456789",
        "aware": "2024-01-02T03:04:05+00:00",
        "day": "2024-02-29",
        "dt64": "2024-01-02T03:04:05",
        "missing": [None, None, None],
        "tuple": [1, "a"],
    }


def test_the_key_that_cannot_be_stored_is_named(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    with pytest.raises(PinsTypeError, match=r"\['model'\]\['weights'\]: a numpy.ndarray object"):
        board.pin_write({"model": {"weights": np.zeros(3)}}, "bad", type="json")
    with pytest.raises(PinsTypeError, match=r"\['tags'\]\[1\]: a builtins.set object"):
        board.pin_write({"tags": ["a", {"b"}]}, "bad", type="json")
    assert board.pin_list() == []
    assert board.pin_write({"model": object()}, "pickled").type == "joblib"  # as before


def test_nan_tokens_written_by_others_are_read(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"a": float("nan"), "b": [1.5, float("inf")]}))  # pins-python
    back = get_driver("json").load([path], make_meta("json", "x.json"))
    assert isinstance(back, dict) and math.isnan(back["a"]) and back["b"] == [1.5, math.inf]
    assert loads(b'{"n": -12345678901234567890}') == {"n": -12345678901234567890}


def test_a_frame_as_json_is_exact(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "x": [*FLOATS, float("nan"), float("inf")],
            "f32": np.array(FLOATS[:1] * 11, dtype="float32"),
            "n": range(11),
        }
    )
    path = tmp_path / "f.json"
    driver_for_write("json", frame).save(frame, path)
    records = loads(path.read_bytes())
    assert isinstance(records, list)
    assert [r["x"] for r in records] == [*FLOATS, None, None]
    assert {r["f32"] for r in records} == {float(np.float32(0.1 + 0.2))}


def test_a_frame_cell_json_cannot_hold_names_the_column(tmp_path: Path) -> None:
    frame = pd.DataFrame({"ok": [1, 2], "bad": [{1, 2}, None]})
    with pytest.raises(PinsTypeError, match="column 'bad'"):
        get_driver("json").save(frame, tmp_path / "f.json")
