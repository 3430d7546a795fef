"""Read every pin and version of the boards that pins-python 0.9.2 and R pins 1.1.0 wrote
(``tests/fixtures``) through our ``board_folder`` and compare with the expected values.

The ground truth is the fixture itself (each version's ``data.txt``, parsed here with a
plain safe YAML loader, and the files' bytes) plus what ``fixtures/README.md`` and
``fixtures/expected/`` document.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import xxhash
import yaml

import pins
from pins.errors import PinsHashError, PinsInsecureReadError, PinsTypeError

from ..conftest import FIXTURES
from ..pandas_dtypes import as_this_pandas

EXPECTED = FIXTURES / "expected"
BOARDS = ["pinspy_board", "pinsr_board"]

# What fixtures/README.md documents: every pin's type and number of versions.
DOCUMENTED = {
    "pinspy_board": {
        "penguins_csv": ("csv", 2),
        "penguins_parquet": ("parquet", 1),
        "penguins_arrow": ("arrow", 1),
        "cfg_json": ("json", 1),
        "model_joblib": ("joblib", 1),
        "raw_file": ("file", 1),
    },
    "pinsr_board": {
        "iris_csv": ("csv", 2),
        "airquality_json": ("json", 1),
        "airquality_rds": ("rds", 1),
        "settings": ("json", 1),
        "notes_file": ("file", 1),
        "iris_unversioned": ("csv", 1),
    },
}
PENGUIN_COLUMNS = as_this_pandas(
    {
        "species": "str",
        "island": "str",
        "bill_length_mm": "float64",
        "bill_depth_mm": "float64",
        "flipper_length_mm": "float64",
        "body_mass_g": "float64",
        "sex": "str",
        "year": "int64",
    }
)

Copier = Callable[[str], Path]


# ---------------------------------------------------------------------- helpers
def _raw(board_name: str) -> dict[str, dict[str, dict[str, Any]]]:
    """``{pin: {version folder: parsed data.txt}}`` straight from the fixture folder."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for pin_dir in sorted(p for p in (FIXTURES / board_name).iterdir() if p.is_dir()):
        out[pin_dir.name] = {
            v.name: yaml.safe_load((v / "data.txt").read_text(encoding="utf-8"))
            for v in sorted(pin_dir.iterdir())
        }
    return out


def _expected_json(name: str) -> Any:
    return json.loads((EXPECTED / name).read_text(encoding="utf-8"))


