"""Interoperability with pins-python 0.9.2 running in its own virtual environment.

(a) We write a board (every type, several versions, user metadata, tags and urls) and
    pins-python reads every pin and version of it.
(b) pins-python writes a board during the test and we read every pin and version of it.

Each test launches pins-python once or twice: a launch costs a second or two of imports.
Values cross the process boundary as JSON; both sides describe what they hold with the
same ``describe`` code (``DESCRIBE_SRC``), so like is compared with like.
"""

from __future__ import annotations

import json
import textwrap
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import xxhash

import pins
from pins.boards.folder import FolderBoard
from pins.errors import PinsMetadataError, PinsTypeError
from pins.hashing import hash_files
from pins.names import format_created

from ..pinspy import PinsPy

pytestmark = pytest.mark.interop

# Turns what a pin holds into JSON; run here and inside pins-python's interpreter.
DESCRIBE_SRC = '''
import math


def _plain(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    kind = type(value).__module__.split(".")[0]
    if kind in ("numpy", "pandas"):
        if type(value).__name__ in ("NAType", "NaTType"):
            return None
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if hasattr(value, "item"):
            return _plain(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def describe(obj, pin_type):
    """A JSON description of a pin's content, for comparison across processes."""
    if type(obj).__name__ == "DataFrame":
        return {
            "kind": "frame",
            "columns": [str(c) for c in obj.columns],
            "dtype_kinds": {str(c): t.kind for c, t in obj.dtypes.items()},
            "records": [
                [_plain(v) for v in row] for row in obj.itertuples(index=False, name=None)
            ],
        }
    if pin_type == "joblib":
        return {"kind": "repr", "repr": repr(obj)}
    return {"kind": "value", "value": obj}


def json_default(value):
    """Dates and datetimes (from YAML metadata) as ISO 8601 text."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def describe_files(paths):
    from pathlib import Path

    return {
        "kind": "files",
        "files": {Path(p).name: Path(p).read_bytes().hex() for p in paths},
    }
'''
_ns: dict[str, Any] = {}
exec(DESCRIBE_SRC, _ns)
describe = _ns["describe"]
describe_files = _ns["describe_files"]

# What pins-python reads from a board: every pin, version, its meta and its content.
READ_ALL_SRC = """
import json, os, shutil
import pins

def meta_dict(meta):
    d = meta.to_dict()
    d.pop("local", None)
    d["version"] = meta.version.version
    d["urls"] = getattr(meta, "urls", None)
    return d

def read_all(board):
    out = {"pin_list": board.pin_list(), "pins": {}}
    for name in out["pin_list"]:
        frame = board.pin_versions(name)
        entry = {
            "versions": list(frame["version"]),
            "hashes": list(frame["hash"]),
            "created": [c.strftime("%Y%m%dT%H%M%SZ") for c in frame["created"]],
            "latest": meta_dict(board.pin_meta(name)),
            "by_version": {},
        }
        for version in entry["versions"]:
            meta = board.pin_meta(name, version)
            if meta.type == "file":
                content = describe_files(board.pin_download(name, version=version))
            else:
                content = describe(board.pin_read(name, version=version), meta.type)
            entry["by_version"][version] = {"meta": meta_dict(meta), "content": content}
        if entry["latest"]["type"] != "file":
            entry["latest_content"] = describe(board.pin_read(name), entry["latest"]["type"])
        out["pins"][name] = entry
    return out
"""


def _run(pinspy: PinsPy, body: str, **env: str) -> Any:
    return pinspy.run(DESCRIBE_SRC + READ_ALL_SRC + textwrap.dedent(body), env=env)


def _jsonable(value: Any) -> Any:
    """What a value looks like after a JSON round trip (dates as ISO strings)."""
    return json.loads(json.dumps(value, default=_ns["json_default"]))


