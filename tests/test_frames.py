"""frame=: the library a table comes back in, the same keyword on every board
constructor, and a polars or pyarrow read that never imports pandas."""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import pins
from pins.errors import PinsArgumentError, PinsArgumentTypeError, PinsMetadataError, PinsTypeError

#: Every board constructor pins exports (board_deparse and board_from_uri make text and
#: read it: they are not constructors).
CONSTRUCTORS = [
    getattr(pins, name)
    for name in pins.__all__
    if name.startswith("board") and name not in ("board_deparse", "board_from_uri")
]


@pytest.mark.parametrize("constructor", CONSTRUCTORS, ids=lambda f: f.__name__)
def test_every_constructor_takes_frame_by_keyword_only(constructor: object) -> None:
    assert len(CONSTRUCTORS) >= 15
    parameter = inspect.signature(constructor).parameters["frame"]  # type: ignore[arg-type]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    assert parameter.default == "pandas"


@pytest.mark.parametrize(
    "make",
    [
        lambda tmp, frame: pins.board_folder(tmp, frame=frame),
        lambda tmp, frame: pins.board("file", str(tmp), frame=frame),
        lambda tmp, frame: pins.board_fsspec(f"file://{tmp}", cache=None, frame=frame),
        lambda tmp, frame: pins.board_memory(f"frames-{tmp.name}", frame=frame),
    ],
    ids=["board_folder", "board", "board_fsspec", "board_memory"],
)
def test_board_default_frame(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    board = make(tmp_path, "polars")
    assert board.frame == "polars"
    board.pin_write(pd.DataFrame({"a": [1, 2]}), "t", type="csv")
    assert isinstance(board.pin_read("t"), pl.DataFrame)
    assert isinstance(board.pin_read("t", frame="pyarrow"), pa.Table)
    assert isinstance(make(tmp_path, "pandas").pin_read("t"), pd.DataFrame)


def test_a_bad_frame_is_refused_at_construction(tmp_path: Path) -> None:
    with pytest.raises(PinsArgumentError, match="frame must be one of"):
        pins.board_folder(tmp_path, frame="spark")
    with pytest.raises(PinsArgumentTypeError):
        pins.board_temp(frame=None)  # type: ignore[arg-type]


def test_pin_read_keeps_its_positional_signature(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    meta = board.pin_write(pd.DataFrame({"a": [1]}), "t")
    version = meta.version.version
    back = board.pin_read("t", version, meta.pin_hash[:5])  # as pins-python users write it
    pd.testing.assert_frame_equal(back, pd.DataFrame({"a": [1]}))
    with pytest.raises(TypeError):
        board.pin_read("t", version, meta.pin_hash[:5], "polars")  # type: ignore[misc]


def test_polars_dtypes_survive_a_polars_round_trip(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path, frame="polars")
    frame = pl.DataFrame(
        {
            "n": pl.Series([1, None], dtype=pl.Int32),
            "c": pl.Series(["a", "b"], dtype=pl.Categorical),
        }
    )
    for pin_type in ("parquet", "arrow"):
        board.pin_write(frame, f"pl_{pin_type}", type=pin_type)
        back = board.pin_read(f"pl_{pin_type}")
        assert back.schema == frame.schema
        assert back["n"].to_list() == [1, None]


_NO_PANDAS = """
import sys, pins
board = pins.board_folder(sys.argv[1])
for name in ("t_parquet", "t_arrow", "t_csv"):
    result = board.pin_read(name, frame="polars")
    assert type(result).__module__.split(".")[0] == "polars", type(result)
board.pin_scan("t_parquet", frame="polars").collect()
print("pandas" in sys.modules)
"""


def test_a_polars_read_does_not_import_pandas(tmp_path: Path) -> None:
    """parquet, arrow and csv go straight into polars (pyarrow itself imports pandas
    when it is installed, so only polars can show that pins does not)."""
    board = pins.board_folder(tmp_path)
    for pin_type in ("parquet", "arrow", "csv"):
        board.pin_write(
            pd.DataFrame({"x": [1, 2], "s": ["a", "b"]}), f"t_{pin_type}", type=pin_type
        )
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_NO_PANDAS), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


def test_deparse_keeps_the_frame(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path, frame="pyarrow")
    text = pins.board_deparse(board)
    assert text == f"board_folder({str(tmp_path)!r}, frame='pyarrow')"
    assert eval(text, vars(pins)).frame == "pyarrow"
    memory = pins.board_memory("deparse-frame", frame="polars")
    assert eval(pins.board_deparse(memory), vars(pins)).frame == "polars"
    assert "frame=" not in pins.board_deparse(pins.board_folder(tmp_path))


@pytest.mark.parametrize("frame", ["polars", "pyarrow"])
@pytest.mark.parametrize("type_", ["parquet", "arrow", "csv"])
def test_a_scan_of_a_damaged_or_missing_file_fails_when_made(
    tmp_path: Path, frame: str, type_: str
) -> None:
    """pin_scan reads the files' schema when it makes the scan: a file that is not of its
    type is a PinsTypeError and a missing one a PinsMetadataError there, not a polars or
    pyarrow error when the query is collected."""
    board = pins.board_folder(tmp_path)
    meta = board.pin_write(pa.table({"x": [1, 2]}), "t", type=type_)
    assert meta.version is not None
    data = tmp_path / "t" / meta.version.version / meta.file_names[0]
    good = data.read_bytes()
    data.write_bytes(b"\x00\xff not a table " * 40)
    if (frame, type_) != ("polars", "csv"):  # polars reads any text as csv (lossy), as pin_read
        with pytest.raises(PinsTypeError, match="cannot be read as type") as caught:
            board.pin_scan("t", frame=frame)
        assert meta.file_names[0] in str(caught.value)
    data.unlink()
    with pytest.raises(PinsMetadataError, match="missing"):
        board.pin_scan("t", frame=frame)
    data.write_bytes(good)
    scanned = board.pin_scan("t", frame=frame)
    rows = scanned.collect().height if frame == "polars" else scanned.to_table().num_rows
    assert rows == 2
