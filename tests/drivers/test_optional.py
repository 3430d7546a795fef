"""Optional packages: a missing one gives PinsMissingDependencyError with an install hint.

A missing package is simulated by putting ``None`` in ``sys.modules``, which makes
``import`` raise ImportError.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from pins.drivers import driver_for_write, get_driver
from pins.errors import PinsMissingDependencyError, PinsTypeError

from .conftest import FIXTURES, make_meta


def test_joblib_missing_on_write(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "joblib", None)
    driver = driver_for_write(None, {1, 2})
    with pytest.raises(PinsMissingDependencyError, match=r'pip install "pins\[joblib\]"') as info:
        driver.save({1, 2}, tmp_path / "x.joblib")
    assert isinstance(info.value, ImportError)
    assert isinstance(info.value, PinsTypeError)
    assert not (tmp_path / "x.joblib").exists()


def test_joblib_missing_on_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "x.joblib"
    get_driver("joblib").save({"a": 1}, path)
    monkeypatch.setitem(sys.modules, "joblib", None)
    with pytest.raises(PinsMissingDependencyError, match=r"pins\[joblib\]"):
        get_driver("joblib").load([path], make_meta("joblib", "x.joblib"))


def test_rdata_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    (path,) = (FIXTURES / "pinsr_board" / "airquality_rds").glob("*/*.rds")
    monkeypatch.setitem(sys.modules, "rdata", None)
    with pytest.raises(PinsMissingDependencyError, match=r'pip install "pins\[rdata\]"'):
        get_driver("rds").load([path], make_meta("rds", path.name))


@pytest.mark.parametrize("type_name", ["parquet", "arrow"])
def test_pyarrow_missing(type_name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1]})
    driver = get_driver(type_name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(PinsMissingDependencyError, match="pip install pyarrow"):
        driver.save(frame, tmp_path / f"x.{type_name}")
    with pytest.raises(PinsMissingDependencyError, match="pip install pyarrow"):
        driver.load([tmp_path / f"x.{type_name}"], make_meta(type_name))


def test_driver_extras_name_the_pyproject_extras() -> None:
    assert get_driver("joblib").extra == "joblib"
    assert get_driver("rds").extra == "rdata"