USER_PLAIN = {
    "owner": "Zoë Ångström",
    "nested": {"list": [1, 2.5, "três", None, True], "deeper": {"k": "v", "n": -3}},
    "empty_list": [],
    "empty_dict": {},
    "when": date(2024, 1, 15),
    "at": datetime(2024, 1, 15, 10, 30, 5, tzinfo=timezone.utc),
    "naive_at": datetime(2024, 1, 15, 10, 30),
    "ratio": 0.1,
    "big": 2**40,
    "flag": False,
    "nothing": None,
    "multi\nline": "line 1\nline 2",
}
# what the numpy scalars and the tuple in the metadata we write must become
USER_CONVERTED = {**USER_PLAIN, "np_int": 7, "np_float": 0.5, "pair": [1, "a"]}


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "x": [0.5, float("nan"), -1.25, 1e10],
            "label": ["a", None, "café ✓", "d,with comma"],
            "flag": [True, False, True, False],
        }
    )


def _rich_frame() -> pd.DataFrame:
    """Types that parquet and arrow keep (csv would not): datetimes, nullable ints."""
    frame = _frame()
    frame["when"] = pd.to_datetime(
        ["2024-01-01 00:00", "2024-02-29 12:30", None, "1999-12-31 23:59"]
    )
    frame["count"] = pd.array([1, None, 3, 4], dtype="Int64")
    return frame


# ---------------------------------------------------------------------- (a) we write
def _write_our_board(root: Path, upload_dir: Path) -> dict[str, list[pins.Meta]]:
    """Write a board with every type; return the metas of the versions we expect kept."""
    board = pins.board_folder(root)
    written: dict[str, list[pins.Meta]] = {}
    contents: dict[str, list[Any]] = {}

    def keep(name: str, meta: pins.Meta, content: Any) -> None:
        written.setdefault(name, []).append(meta)
        contents.setdefault(name, []).append(content)

    user = {
        **USER_PLAIN,
        "np_int": np.int64(7),
        "np_float": np.float64(0.5),
        "pair": (1, "a"),
    }
    frame, rich = _frame(), _rich_frame()
    keep(
        "frame_csv",
        board.pin_write(
            frame,
            "frame_csv",
            type="csv",
            title="A frame as csv",
            description="Four rows; a NaN, a missing string, non-ASCII text.",
            metadata=user,
            tags=["csv", "tabular", "ünïcode"],
            urls=["https://example.com/frame", "https://example.com/ünï"],
        ),
        frame,
    )
    keep("frame_parquet", board.pin_write(rich, "frame_parquet", type="parquet"), rich)
    keep("frame_arrow", board.pin_write(rich, "frame_arrow", type="arrow", tags=[]), rich)
    config = {"name": "démo", "layers": [16, 8, 1], "nested": {"lr": 0.001, "note": None}}
    keep("cfg", board.pin_write(config, "cfg", type="json", metadata={"kind": "config"}), config)
    model = {"coef": [0.25, -1.5], "pair": (1, "b"), "labels": {3, 1, 2}, "bias": 0.125}
    keep("model", board.pin_write(model, "model", type="joblib", title="A pickled dict"), model)

    notes = upload_dir / "notes.txt"
    notes.write_text("first line\nsecond: naïve ✓\n", encoding="utf-8")
    keep("notes", board.pin_upload(notes, "notes", title="Uploaded notes"), [notes])
    part_a, part_b = upload_dir / "part_a.csv", upload_dir / "part_b.bin"
    part_a.write_text("a,b\n1,2\n", encoding="utf-8")
    part_b.write_bytes(bytes(range(256)))
    keep(
        "bundle",
        board.pin_upload(
            [part_a, part_b], "bundle", description="Two files", metadata={"n_files": 2}
        ),
        [part_a, part_b],
    )

    for step in range(3):
        series = {"step": step, "values": list(range(step + 1))}
        keep(
            "series",
            board.pin_write(
                series,
                "series",
                type="json",
                title=f"Series, step {step}",
                metadata={"step": step, "tags_in_user": ["x"] * step},
                created=datetime(2024, 1, 15 + step, 9, 30, tzinfo=timezone.utc),
            ),
            series,
        )
    # an unversioned pin, written twice: only the second version stays; the same
    # content a third time adds nothing
    board.pin_write({"v": 1}, "single", type="json", versioned=False)
    keep("single", board.pin_write({"v": 2}, "single", type="json", versioned=False), {"v": 2})
    board.pin_write({"v": 2}, "single", type="json", versioned=False)
    # a non-ASCII pin name
    keep("données_été", board.pin_write({"é": "ü"}, "données_été", type="json"), {"é": "ü"})
    # types chosen by us: a frame, a dict; `feather` writes arrow; a pyarrow Table
    keep("inferred_frame", board.pin_write(frame, "inferred_frame"), frame)
    keep("inferred_dict", board.pin_write(config, "inferred_dict"), config)
    with pytest.warns(DeprecationWarning):  # as pins-python warns
        keep("frame_feather", board.pin_write(rich, "frame_feather", type="feather"), rich)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    keep("table_parquet", board.pin_write(table, "table_parquet", type="parquet"), frame)
    try:
        import polars as pl
    except ImportError:  # an optional dependency
        pass
    else:
        frame_pl = pl.DataFrame(
            {"id": [1, 2, None], "label": ["a", None, "é"], "x": [0.5, None, 1.0]}
        )
        for pin_type in ("csv", "parquet", "arrow"):
            name = f"polars_{pin_type}"
            keep(name, board.pin_write(frame_pl, name, type=pin_type), frame_pl.to_pandas())
    written["_contents"] = contents  # type: ignore[assignment]
    return written