def _board(copy: Copier, board_name: str, **kwargs: Any) -> pins.FolderBoard:
    return pins.board_folder(copy(board_name), **kwargs)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with missing values as None (as the expected json records hold)."""
    rows = frame.astype(object).to_dict("records")
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in rows]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _wrong(pin_hash: str) -> str:
    return ("1" if pin_hash[0] == "0" else "0") + pin_hash[1:]


def _read_checked(board: pins.FolderBoard, name: str, version: str, pin_type: str, h: str) -> Any:
    """Read one version through the hash check (pin_download for file pins)."""
    if pin_type == "file":
        return board.pin_download(name, version=version, hash=h)
    return board.pin_read(name, version=version, hash=h)


# ---------------------------------------------------------------------- listing
@pytest.mark.parametrize("board_name", BOARDS)
def test_pin_list_and_versions(fixture_board: Copier, board_name: str) -> None:
    board = _board(fixture_board, board_name)
    raw = _raw(board_name)
    documented = DOCUMENTED[board_name]
    assert board.pin_list() == sorted(documented) == sorted(raw)
    for name, (_, count) in documented.items():
        frame = board.pin_versions(name)
        assert list(frame["version"]) == sorted(raw[name]), name
        assert len(frame) == count, name
        records = board.pin_versions(name, as_df=False)
        assert [v.version for v in records] == list(frame["version"])
        for record, (version, data) in zip(records, raw[name].items(), strict=True):
            # a version id is the created stamp and the first 5 hex chars of pin_hash
            assert version == f"{data['created']}-{data['pin_hash'][:5]}"
            when = datetime.strptime(data["created"], "%Y%m%dT%H%M%SZ")
            assert record.created == when.replace(tzinfo=timezone.utc)
            assert record.hash is not None and data["pin_hash"].startswith(record.hash)
        assert list(frame["created"]) == [pd.Timestamp(v.created) for v in records]
        assert board.pin_exists(name)


def test_pinspy_versions_match_what_pinspy_read() -> None:
    readback = _expected_json("pinspy_readback.json")
    board = pins.board_folder(FIXTURES / "pinspy_board")  # reading only; never writes
    assert board.pin_list() == readback["pin_list"]
    for name, versions in readback["versions"].items():
        assert list(board.pin_versions(name)["version"]) == versions
    assert (
        list(board.pin_versions("penguins_csv")["version"]) == (readback["penguins_csv_versions"])
    )


@pytest.mark.parametrize("board_name", BOARDS)
def test_reading_changes_nothing_on_the_board(fixture_board: Copier, board_name: str) -> None:
    root = fixture_board(board_name)
    before = _snapshot(root)
    board = pins.board_folder(root, allow_pickle_read=True)
    for name, (pin_type, _) in DOCUMENTED[board_name].items():
        for version in board.pin_versions(name)["version"]:
            board.pin_meta(name, version)
            if pin_type == "file":
                board.pin_download(name, version=version)
            else:
                board.pin_read(name, version=version)
    board.pin_search()
    assert _snapshot(root) == before


# ---------------------------------------------------------------------- metadata
@pytest.mark.parametrize("board_name", BOARDS)
def test_meta_of_every_version_matches_data_txt(fixture_board: Copier, board_name: str) -> None:
    board = _board(fixture_board, board_name)
    for name, versions in _raw(board_name).items():
        for version, data in versions.items():
            meta = board.pin_meta(name, version)
            assert meta.name == name
            assert meta.version is not None and meta.version.version == version
            assert meta.version.hash == data["pin_hash"][:5]  # as in pin_versions
            assert meta.title == data["title"]
            assert meta.description == data["description"]
            assert meta.to_pin_dict()["created"] == data["created"]  # the text, as written
            when = datetime.strptime(data["created"], "%Y%m%dT%H%M%SZ")
            assert meta.created == when.replace(tzinfo=timezone.utc)  # a time, as in pin_versions
            assert meta.pin_hash == data["pin_hash"]
            assert meta.file == data["file"]
            assert meta.file_size == data["file_size"]
            assert meta.type == data["type"] == DOCUMENTED[board_name][name][0]
            assert meta.api_version == 1  # pins-python writes 1, R 1.1 writes 1.0
            assert meta.tags is None  # absent (pins-python) or `tags: ~` (R)
            assert meta.urls is None
            assert meta.user == (data.get("user") or {})
        latest = board.pin_meta(name)
        assert latest.version is not None
        assert latest.version.version == max(versions)


def test_pinspy_documented_metadata(fixture_board: Copier) -> None:
    board = _board(fixture_board, "pinspy_board")
    for name in DOCUMENTED["pinspy_board"]:
        for version in board.pin_versions(name)["version"]:
            meta = board.pin_meta(name, version)
            assert meta.user["source"] == "synthetic"
            assert meta.api_version == 1
    assert board.pin_meta("cfg_json").user == {"kind": "config", "source": "synthetic"}
    assert board.pin_meta("model_joblib").user == {"kind": "model", "source": "synthetic"}
    first, second = board.pin_versions("penguins_csv")["version"]
    assert board.pin_meta("penguins_csv", first).title == "Synthetic Palmer penguins"
    assert board.pin_meta("penguins_csv", second).description.startswith("Second version")
    raw = board.pin_meta("raw_file")
    assert (raw.file, raw.file_size) == ("hello.txt", 63)


def test_pinsr_documented_metadata(fixture_board: Copier) -> None:
    board = _board(fixture_board, "pinsr_board")
    air = board.pin_meta("airquality_json")
    assert air.title == "Air quality (json) été"
    assert air.user == {}
    first, second = board.pin_versions("iris_csv")["version"]
    v1, v2 = board.pin_meta("iris_csv", first), board.pin_meta("iris_csv", second)
    assert v1.user == {"source": "R datasets", "rows": 150}
    assert v2.user == {"source": "R datasets", "rows": 50}
    assert (v1.title, v2.title) == ("Iris (csv)", "Iris (csv)")
    assert v2.description == "Only setosa."
    assert board.pin_meta("settings").description is None
    for name in DOCUMENTED["pinsr_board"]:
        meta = board.pin_meta(name)
        assert meta.api_version == 1 and float(meta.api_version) == 1.0
        assert meta.tags is None


@pytest.mark.parametrize(
    ("board_name", "search", "found"),
    [
        ("pinspy_board", "penguins", ["penguins_arrow", "penguins_csv", "penguins_parquet"]),
        ("pinspy_board", "TOY MODEL", ["model_joblib"]),  # title, case-insensitive
        ("pinsr_board", "été", ["airquality_json"]),  # a non-ASCII title
        ("pinsr_board", None, sorted(DOCUMENTED["pinsr_board"])),
    ],
)
def test_pin_search(
    fixture_board: Copier, board_name: str, search: str | None, found: list[str]
) -> None:
    board = _board(fixture_board, board_name)
    assert [m.name for m in board.pin_search(search, as_df=False)] == found
    frame = board.pin_search(search)
    assert list(frame["name"]) == found
    assert list(frame["title"]) == [board.pin_meta(n).title for n in found]


# ---------------------------------------------------------------------- data: pins-python
def test_pinspy_penguin_frames(fixture_board: Copier) -> None:
    board = _board(fixture_board, "pinspy_board")
    readback = _expected_json("pinspy_readback.json")
    v1 = pd.read_parquet(EXPECTED / "penguins_v1.parquet")
    v2 = pd.read_parquet(EXPECTED / "penguins_v2.parquet")
    first, second = board.pin_versions("penguins_csv")["version"]
    frames = {
        "penguins_csv v1": (board.pin_read("penguins_csv", version=first), v1),
        "penguins_csv v2": (board.pin_read("penguins_csv", version=second), v2),
        "penguins_csv latest": (board.pin_read("penguins_csv"), v2),
        "penguins_parquet": (board.pin_read("penguins_parquet"), v1),
        "penguins_arrow": (board.pin_read("penguins_arrow"), v1),
    }
    for what, (got, want) in frames.items():
        assert isinstance(got, pd.DataFrame), what
        pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=what)
        assert {c: str(t) for c, t in got.dtypes.items()} == PENGUIN_COLUMNS, what
    # the dtypes pins-python itself read back
    for name in ("penguins_csv", "penguins_parquet", "penguins_arrow"):
        got = board.pin_read(name)
        assert list(got.shape) == readback[name]["shape"]
        want = as_this_pandas(readback[name]["dtypes_read"])
        assert {c: str(t) for c, t in got.dtypes.items()} == want
    assert list(frames["penguins_csv v1"][0].shape) == readback["penguins_csv_v1_shape"]
    # the json form of the expected frames: shape, column order, every record
    for label, expected_file in (("v1", "penguins_v1.json"), ("v2", "penguins_v2.json")):
        expected = _expected_json(expected_file)
        got = frames["penguins_parquet"][0] if label == "v1" else frames["penguins_csv v2"][0]
        assert list(got.shape) == expected["shape"]
        assert list(got.columns) == expected["columns"]
        want = as_this_pandas(expected["dtypes_written"])
        assert {c: str(t) for c, t in got.dtypes.items()} == want
        assert _records(got) == expected["records"]
    # v2 is v1's first 200 rows with year + 10 (as the README says)
    derived = frames["penguins_csv v1"][0].head(200).assign(year=lambda f: f["year"] + 10)
    pd.testing.assert_frame_equal(frames["penguins_csv v2"][0], derived)
    assert frames["penguins_parquet"][0]["sex"].isna().any()


def test_pinspy_json_and_joblib(fixture_board: Copier, monkeypatch: pytest.MonkeyPatch) -> None:
    root = fixture_board("pinspy_board")
    trusted = pins.board_folder(root, allow_pickle_read=True)
    assert trusted.pin_read("cfg_json") == _expected_json("cfg_json.json")
    assert trusted.pin_read("model_joblib") == _expected_json("model_joblib.json")
    assert _expected_json("pinspy_readback.json")["model_joblib"] == trusted.pin_read(
        "model_joblib"
    )

    for refusing in (pins.board_folder(root), pins.board_folder(root, allow_pickle_read=False)):
        with pytest.raises(PinsInsecureReadError, match="allow_pickle_read"):
            refusing.pin_read("model_joblib")
        assert refusing.pin_read("cfg_json") == _expected_json("cfg_json.json")

    monkeypatch.setenv("PINS_ALLOW_PICKLE_READ", "1")
    assert pins.board_folder(root).pin_read("model_joblib") == _expected_json("model_joblib.json")


def test_pinspy_raw_file(fixture_board: Copier) -> None:
    board = _board(fixture_board, "pinspy_board")
    (path,) = board.pin_download("raw_file")
    assert Path(path).name == "hello.txt"
    assert Path(path).read_bytes() == (EXPECTED / "raw_file.txt").read_bytes()
    text = _expected_json("pinspy_readback.json")["raw_file_download_text"]
    assert Path(path).read_text(encoding="utf-8") == text
    with pytest.raises(PinsTypeError, match="pin_download"):
        board.pin_read("raw_file")


# ---------------------------------------------------------------------- data: R pins
def test_pinsr_iris_csv(fixture_board: Copier) -> None:
    board = _board(fixture_board, "pinsr_board")
    first, second = board.pin_versions("iris_csv")["version"]
    full = board.pin_read("iris_csv", version=first)
    setosa = board.pin_read("iris_csv", version=second)
    assert full.shape == (150, 5)
    assert setosa.shape == (50, 5)
    # no row-name column: R wrote the csv without row names
    assert list(full.columns) == list(setosa.columns)
    assert "Species" in full.columns and not any(c in ("", "Unnamed: 0") for c in full.columns)
    assert full["Species"].value_counts().to_dict() == {
        "setosa": 50,
        "versicolor": 50,
        "virginica": 50,
    }
    expected = full[full["Species"] == "setosa"].reset_index(drop=True)
    pd.testing.assert_frame_equal(setosa, expected)
    pd.testing.assert_frame_equal(board.pin_read("iris_csv"), setosa)
    # the user metadata R wrote says how many rows each version holds
    assert board.pin_meta("iris_csv", first).user["rows"] == len(full)
    assert board.pin_meta("iris_csv", second).user["rows"] == len(setosa)
    # the unversioned pin holds the first 3 rows of iris
    head = board.pin_read("iris_unversioned")
    pd.testing.assert_frame_equal(head, full.head(3))


def test_pinsr_airquality_json_and_rds(fixture_board: Copier) -> None:
    pytest.importorskip("rdata")
    board = _board(fixture_board, "pinsr_board")
    records = board.pin_read("airquality_json")
    frame = board.pin_read("airquality_rds")
    assert isinstance(records, list) and len(records) == 153
    assert isinstance(frame, pd.DataFrame) and frame.shape == (153, 6)
    columns = list(frame.columns)
    assert all(isinstance(r, dict) and set(r) <= set(columns) for r in records)
    # missing values are absent keys in the json, NA in the rds
    assert any(set(r) != set(columns) for r in records)
    assert frame.isna().any().any()
    for i, record in enumerate(records):
        row = frame.iloc[i]
        present = {c: row[c] for c in columns if not _missing(row[c])}
        assert set(record) == set(present), i
        for column, value in present.items():
            assert record[column] == pytest.approx(float(value)), (i, column)
    assert "_row" not in columns and all("_row" not in r for r in records)


def test_pinsr_settings_and_notes(fixture_board: Copier) -> None:
    board = _board(fixture_board, "pinsr_board")
    assert board.pin_read("settings") == {
        "alpha": 0.05,
        "methods": ["lm", "glm"],
        "nested": {"a": 1, "b": "x"},
    }
    meta = board.pin_meta("notes_file")
    (path,) = board.pin_download("notes_file")
    assert Path(path).name == meta.file  # R's temporary file name is kept
    assert Path(path).stat().st_size == meta.file_size
    assert len(Path(path).read_text(encoding="utf-8").splitlines()) == 2
    with pytest.raises(PinsTypeError, match="pin_download"):
        board.pin_read("notes_file")


# ---------------------------------------------------------------------- hashes
@pytest.mark.parametrize("board_name", BOARDS)
def test_recorded_hashes_are_the_files_xxh64(board_name: str) -> None:
    for name, versions in _raw(board_name).items():
        for version, data in versions.items():
            path = FIXTURES / board_name / name / version / data["file"]
            content = path.read_bytes()
            assert xxhash.xxh64(content).hexdigest() == data["pin_hash"], (name, version)
            assert len(content) == data["file_size"], (name, version)


@pytest.mark.parametrize("board_name", BOARDS)
def test_read_with_hash(fixture_board: Copier, board_name: str) -> None:
    board = _board(fixture_board, board_name, allow_pickle_read=True)
    for name, versions in _raw(board_name).items():
        for version, data in versions.items():
            full, pin_type = data["pin_hash"], data["type"]
            plain = (
                board.pin_download(name, version=version)
                if pin_type == "file"
                else board.pin_read(name, version=version)
            )
            for given in (full, full[:5], full.upper()):
                got = _read_checked(board, name, version, pin_type, given)
                if isinstance(plain, pd.DataFrame):
                    pd.testing.assert_frame_equal(got, plain)
                else:
                    assert got == plain, (name, version, given)
            for bad in (_wrong(full), _wrong(full)[:5]):
                with pytest.raises(PinsHashError):
                    _read_checked(board, name, version, pin_type, bad)


@pytest.mark.parametrize(
    ("board_name", "name"),
    [
        ("pinspy_board", "penguins_csv"),
        ("pinspy_board", "cfg_json"),
        ("pinspy_board", "raw_file"),
        ("pinsr_board", "airquality_rds"),
        ("pinsr_board", "notes_file"),
    ],
)
def test_read_with_hash_detects_changed_bytes(
    fixture_board: Copier, board_name: str, name: str
) -> None:
    root = fixture_board(board_name)
    board = pins.board_folder(root)
    meta = board.pin_meta(name)
    assert meta.version is not None
    path = root / name / meta.version.version / meta.file_names[0]
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01  # same size, one bit flipped
    path.write_bytes(bytes(content))
    for given in (meta.pin_hash, meta.pin_hash[:5]):
        with pytest.raises(PinsHashError):
            _read_checked(board, name, meta.version.version, meta.type, given)
