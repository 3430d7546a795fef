"""User metadata must reach data.txt as plain YAML that every other reader's safe loader
reads back (pins-python and R use ``safe_load``-style loaders), or be refused at write time
with :class:`PinsMetadataError` (SPEC section 2). pins-python itself writes ``!!python/...``
tags for numpy values; we must not.

Each case writes one value and checks the outcome: refused cleanly (nothing written), or
written so that ``yaml.safe_load`` of the data.txt gives the plain value back.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

import pins
from pins.errors import PinsMetadataError

CASES = [
    pytest.param(np.int64(7), 7, id="numpy-int"),
    pytest.param(np.float32(0.5), 0.5, id="numpy-float32"),
    pytest.param(np.bool_(True), True, id="numpy-bool"),
    pytest.param((1, "a", (2,)), [1, "a", [2]], id="nested-tuple"),
    pytest.param(date(2024, 1, 15), date(2024, 1, 15), id="date"),
    pytest.param(
        datetime(2024, 1, 15, 10, 30, tzinfo=timezone.utc),
        datetime(2024, 1, 15, 10, 30, tzinfo=timezone.utc),
        id="aware-datetime",
    ),
    pytest.param(datetime(2024, 1, 15, 10, 30), datetime(2024, 1, 15, 10, 30), id="datetime"),
    pytest.param(np.datetime64("2024-01-15"), date(2024, 1, 15), id="numpy-datetime64-day"),
    pytest.param(
        np.datetime64("2024-01-15T10:30:00.000000000"),
        datetime(2024, 1, 15, 10, 30),
        id="numpy-datetime64-ns",
    ),
    pytest.param(
        pd.Timestamp("2024-01-15 10:30"),
        datetime(2024, 1, 15, 10, 30),
        id="pandas-timestamp",
    ),
    pytest.param(
        np.str_("x"),
        "x",
        id="numpy-str",
    ),
    pytest.param(
        np.array([1, 2]),
        [1, 2],
        id="numpy-array",
    ),
]


@pytest.mark.parametrize(("value", "plain"), CASES)
def test_metadata_value_is_written_plain_or_refused(tmp_path: Path, value: Any, plain: Any) -> None:
    board = pins.board_folder(tmp_path / "board")
    try:
        meta = board.pin_write({"a": 1}, "p", type="json", metadata={"v": value})
    except PinsMetadataError:
        assert not board.pin_exists("p")  # refused before anything was committed
        return
    assert meta.version is not None
    text = (tmp_path / "board" / "p" / meta.version.version / "data.txt").read_text("utf-8")
    assert "!!" not in text
    stored = yaml.safe_load(text)["user"]["v"]  # what pins-python and R read
    assert stored == plain
    assert type(stored) is type(plain)
    assert board.pin_meta("p").user == {"v": plain}


@pytest.mark.parametrize("field", ["title", "description", "tags", "metadata-key"])
def test_str_subclasses_in_other_fields_are_written_plain(tmp_path: Path, field: str) -> None:
    """A numpy string (what indexing a numpy array of text gives) in title, description,
    tags or a metadata key: written as a plain YAML string or refused cleanly."""
    text = np.str_("café")
    kwargs: dict[str, Any] = {
        "title": {"title": text},
        "description": {"description": text},
        "tags": {"tags": [text]},
        "metadata-key": {"metadata": {text: 1}},
    }[field]
    board = pins.board_folder(tmp_path / "board")
    try:
        meta = board.pin_write({"a": 1}, "p", type="json", **kwargs)
    except PinsMetadataError:
        assert not board.pin_exists("p")
        return
    assert meta.version is not None
    text_yaml = (tmp_path / "board" / "p" / meta.version.version / "data.txt").read_text("utf-8")
    data = yaml.safe_load(text_yaml)
    got = {
        "title": data["title"],
        "description": data["description"],
        "tags": (data.get("tags") or [None])[0],
        "metadata-key": next(iter(data["user"]), None),
    }[field]
    assert got == "café" and type(got) is str