def _expected_meta(meta: pins.Meta) -> dict[str, Any]:
    """The data.txt fields of one of our versions, as pins-python should report them."""
    assert meta.version is not None
    return {
        "name": meta.name,
        "version": meta.version.version,
        "title": meta.title,
        "description": meta.description,
        "created": meta.to_pin_dict()["created"],
        "pin_hash": meta.pin_hash,
        "file": meta.file,
        "file_size": meta.file_size,
        "type": meta.type,
        "api_version": 1,
        "tags": meta.tags,
        "urls": meta.urls,
        "user": _jsonable(meta.user),
    }


def _expected_content(pin_type: str, content: Any) -> Any:
    if pin_type == "file":
        return _jsonable(describe_files(content))
    return _jsonable(describe(content, pin_type))


@pytest.mark.interop
def test_pinspy_reads_the_board_we_write(pinspy: PinsPy, tmp_path: Path) -> None:
    root, uploads = tmp_path / "ours", tmp_path / "uploads"
    uploads.mkdir()
    written = _write_our_board(root, uploads)
    contents: dict[str, list[Any]] = written.pop("_contents")  # type: ignore[assignment]
    assert len(pins.board_folder(root).pin_versions("single")) == 1

    pruned = tmp_path / "pruned"
    got = _run(
        pinspy,
        """
        board = pins.board_folder(os.environ["BOARD"], allow_pickle_read=True)
        result = read_all(board)
        result["search_all"] = [m.name for m in board.pin_search(as_df=False)]
        found = board.pin_search("frame")
        result["search_frame"] = {"names": list(found["name"]), "titles": list(found["title"])}
        result["search_title"] = list(board.pin_search("Series, step 2")["name"])
        shutil.copytree(os.environ["BOARD"], os.environ["PRUNED"])
        copy = pins.board_folder(os.environ["PRUNED"])
        copy.pin_versions_prune("series", n=1)
        result["pruned_versions"] = list(copy.pin_versions("series")["version"])
        print(json.dumps(result, default=json_default))
        """,
        BOARD=str(root),
        PRUNED=str(pruned),
    )

    names = sorted(written)
    assert sorted(got["pin_list"]) == names  # pins-python lists in directory order
    assert sorted(got["search_all"]) == names
    found = dict(zip(got["search_frame"]["names"], got["search_frame"]["titles"], strict=True))
    # pins-python matches its pattern case-sensitively against the name and the title
    assert found == {
        n: written[n][-1].title
        for n in names
        if "frame" in n or "frame" in (written[n][-1].title or "")
    }
    assert {"frame_csv", "inferred_frame", "frame_feather"} <= set(found)
    assert got["search_title"] == ["series"]

    for name in names:
        metas, entry = written[name], got["pins"][name]
        ids = [m.version.version for m in metas if m.version is not None]
        assert entry["versions"] == ids, name
        assert entry["hashes"] == [m.pin_hash[:5] for m in metas], name
        assert entry["created"] == [m.to_pin_dict()["created"] for m in metas], name
        assert entry["latest"] == _expected_meta(metas[-1]), name
        for meta, content in zip(metas, contents[name], strict=True):
            assert meta.version is not None
            seen = entry["by_version"][meta.version.version]
            assert seen["meta"] == _expected_meta(meta), (name, meta.version.version)
            expected = _expected_content(meta.type, content)
            if name.startswith("polars_"):  # dtypes depend on the polars conversion
                expected.pop("dtype_kinds")
                seen["content"].pop("dtype_kinds")
            assert seen["content"] == expected, name
        if metas[-1].type != "file" and not name.startswith("polars_"):
            assert entry["latest_content"] == _expected_content(metas[-1].type, contents[name][-1])

    # what we asked for, independently of the metas our pin_write returned
    csv_meta = got["pins"]["frame_csv"]["latest"]
    assert csv_meta["title"] == "A frame as csv"
    assert csv_meta["description"] == "Four rows; a NaN, a missing string, non-ASCII text."
    assert csv_meta["tags"] == ["csv", "tabular", "ünïcode"]
    assert csv_meta["urls"] == ["https://example.com/frame", "https://example.com/ünï"]
    assert csv_meta["user"] == _jsonable(USER_CONVERTED)
    assert got["pins"]["frame_arrow"]["latest"]["tags"] == []
    assert got["pins"]["frame_parquet"]["latest"]["title"] == (
        "frame_parquet: a pinned 4 x 6 DataFrame"
    )
    types = {name: got["pins"][name]["latest"]["type"] for name in names}
    assert types == {
        "bundle": "file",
        "cfg": "json",
        "données_été": "json",
        "frame_arrow": "arrow",
        "frame_csv": "csv",
        "frame_feather": "arrow",
        "frame_parquet": "parquet",
        "inferred_dict": "json",
        "inferred_frame": "parquet",
        "model": "joblib",
        "notes": "file",
        "series": "json",
        "single": "json",
        "table_parquet": "parquet",
        **{f"polars_{t}": t for t in ("csv", "parquet", "arrow") if f"polars_{t}" in names},
    }
    series = got["pins"]["series"]
    assert series["created"] == ["20240115T093000Z", "20240116T093000Z", "20240117T093000Z"]
    assert [series["by_version"][v]["meta"]["title"] for v in series["versions"]] == [
        f"Series, step {i}" for i in range(3)
    ]
    assert [series["by_version"][v]["meta"]["user"]["step"] for v in series["versions"]] == [
        0,
        1,
        2,
    ]
    for name in names:  # file names, sizes and hashes are the files' own
        for version, seen in got["pins"][name]["by_version"].items():
            meta = seen["meta"]
            folder = root / name / version
            files = meta["file"] if isinstance(meta["file"], list) else [meta["file"]]
            sizes = (
                meta["file_size"] if isinstance(meta["file_size"], list) else [meta["file_size"]]
            )
            assert sorted(p.name for p in folder.iterdir()) == sorted([*files, "data.txt"])
            assert sizes == [(folder / f).stat().st_size for f in files]
            digests = [xxhash.xxh64((folder / f).read_bytes()).hexdigest() for f in files]
            combined = (
                digests[0]
                if len(digests) == 1
                else xxhash.xxh64("".join(digests).encode()).hexdigest()
            )
            assert meta["pin_hash"] == combined, name
            assert version == f"{meta['created']}-{combined[:5]}"
    assert got["pins"]["notes"]["latest"]["file"] == "notes.txt"
    assert got["pins"]["bundle"]["latest"]["file"] == ["part_a.csv", "part_b.bin"]
    assert got["pins"]["single"]["by_version"][got["pins"]["single"]["versions"][0]]["content"] == {
        "kind": "value",
        "value": {"v": 2},
    }

    # what pins-python's prune left is still a board we read
    assert got["pruned_versions"] == [written["series"][-1].version.version]  # type: ignore[union-attr]
    copy = pins.board_folder(pruned)
    assert list(copy.pin_versions("series")["version"]) == got["pruned_versions"]
    assert copy.pin_read("series") == contents["series"][-1]
    assert copy.pin_list() == names


