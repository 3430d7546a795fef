"""The registry: lookup, inference, aliases, refusals, third-party drivers."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import pins.drivers as registry
from pins.drivers import driver_for_write, get_driver, register_driver, registered_types
from pins.drivers.arrow import ArrowDriver, FeatherDriver
from pins.errors import PinsMissingDependencyError, PinsTypeError

from .conftest import make_meta
from .plugin import TextDriver

BUILTIN_TYPES = ["arrow", "csv", "feather", "file", "joblib", "json", "parquet", "rds", "table"]


def test_registered_types_lists_the_builtins() -> None:
    assert set(BUILTIN_TYPES) <= set(registered_types())
    assert registered_types() == sorted(registered_types())


@pytest.mark.parametrize("type_name", BUILTIN_TYPES)
def test_get_driver_returns_one_cached_instance_per_type(type_name: str) -> None:
    driver = get_driver(type_name)
    assert driver.type == type_name
    assert get_driver(type_name) is driver


def test_unknown_type_lists_the_known_ones() -> None:
    with pytest.raises(PinsTypeError, match="Unknown pin type 'nope'") as info:
        get_driver("nope")
    for name in BUILTIN_TYPES:
        assert name in str(info.value)


def test_registered_types_is_a_copy() -> None:
    types = registered_types()
    types.append("mine")
    assert "mine" not in registered_types()


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (pd.DataFrame({"a": [1]}), "parquet"),
        (pa.table({"a": [1]}), "parquet"),
        (pl.DataFrame({"a": [1]}), "parquet"),
        ({"a": 1}, "json"),
        ([1, 2], "json"),
        ("text", "json"),
        (3, "json"),
        (2.5, "json"),
        (True, "json"),
        (None, "json"),
        ({1, 2}, "joblib"),
        ({"x": float("nan")}, "json"),  # NaN is written as null (issue 9)
        ({"n": np.int64(3), "when": pd.Timestamp("2024-01-01")}, "json"),
        ({"model": object()}, "joblib"),
        ({1: "non-string key"}, "joblib"),
        (object(), "joblib"),
    ],
)
def test_type_is_inferred_from_the_object(obj: object, expected: str) -> None:
    assert driver_for_write(None, obj).type == expected


def test_a_frame_is_parquet_even_without_pyarrow(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """pyarrow is a requirement of pins: a broken installation without it gets an error
    that says so, never a pin silently written in another format."""
    frame = pd.DataFrame({"a": [1]})
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    driver = driver_for_write(None, frame)
    assert driver.type == "parquet"
    with pytest.raises(PinsMissingDependencyError, match=r"pip install pyarrow \(pins requires"):
        driver.save(frame, tmp_path / "x.parquet")


def test_feather_is_read_as_feather_and_written_as_arrow() -> None:
    frame = pd.DataFrame({"a": [1]})
    assert isinstance(get_driver("feather"), FeatherDriver)
    with pytest.warns(DeprecationWarning, match="type='arrow'"):  # as pins-python warns
        writer = driver_for_write("feather", frame)
    assert type(writer) is ArrowDriver
    assert writer.type == "arrow"


@pytest.mark.parametrize("type_name", ["rds", "table"])
def test_read_only_types_are_refused_for_writing(type_name: str) -> None:
    with pytest.raises(PinsTypeError, match="read only"):
        driver_for_write(type_name, pd.DataFrame({"a": [1]}))


def test_object_the_type_cannot_hold_gets_a_suggestion() -> None:
    with pytest.raises(PinsTypeError) as info:
        driver_for_write("csv", {"a": 1})
    message = str(info.value)
    assert "'csv'" in message
    assert "dict" in message
    assert "type='json'" in message


def test_json_refuses_objects_json_cannot_hold() -> None:
    with pytest.raises(PinsTypeError, match="type='joblib'"):
        driver_for_write("json", {1, 2})
    with pytest.raises(PinsTypeError, match=r"at \[1\]: a key of type int"):
        driver_for_write("json", {1: "non-string key"})
    with pytest.raises(PinsTypeError, match=r"at \['a'\]\[0\]\['w'\]: a numpy.ndarray"):
        driver_for_write("json", {"a": [{"w": np.zeros(2)}]})
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    with pytest.raises(PinsTypeError, match="a cycle"):
        driver_for_write("json", cyclic)


def test_json_accepts_shared_references() -> None:
    shared = [1, 2]
    assert driver_for_write("json", {"a": shared, "b": shared}).type == "json"


def test_file_type_needs_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(PinsTypeError, match="'file'"):
        driver_for_write("file", tmp_path / "missing.txt")
    present = tmp_path / "present.txt"
    present.write_text("x")
    assert driver_for_write("file", present).type == "file"
    assert driver_for_write("file", str(present)).type == "file"


@pytest.mark.usefixtures("fresh_registry")
class TestThirdPartyDrivers:
    def test_register_a_spec_string_imported_on_first_use(self) -> None:
        register_driver("text", "tests.drivers.plugin:TextDriver")
        assert "text" in registered_types()
        assert isinstance(get_driver("text"), TextDriver)
        assert driver_for_write("text", "hello").type == "text"

    def test_register_a_class_or_an_instance(self) -> None:
        register_driver("text", TextDriver)
        assert isinstance(get_driver("text"), TextDriver)
        instance = TextDriver()
        register_driver("text", instance, replace=True)
        assert get_driver("text") is instance

    def test_registering_twice_needs_replace(self) -> None:
        register_driver("text", TextDriver)
        with pytest.raises(ValueError, match="already registered"):
            register_driver("text", TextDriver)
        with pytest.raises(ValueError, match="already registered"):
            register_driver("csv", "tests.drivers.plugin:TextDriver")

    def test_registering_a_mismatched_or_invalid_driver_fails(self) -> None:
        with pytest.raises(ValueError, match="has type 'text'"):
            register_driver("other", TextDriver)
        with pytest.raises(ValueError, match="module:Class"):
            register_driver("other", "no_colon")
        with pytest.raises(TypeError):
            register_driver("other", 42)  # type: ignore[arg-type]

    def test_a_spec_that_cannot_be_imported(self) -> None:
        register_driver("gone", "no_such_module_for_pins:Driver")
        with pytest.raises(PinsMissingDependencyError, match="'gone'"):
            get_driver("gone")

    def test_a_spec_that_is_not_a_driver(self) -> None:
        register_driver("odd", "tests.drivers.plugin:NotADriver")
        with pytest.raises(PinsTypeError, match="not a Driver"):
            get_driver("odd")

    def test_entry_points_are_read_once_and_lazily(self, monkeypatch: pytest.MonkeyPatch) -> None:
        calls: list[str] = []

        def fake_entry_points(*, group: str) -> list[importlib.metadata.EntryPoint]:
            calls.append(group)
            return [
                importlib.metadata.EntryPoint(
                    name="text", value="tests.drivers.plugin:TextDriver", group=group
                )
            ]

        monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
        get_driver("csv")  # a built-in: no need to read the entry points
        assert calls == []
        assert isinstance(get_driver("text"), TextDriver)
        assert "text" in registered_types()
        with pytest.raises(PinsTypeError):
            get_driver("still-unknown")
        assert calls == ["pins.drivers"]

    def test_an_entry_point_cannot_take_over_a_builtin(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def fake_entry_points(*, group: str) -> list[importlib.metadata.EntryPoint]:
            return [
                importlib.metadata.EntryPoint(
                    name="csv", value="tests.drivers.plugin:TextDriver", group=group
                )
            ]

        monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
        with pytest.warns(UserWarning, match="already registered"):
            registered_types()
        assert get_driver("csv").extension == "csv"

    def test_the_registry_state_is_private(self) -> None:
        register_driver("text", TextDriver)
        assert "text" not in registry._BUILTINS


def test_importing_the_registry_imports_no_heavy_library() -> None:
    code = (
        "import sys, pins.drivers as d\n"
        "d.get_driver('csv'); d.get_driver('parquet'); d.driver_for_write(None, {'a': 1})\n"
        "names = ('pandas', 'pyarrow', 'polars', 'joblib', 'rdata')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""


def test_describe() -> None:
    driver = get_driver("json")
    assert driver.describe(pd.DataFrame({"a": [1, 2, 3], "b": 1})) == "a pinned 3 x 2 DataFrame"
    assert driver.describe(pl.DataFrame({"a": [1]})) == "a pinned 1 x 1 DataFrame"
    assert driver.describe(pa.table({"a": [1]})) == "a pinned 1 x 1 Table"
    assert driver.describe({"a": 1}) == "a pinned dict object"
    assert driver.describe([1]) == "a pinned list object"
    assert get_driver("joblib").describe({1, 2}) == "a pinned set object"


def test_file_pins_are_not_read_with_pin_read(tmp_path: Path) -> None:
    with pytest.raises(PinsTypeError, match=r"pin_download\('a-pin'\)"):
        get_driver("file").load([tmp_path / "x.txt"], make_meta("file", "x.txt"))
