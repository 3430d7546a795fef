"""A frame that Arrow cannot hold is refused with a PinsTypeError that says which
column, before anything is written (issue 9, "Bad input")."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pins
from pins.errors import PinsTypeError

BAD = {
    "mixed": (pd.DataFrame({"ok": [1, 2, 3], "a": [1, "x", 2.5]}), "the column 'a'"),
    "object": (pd.DataFrame({"a": [object()]}), "the column 'a'"),
    "duplicates": (
        pd.DataFrame([[1, 2, 3]], columns=["a", "b", "a"]),
        r"duplicate column names \('a'\)",
    ),
}


@pytest.mark.parametrize("pin_type", ["parquet", "arrow", None])
@pytest.mark.parametrize("case", sorted(BAD))
def test_refused_before_anything_is_written(
    case: str, pin_type: str | None, tmp_path: Path
) -> None:
    frame, message = BAD[case]
    board = pins.board_folder(tmp_path / "board")
    board.pin_write(pd.DataFrame({"a": [1]}), "kept", type=pin_type)
    with pytest.raises(PinsTypeError, match=message):
        board.pin_write(frame, "kept", type=pin_type)
    with pytest.raises(PinsTypeError, match=message):
        board.pin_write(frame, "new", type=pin_type)
    assert board.pin_list() == ["kept"] and len(board.pin_versions("kept")) == 1
    assert sorted(p.name for p in (tmp_path / "board").iterdir()) == ["kept"]  # no staging left
    assert len(list((tmp_path / "board" / "kept").iterdir())) == 1


def test_the_frame_can_still_be_pinned_as_csv_or_joblib(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path, allow_pickle_read=True)
    frame = BAD["mixed"][0]
    board.pin_write(frame, "as_csv", type="csv")
    assert board.pin_read("as_csv")["a"].tolist() == ["1", "x", "2.5"]
    board.pin_write(frame, "as_joblib", type="joblib")
    pd.testing.assert_frame_equal(board.pin_read("as_joblib"), frame)