# ---------------------------------------------------------------------- (b) pins-python writes
PINSPY_WRITES = """
import datetime as dt
import pandas as pd

root, upload = os.environ["BOARD"], os.environ["UPLOAD"]
board = pins.board_folder(root, versioned=True, allow_pickle_read=True)
frame = pd.DataFrame({
    "id": [1, 2, 3],
    "x": [0.5, float("nan"), 2.25],
    "label": ["a", None, "été ✓"],
})
user = {"source": "pins-python", "nested": {"list": [1, "two", None], "ok": True}, "ünï": "ço"}
wrote = {}

def note(name, meta, content, pin_type):
    wrote.setdefault(name, []).append({
        "version": meta.version.version,
        "content": describe(content, pin_type) if pin_type != "file" else None,
    })

for pin_type in ("csv", "parquet", "arrow"):
    name = "py_" + pin_type
    meta = board.pin_write(frame, name, type=pin_type, title="Frame as " + pin_type,
                           description="written by pins-python", metadata=user)
    note(name, meta, frame, pin_type)
config = {"alpha": 0.05, "methods": ["lm", "glm"], "nested": {"a": 1, "b": None}}
note("py_json", board.pin_write(config, "py_json", type="json", metadata={"k": "v"}),
     config, "json")
model = {"coef": [1.5, -2.0], "pair": (1, 2), "name": "toy"}
note("py_joblib", board.pin_write(model, "py_joblib", type="joblib", title="A model"),
     model, "joblib")
for step in range(3):
    value = {"step": step}
    meta = board.pin_write(value, "py_series", type="json", title="step %d" % step,
                           metadata={"step": step},
                           created=dt.datetime(2024, 3, 1 + step, 8, 0, 0))
    note("py_series", meta, value, "json")
board.pin_write({"v": 1}, "py_single", type="json", versioned=False)
note("py_single", board.pin_write({"v": 2}, "py_single", type="json", versioned=False),
     {"v": 2}, "json")
note("py_données", board.pin_write([1, "ü"], "py_données", type="json"), [1, "ü"], "json")
meta = board.pin_upload(upload, "py_upload", title="An uploaded file",
                        description="pin_upload", metadata={"kind": "upload"})
note("py_upload", meta, None, "file")
meta = board.pin_upload([upload, os.environ["UPLOAD2"]], "py_upload2", title="Two files")
note("py_upload2", meta, None, "file")

result = read_all(board)
result["wrote"] = wrote
print(json.dumps(result, default=json_default))
"""


