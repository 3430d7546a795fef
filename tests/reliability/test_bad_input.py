"""Hostile or broken input gets a PinsError, never a raw exception: the cases an
attack on the library found, one by one (the fuzzing is in test_fuzz.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import pins
from pins.errors import (
    PinsArgumentTypeError,
    PinsMetadataError,
    PinsNameError,
    PinsRemoteError,
    PinsStorageError,
    PinsTypeError,
)
from pins.testing import ConnectServer

from ..moto_s3 import moto_s3
from ..servers import s3_test_credentials

LONG = "a" * 256  # one byte over what file systems hold in a name


@pytest.fixture
def board(tmp_path: Path) -> pins.boards.FolderBoard:
    return pins.board_folder(tmp_path / "board", allow_pickle_read=True)


def _data_txt(board: pins.boards.FolderBoard, name: str) -> Path:
    meta = board.pin_meta(name)
    assert meta.version is not None
    return board.path / name / meta.version.version / "data.txt"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("file_size", ".inf"),
        ("file_size", ".nan"),
        ("file_size", "-.inf"),
        ("file_size", "9" * 5000),  # an integer Python refuses to read from text
        ("api_version", "9" * 400),  # too large for a float
        ("api_version", ".nan"),
        ("created", "2024-02-30"),  # a YAML date that does not exist
        ("user", "{n: " + "1" * 5000 + "}"),
        ("file", "[" + repr(LONG) + "]"),
        ("file", '"\\ud800.json"'),  # a lone surrogate, escaped in YAML
    ],
)
def test_malformed_data_txt_fields(board: pins.boards.FolderBoard, field: str, value: str) -> None:
    board.pin_write({"a": 1}, "p", type="json")
    path = _data_txt(board, "p")
    lines = [
        f"{field}: {value}" if line.startswith(f"{field}:") else line
        for line in path.read_text().splitlines()
    ]
    path.write_text("\n".join(lines) + "\n")
    for call in (
        lambda: board.pin_read("p"),
        lambda: board.pin_meta("p"),
        lambda: board.pin_download("p"),
    ):
        with pytest.raises(PinsMetadataError):
            call()
    assert board.pin_search().empty  # skipped, not raised
    assert board.pin_list() == ["p"]


@pytest.mark.parametrize(
    "call",
    [
        lambda b: b.pin_write({"a": 1}, LONG),
        lambda b: b.pin_read(LONG),
        lambda b: b.pin_exists(LONG),
        lambda b: b.pin_read("p", version="20240101T000000Z-" + "a" * 250),
        lambda b: b.pin_version_delete("p", "v" * 300),
        lambda b: b.pin_write({"a": 1}, "a\ud800"),
        lambda b: b.pin_read("a\udcff"),
        lambda b: b.pin_delete(["p", "\ud800"]),
    ],
    ids=[
        "write-long",
        "read-long",
        "exists-long",
        "version-long",
        "delete-version-long",
        "write-surrogate",
        "read-surrogate",
        "delete-surrogate",
    ],
)
def test_names_too_long_or_not_utf8(board: pins.boards.FolderBoard, call: object) -> None:
    board.pin_write({"a": 1}, "p")
    with pytest.raises(PinsNameError):
        call(board)  # type: ignore[operator]
    assert board.pin_read("p") == {"a": 1}  # nothing lost


@pytest.mark.parametrize(
    "options",
    [
        {"metadata": {"k": "\ud800"}},
        {"metadata": {"\udcff": 1}},
        {"metadata": {"deep": [{"k": "ok\udfff"}]}},
        {"title": "bad \ud800 title"},
        {"description": "\udc80"},
        {"tags": ["ok", "\ud800"]},
        {"urls": ["https://x/\ud800"]},
    ],
)
def test_surrogates_in_metadata(board: pins.boards.FolderBoard, options: dict[str, object]) -> None:
    with pytest.raises(PinsMetadataError):
        board.pin_write({"a": 1}, "p", **options)  # type: ignore[arg-type]
    assert board.pin_list() == []  # nothing written


def _nested(depth: int) -> dict[str, object]:
    top: dict[str, object] = {}
    inner = top
    for _ in range(depth):
        inner["k"] = inner = {}
    return top


@pytest.mark.parametrize(
    "options",
    [
        {"metadata": _nested(600)},
        {"metadata": {"n": 10**5000}},
        {"metadata": {10**5000: 1}},
        {"tags": False},
        {"urls": 3},
    ],
    ids=["deep", "huge-int", "huge-int-key", "tags-bool", "urls-int"],
)
def test_metadata_that_cannot_be_written(
    board: pins.boards.FolderBoard, options: dict[str, object]
) -> None:
    with pytest.raises(PinsMetadataError):
        board.pin_write({"a": 1}, "p", **options)  # type: ignore[arg-type]
    assert board.pin_list() == []


def test_a_data_txt_nested_too_deep(board: pins.boards.FolderBoard) -> None:
    board.pin_write({"a": 1}, "p", metadata=_nested(100))  # deep, but read back
    assert board.pin_meta("p").user == _nested(100)
    path = _data_txt(board, "p")
    head = path.read_text().split("user:")[0]
    path.write_text(head + "user: {k: " + "[" * 600 + "]" * 600 + "}\n")
    with pytest.raises(PinsMetadataError, match="levels deep"):
        board.pin_meta("p")


def test_surrogates_on_connect(tmp_path: Path) -> None:
    with ConnectServer(users=["susan:publisher"]) as server:
        board = pins.board_connect(server.url, api_key=server.api_key("susan"), cache=tmp_path)
        with pytest.raises(PinsNameError):
            board.pin_write({"a": 1}, "sus\ud800an/data")
        with pytest.raises(PinsNameError):
            board.pin_read("\udcff/data")
        with pytest.raises(PinsMetadataError):
            board.pin_write({"a": 1}, "data", metadata={"k": "\ud800"})
        with pytest.raises(PinsMetadataError):
            board.pin_write({"a": 1}, "data", title="\ud800")
        assert board.pin_list() == []


@pytest.mark.parametrize("names", [None, 1, 2.5, object()])
def test_pin_delete_of_what_is_not_a_name(board: pins.boards.FolderBoard, names: object) -> None:
    board.pin_write({"a": 1}, "p")
    with pytest.raises(PinsArgumentTypeError):
        board.pin_delete(names)  # type: ignore[arg-type]
    with pytest.raises(TypeError):  # as before, for scripts that catch that
        board.pin_delete(names)  # type: ignore[arg-type]
    assert board.pin_list() == ["p"]


@pytest.mark.parametrize("wrong", [12345, b"abcde", ["abcde"], 1.5])
def test_hash_that_is_not_a_string(board: pins.boards.FolderBoard, wrong: object) -> None:
    board.pin_write({"a": 1}, "p")
    for read in (board.pin_read, board.pin_download):
        with pytest.raises(PinsArgumentTypeError, match="hash must be a string"):
            read("p", hash=wrong)  # type: ignore[arg-type]


def test_a_board_at_a_file_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a board")
    with pytest.raises(PinsStorageError, match="not a folder"):
        pins.board_folder(blocker).pin_list()
    with pytest.raises(PinsStorageError, match="not a folder"):
        pins.board_folder(blocker).pin_search()
    assert pins.board_folder(tmp_path / "not-yet").pin_list() == []  # created on a write


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    s3_test_credentials(monkeypatch)
    with moto_s3("there-bucket") as endpoint:
        yield endpoint


def test_a_bucket_that_does_not_exist_says_so(s3_endpoint: str) -> None:
    missing = pins.board_s3("no-such-bucket/x", endpoint_url=s3_endpoint, cache=None)
    for call in (missing.pin_list, lambda: missing.pin_exists("p"), lambda: missing.pin_read("p")):
        with pytest.raises(PinsRemoteError, match=r"bucket .*does not exist"):
            call()
    there = pins.board_s3("there-bucket/not-yet", endpoint_url=s3_endpoint, cache=None)
    assert there.pin_list() == []  # an empty folder of a bucket is an empty board


# ---------------------------------------------------------------------- wrong files
def _frame() -> object:
    import pandas as pd

    return pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})


@pytest.mark.parametrize(
    ("kind", "obj", "garbage"),
    [
        ("json", {"a": 1}, b"{not json"),
        ("json", {"a": 1}, b"\xff\xfe\x00 binary"),
        ("parquet", "frame", b"PAR1 but not parquet at all"),
        ("parquet", "frame", b""),
        ("arrow", "frame", b"ARROW1\x00\x00garbage"),
        ("csv", "frame", b'"unterminated,\n1,2,3,4\n'),
        ("joblib", {"a": 1}, b"\x80\x04not a pickle"),
    ],
    ids=["json", "json-binary", "parquet", "parquet-empty", "arrow", "csv", "joblib"],
)
def test_a_file_that_does_not_hold_its_type(
    board: pins.boards.FolderBoard, kind: str, obj: object, garbage: bytes
) -> None:
    meta = board.pin_write(_frame() if obj == "frame" else obj, "p", type=kind)
    assert meta.version is not None
    (board.path / "p" / meta.version.version / meta.file_names[0]).write_bytes(garbage)
    with pytest.raises(PinsTypeError, match="cannot be read as type") as info:
        board.pin_read("p")
    assert info.value.__cause__ is not None  # the library's own error, chained


def test_an_rds_file_that_is_not_rds(board: pins.boards.FolderBoard) -> None:
    pytest.importorskip("rdata")
    meta = board.pin_write({"a": 1}, "p", type="json")
    assert meta.version is not None
    folder = board.path / "p" / meta.version.version
    (folder / "p.json").rename(folder / "p.rds")
    text = (folder / "data.txt").read_text()
    (folder / "data.txt").write_text(text.replace("p.json", "p.rds").replace("json", "rds"))
    with pytest.raises(PinsTypeError, match="cannot be read as type 'rds'"):
        board.pin_read("p")


def test_a_data_txt_whose_type_is_not_its_file(board: pins.boards.FolderBoard) -> None:
    meta = board.pin_write({"a": 1}, "p", type="json")
    path = _data_txt(board, "p")
    path.write_text(path.read_text().replace("type: json", "type: parquet"))
    with pytest.raises(PinsTypeError):
        board.pin_read("p")
    assert board.pin_meta("p").pin_hash == meta.pin_hash  # the metadata still reads
