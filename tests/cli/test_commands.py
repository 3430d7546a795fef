"""Each command of ``pins`` on a folder board, in this process (tests/cli/test_console_script.py
runs the installed console script)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import pins

from .conftest import Run

SALES = "x,y\n1,a\n2,b\n3,c\n"


@pytest.fixture
def sales_csv(tmp_path: Path) -> Path:
    path = tmp_path / "sales.csv"
    path.write_text(SALES, encoding="utf-8")
    return path


def _json(result: object) -> object:
    return json.loads(result.stdout)  # type: ignore[attr-defined]


def test_write_read_versions_prune(run: Run, sales_csv: Path, board_dir: Path) -> None:
    result = run("write", "sales.csv", "sales", "--title", "Monthly sales", "-m", "owner=ana")
    assert result.exit_code == 0, result.output
    assert "Pin 'sales': wrote version" in result.stderr
    board = pins.board_folder(board_dir)
    meta = board.pin_meta("sales")
    assert (meta.type, meta.title, meta.user) == ("csv", "Monthly sales", {"owner": "ana"})
    assert meta.version is not None and meta.version.version in result.stdout
    assert run("list").stdout.split() == ["name", "sales"]

    assert run("read", "sales").stdout == SALES  # csv on stdout
    assert run("read", "sales", "-o", "back.parquet").exit_code == 0
    pd.testing.assert_frame_equal(pd.read_parquet("back.parquet"), pd.read_csv(sales_csv))
    for name in ("back.csv", "back.json", "back.feather"):
        assert run("read", "sales", "-o", name).exit_code == 0
    assert Path("back.csv").read_text(encoding="utf-8") == SALES
    assert json.loads(Path("back.json").read_text(encoding="utf-8"))[0] == {"x": 1, "y": "a"}
    pd.testing.assert_frame_equal(pd.read_feather("back.feather"), pd.read_csv(sales_csv))

    sales_csv.write_text("x,y\n9,z\n", encoding="utf-8")
    second = _json(run("write", "sales.csv", "sales", "--json"))
    assert isinstance(second, dict) and second["name"] == "sales" and second["type"] == "csv"
    listed = _json(run("versions", "sales", "--json"))
    assert [v["version"] for v in listed] == [  # type: ignore[union-attr]
        v.version for v in board.pin_versions("sales", as_df=False)
    ]
    assert set(listed[0]) == {"version", "created", "hash"}  # type: ignore[index]
    old = listed[0]["version"]  # type: ignore[index]
    assert run("read", "sales", "--version", old).stdout == SALES
    assert run("read", "sales").stdout == "x,y\n9,z\n"

    pruned = run("prune", "sales", "--n", "1")
    assert pruned.exit_code == 0 and pruned.stdout.split() == [old]
    assert [v.version for v in board.pin_versions("sales", as_df=False)] == [second["version"]]


@pytest.mark.parametrize("frame", ["polars", "pyarrow"])
def test_read_is_the_same_whatever_frame_the_board_text_gives(
    run: Run, sales_csv: Path, board_dir: Path, frame: str
) -> None:
    """``read`` writes a file (or stdout), whose format is its extension's: the library a
    board reads tables into (``?frame=`` of its text) changes nothing, so the command
    has no ``--frame``."""
    if frame == "polars":
        pytest.importorskip("polars")
    assert run("write", "sales.csv", "sales").exit_code == 0
    text = f"file://{board_dir}?frame={frame}"
    assert pins.board_from_uri(text).frame == frame
    assert run("read", "sales", "-b", text).stdout == SALES
    for name in ("back.csv", "back.parquet", "back.json", "back.feather"):
        result = run("read", "sales", "-b", text, "-o", name)
        assert result.exit_code == 0, result.output
    assert Path("back.csv").read_text(encoding="utf-8") == SALES
    pd.testing.assert_frame_equal(pd.read_parquet("back.parquet"), pd.read_csv(sales_csv))
    deparsed = pins.board_deparse(pins.board_folder(board_dir, frame=frame))
    assert run("read", "sales", "-b", deparsed).stdout == SALES
    assert "--frame" not in run("read", "--help").stdout


def test_write_chooses_the_type_by_extension(run: Run, tmp_path: Path, board_dir: Path) -> None:
    frame = pd.DataFrame({"a": [1.5, 2.5], "b": ["x", "y"]})
    frame.to_parquet(tmp_path / "f.parquet")
    frame.to_feather(tmp_path / "f.feather")
    (tmp_path / "cfg.json").write_text('{"alpha": 0.05}', encoding="utf-8")
    for file, name, kind in (
        ("f.parquet", "p", "parquet"),
        ("f.feather", "a", "arrow"),
        ("cfg.json", "cfg", "json"),
    ):
        assert run("write", file, name).exit_code == 0
        assert pins.board_folder(board_dir).pin_meta(name).type == kind
    assert run("write", "f.parquet", "as_csv", "--type", "csv").exit_code == 0
    board = pins.board_folder(board_dir)
    assert board.pin_meta("as_csv").type == "csv"
    pd.testing.assert_frame_equal(board.pin_read("p"), frame)
    assert run("read", "cfg").stdout == '{\n  "alpha": 0.05\n}\n'
    run("read", "cfg", "-o", "cfg-out.json")
    assert json.loads((tmp_path / "cfg-out.json").read_text(encoding="utf-8")) == {"alpha": 0.05}


def test_info_json_keys(run: Run, sales_csv: Path) -> None:
    run("write", "sales.csv", "sales", "--description", "by month", "--unversioned")
    info = _json(run("info", "sales", "--json"))
    assert isinstance(info, dict)
    assert list(info) == [
        "name", "version", "created", "hash", "type", "title", "description",
        "file", "file_size", "api_version", "tags", "urls", "user",
    ]  # fmt: skip
    assert info["file"] == ["sales.csv"] and info["file_size"] == [len(SALES)]
    assert info["description"] == "by month"
    table = run("info", "sales").stdout
    assert "description  by month" in table and table.startswith("field")


def test_list_search(run: Run, sales_csv: Path) -> None:
    run("write", "sales.csv", "sales", "--title", "Monthly sales")
    run("write", "sales.csv", "costs", "--title", "Costs")
    assert _json(run("list", "--json")) == [{"name": "costs"}, {"name": "sales"}]
    found = _json(run("list", "--search", "monthly", "--json"))
    assert [(r["name"], r["title"], r["type"]) for r in found] == [  # type: ignore[union-attr]
        ("sales", "Monthly sales", "csv")
    ]
    lines = run("list", "-s", "SALES").stdout.splitlines()
    assert lines[0].split() == ["name", "version", "type", "title", "created"]
    assert lines[1].startswith("sales ") and len(lines) == 2


def test_upload_download_and_file_pins(run: Run, tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 report")
    (tmp_path / "notes.md").write_text("# notes\n", encoding="utf-8")
    assert run("upload", "report.pdf", "notes.md", "--name", "bundle").exit_code == 0
    assert run("upload", "report.pdf").exit_code == 0  # named after the file: report
    got = _json(run("download", "bundle", "--json", "-o", "out"))
    assert isinstance(got, dict) and got["name"] == "bundle"
    assert sorted(Path(p).name for p in got["paths"]) == ["notes.md", "report.pdf"]
    assert (tmp_path / "out" / "report.pdf").read_bytes() == b"%PDF-1.4 report"
    in_board = run("download", "bundle").stdout.split()
    assert all(Path(p).is_file() for p in in_board) and len(in_board) == 2

    two = run("read", "bundle")  # two files cannot go to stdout
    assert two.exit_code == 2 and "2 files" in two.stderr
    assert run("read", "bundle", "-o", "copies").exit_code == 0
    assert (tmp_path / "copies" / "notes.md").read_text(encoding="utf-8") == "# notes\n"
    assert run("read", "report").stdout_bytes == b"%PDF-1.4 report"
    assert run("read", "report", "-o", "r.pdf").exit_code == 0
    assert (tmp_path / "r.pdf").read_bytes() == b"%PDF-1.4 report"