def _our_meta_dict(meta: pins.Meta) -> dict[str, Any]:
    expected = _expected_meta(meta)
    expected["urls"] = None  # pins-python writes no urls and never tags
    return expected


@pytest.mark.interop
def test_we_read_the_board_pinspy_writes(pinspy: PinsPy, tmp_path: Path) -> None:
    root, upload = tmp_path / "theirs", tmp_path / "upload.txt"
    upload.write_text("uploaded by pins-python\nnaïve ✓\n", encoding="utf-8")
    upload2 = tmp_path / "second.bin"
    upload2.write_bytes(bytes(range(255, -1, -1)) * 3)
    got = _run(pinspy, PINSPY_WRITES, BOARD=str(root), UPLOAD=str(upload), UPLOAD2=str(upload2))

    board = pins.board_folder(root, allow_pickle_read=True)
    names = sorted(got["wrote"])
    assert board.pin_list() == sorted(got["pin_list"]) == names
    assert len(got["pins"]["py_series"]["versions"]) == 3
    assert len(got["pins"]["py_single"]["versions"]) == 1

    for name in names:
        theirs = got["pins"][name]
        assert list(board.pin_versions(name)["version"]) == theirs["versions"], name
        assert [v["version"] for v in got["wrote"][name]] == theirs["versions"], name
        assert list(board.pin_versions(name)["hash"]) == theirs["hashes"], name
        for written in got["wrote"][name]:
            version = written["version"]
            meta = board.pin_meta(name, version)
            their_meta = theirs["by_version"][version]["meta"]
            ours = _our_meta_dict(meta)
            ours["tags"] = their_meta["tags"]  # pins-python's Meta says None or []
            assert ours == their_meta, (name, version)
            assert meta.tags in (None, [])

            path_list = board.pin_download(name, version=version, hash=meta.pin_hash)
            for path in path_list:
                assert Path(path).parent.name == version
            if len(path_list) == 1:
                assert xxhash.xxh64(Path(path_list[0]).read_bytes()).hexdigest() == meta.pin_hash

            if meta.type == "file":
                assert describe_files(path_list) == theirs["by_version"][version]["content"]
                with pytest.raises(PinsTypeError):
                    board.pin_read(name, version=version)
                continue
            value = board.pin_read(name, version=version, hash=meta.pin_hash[:5])
            assert _jsonable(describe(value, meta.type)) == written["content"], (name, version)
        latest = board.pin_meta(name)
        assert latest.version is not None
        assert latest.version.version == theirs["latest"]["version"]

    (path,) = board.pin_download("py_upload")
    assert Path(path).read_bytes() == upload.read_bytes()
    # several files: pins-python's pin_hash is xxh64 of the files' hex digests joined
    first, second = board.pin_download("py_upload2")
    assert (Path(first).read_bytes(), Path(second).read_bytes()) == (
        upload.read_bytes(),
        upload2.read_bytes(),
    )
    meta2 = board.pin_meta("py_upload2")
    assert meta2.file == [upload.name, upload2.name]
    assert meta2.file_size == [upload.stat().st_size, upload2.stat().st_size]
    digests = [xxhash.xxh64(p.read_bytes()).hexdigest() for p in (upload, upload2)]
    assert meta2.pin_hash == xxhash.xxh64("".join(digests).encode()).hexdigest()
    assert meta2.pin_hash == hash_files([first, second])[0]
    py_csv = board.pin_meta("py_csv")
    assert (py_csv.title, py_csv.description) == ("Frame as csv", "written by pins-python")
    assert py_csv.user == {
        "source": "pins-python",
        "nested": {"list": [1, "two", None], "ok": True},
        "ünï": "ço",
    }
    assert [
        format_created(board.pin_meta("py_series", v).created)  # type: ignore[arg-type]
        for v in got["pins"]["py_series"]["versions"]
    ] == [
        "20240301T080000Z",
        "20240302T080000Z",
        "20240303T080000Z",
    ]
    assert board.pin_meta("py_upload").user == {"kind": "upload"}
    assert board.pin_read("py_single") == {"v": 2}
    assert [
        board.pin_read("py_series", version=v)["step"] for v in got["pins"]["py_series"]["versions"]
    ] == [0, 1, 2]
    frame = board.pin_read("py_parquet")
    assert frame["x"].isna().tolist() == [False, True, False]
    assert frame["label"].isna().tolist() == [False, True, False]
    assert isinstance(board.pin_read("py_joblib")["pair"], tuple)


@pytest.mark.interop
def test_both_write_versions_of_one_pin(pinspy: PinsPy, tmp_path: Path) -> None:
    """pins-python writes a version, we add one, pins-python adds a third; both read all."""
    root = tmp_path / "shared"
    script = """
    board = pins.board_folder(os.environ["BOARD"], allow_pickle_read=True)
    if os.environ["STEP"] == "1":
        import datetime as dt
        board.pin_write({"by": "pins-python", "n": 1}, "mixed", type="json",
                        title="mixed", created=dt.datetime(2024, 5, 1, 12, 0, 0))
    else:
        board.pin_write({"by": "pins-python", "n": 3}, "mixed", type="json", title="mixed")
    print(json.dumps(read_all(board), default=json_default))
    """
    first = _run(pinspy, script, BOARD=str(root), STEP="1")
    assert first["pin_list"] == ["mixed"]

    board = pins.board_folder(root)
    ours = board.pin_write(
        {"by": "us", "n": 2},
        "mixed",
        type="json",
        title="mixed",
        metadata={"writer": "pins"},
        created=datetime(2024, 5, 2, 12, 0, tzinfo=timezone.utc),
    )
    assert ours.version is not None
    second = _run(pinspy, script, BOARD=str(root), STEP="3")
    versions = second["pins"]["mixed"]["versions"]
    assert len(versions) == 3
    assert versions[:2] == [first["pins"]["mixed"]["versions"][0], ours.version.version]
    values = [second["pins"]["mixed"]["by_version"][v]["content"]["value"] for v in versions]
    assert [v["n"] for v in values] == [1, 2, 3]
    assert second["pins"]["mixed"]["by_version"][versions[1]]["meta"]["user"] == {"writer": "pins"}
    assert list(board.pin_versions("mixed")["version"]) == versions
    assert [board.pin_read("mixed", version=v)["n"] for v in versions] == [1, 2, 3]
    assert board.pin_read("mixed") == {"by": "pins-python", "n": 3}


def test_describe_is_symmetric() -> None:
    """The shared description code gives JSON-able, NaN-free output for our frames."""
    out = _jsonable(describe(_rich_frame(), "parquet"))
    assert out["records"][1][1] is None and out["records"][2][4] is None
    assert out["dtype_kinds"]["when"] == "M"
    assert describe_files([]) == {"kind": "files", "files": {}}


@pytest.mark.interop
def test_pinspy_reads_the_latest_version_while_we_write(
    pinspy: PinsPy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stop our write after it has staged the new version but before it commits it: what
    pins-python reads then is the previous version, whole."""
    root = tmp_path / "board"
    board = pins.board_folder(root)
    first = board.pin_write({"n": 1}, "cfg", type="json", title="first")
    assert first.version is not None
    script = """
    board = pins.board_folder(os.environ["BOARD"])
    meta = board.pin_meta("cfg")
    print(json.dumps({
        "latest": meta.version.version,
        "title": meta.title,
        "value": board.pin_read("cfg"),
        "pin_list": board.pin_list(),
    }))
    """
    during: list[Any] = []
    commit = FolderBoard._store_version

    def paused(self: FolderBoard, name: str, staged: Path, version: str, meta: pins.Meta) -> str:
        assert staged.is_dir() and (staged / "data.txt").is_file()  # fully staged
        during.append(_run(pinspy, script, BOARD=str(root)))
        return commit(self, name, staged, version, meta)

    monkeypatch.setattr(FolderBoard, "_store_version", paused)
    second = board.pin_write({"n": 2}, "cfg", type="json", title="second")
    monkeypatch.undo()
    assert second.version is not None

    (seen,) = during
    assert seen == {
        "latest": first.version.version,
        "title": "first",
        "value": {"n": 1},
        "pin_list": ["cfg"],
    }
    after = _run(pinspy, script, BOARD=str(root))
    assert after == {
        "latest": second.version.version,
        "title": "second",
        "value": {"n": 2},
        "pin_list": ["cfg"],
    }


@pytest.mark.interop
def test_metadata_pinspy_cannot_write_safely(pinspy: PinsPy, tmp_path: Path) -> None:
    """pins-python writes numpy scalars in user metadata as ``!!python/...`` YAML tags,
    which no safe loader reads. We refuse that version with a clear error, keep reading
    the rest of the board, and skip it in searches."""
    root = tmp_path / "board"
    got = pinspy.run(
        """
        import json, os
        import numpy as np
        import pins
        board = pins.board_folder(os.environ["BOARD"])
        board.pin_write({"ok": True}, "good", type="json", title="good pin")
        board.pin_write({"ok": False}, "tagged", type="json", title="tagged pin",
                        metadata={"n": np.int64(3)})
        path = os.path.join(os.environ["BOARD"], "tagged")
        (version,) = os.listdir(path)
        with open(os.path.join(path, version, "data.txt"), encoding="utf-8") as f:
            text = f.read()
        print(json.dumps({"data_txt": text, "version": version}))
        """,
        env={"BOARD": str(root)},
    )
    assert "!!python" in got["data_txt"]

    board = pins.board_folder(root)
    assert board.pin_list() == ["good", "tagged"]
    assert board.pin_read("good") == {"ok": True}
    assert list(board.pin_versions("tagged")["version"]) == [got["version"]]
    with pytest.raises(PinsMetadataError, match="tagged"):
        board.pin_meta("tagged")
    with pytest.raises(PinsMetadataError):
        board.pin_read("tagged")
    assert [m.name for m in board.pin_search(as_df=False)] == ["good"]


@pytest.mark.interop
def test_our_write_sorts_after_a_pinspy_version_stamped_in_local_time(
    pinspy: PinsPy, tmp_path: Path
) -> None:
    """pins-python stamps versions with local time and a ``Z``; nine hours ahead of UTC
    its version looks like the future. Our next write must still become the latest, for
    pins-python too."""
    root = tmp_path / "board"
    script = """
    board = pins.board_folder(os.environ["BOARD"])
    if os.environ["STEP"] == "write":
        board.pin_write({"by": "pins-python"}, "tz", type="json", title="tz")
    latest = board.pin_meta("tz")
    print(json.dumps({
        "versions": [v.version for v in board.pin_versions("tz", as_df=False)],
        "latest": latest.version.version,
        "value": board.pin_read("tz"),
    }))
    """
    before = datetime.now(timezone.utc)
    theirs = _run(pinspy, script, BOARD=str(root), STEP="write", TZ="JST-9")
    (their_version,) = theirs["versions"]
    stamp = datetime.strptime(their_version[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert (stamp - before).total_seconds() > 8 * 3600  # the local-time bug, as documented

    board = pins.board_folder(root)
    ours = board.pin_write({"by": "us"}, "tz", type="json", title="tz")
    assert ours.version is not None
    assert list(board.pin_versions("tz")["version"]) == [their_version, ours.version.version]
    assert board.pin_read("tz") == {"by": "us"}

    seen = _run(pinspy, script, BOARD=str(root), STEP="read")
    assert seen == {
        "versions": [their_version, ours.version.version],
        "latest": ours.version.version,
        "value": {"by": "us"},
    }


@pytest.mark.interop
def test_pinspy_reads_the_versions_our_manifest_names(pinspy: PinsPy, tmp_path: Path) -> None:
    """Our ``_pins.yaml`` names version folders that pins-python's manual board (what its
    ``board_url`` builds) reads. Its ``board_url`` itself needs aiohttp for HTTP, which
    the pins-python environment does not have, so the board is given the local file system.
    """
    root = tmp_path / "board"
    board = pins.board_folder(root)
    frame = _frame()
    board.pin_write(frame, "frame", type="csv", title="frame")
    values = [{"n": 1}, {"n": 2, "é": "ü"}]
    for i, value in enumerate(values):
        board.pin_write(
            value, "cfg", type="json", created=datetime(2024, 6, 1 + i, tzinfo=timezone.utc)
        )
    manifest = board.write_board_manifest()
    assert manifest == {
        "cfg": [f"cfg/{v}/" for v in board.pin_versions("cfg")["version"]],
        "frame": [f"frame/{v}/" for v in board.pin_versions("frame")["version"]],
    }
    script = """
    import fsspec
    import yaml
    from pins.boards import BoardManual
    root = os.environ["BOARD"]
    with open(os.path.join(root, "_pins.yaml"), encoding="utf-8") as f:
        manifest = yaml.safe_load(f)
    paths = {name: versions[-1] for name, versions in manifest.items()}
    for name, versions in manifest.items():
        for i, path in enumerate(versions):
            paths[f"{name}__v{i}"] = path
    board = BoardManual(root, fsspec.filesystem("file"), versioned=False, pin_paths=paths)
    out = {"manifest": manifest, "pins": {}}
    for name in sorted(board.pin_list()):
        meta = board.pin_meta(name)
        out["pins"][name] = {
            "title": meta.title,
            "pin_hash": meta.pin_hash,
            "content": describe(board.pin_read(name), meta.type),
        }
    print(json.dumps(out, default=json_default))
    """
    got = _run(pinspy, script, BOARD=str(root))

    assert got["manifest"] == manifest
    metas = {n: board.pin_meta(n) for n in ("frame", "cfg")}
    assert got["pins"]["frame"]["content"] == _expected_content("csv", frame)
    assert got["pins"]["frame"]["pin_hash"] == metas["frame"].pin_hash
    assert got["pins"]["cfg"]["pin_hash"] == metas["cfg"].pin_hash
    assert got["pins"]["cfg"]["content"]["value"] == values[-1]
    assert [got["pins"][f"cfg__v{i}"]["content"]["value"] for i in range(2)] == values
