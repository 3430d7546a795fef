"""Property-based fuzzing: every input either works or raises a PinsError.

* data.txt: mappings of the known fields (and others) holding any YAML value (huge
  integers, infinities, NaN, dates that do not exist, lone surrogates escaped, deep
  nesting), valid data.txt files with bytes flipped, cut or inserted, and bytes at
  random; read through every reading call of a folder board.
* names and versions: any text, written, read, listed and deleted.
* metadata: any Python value given as ``metadata``, ``title``, ``tags``: written and
  read back as plain YAML, or refused.

The examples are drawn the same way on every run (``derandomize``), so a failure
repeats; set ``PINS_FUZZ_EXAMPLES`` to draw more. Each test prints how many it ran.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import pins  # noqa: E402
from pins.errors import PinsError  # noqa: E402

EXAMPLES = int(os.environ.get("PINS_FUZZ_EXAMPLES", "500"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VERSION = "20240115T120000Z-e1e67"
VALID = (
    b"file: p.json\nfile_size: 8\npin_hash: e1e67a0b1e4ec7b3\ntype: json\ntitle: 'p: a pin'\n"
    b"description: null\ncreated: 20240115T120000Z\napi_version: 1.0\nuser: {}\n"
)
FIELDS = ["file", "file_size", "pin_hash", "type", "title", "description", "tags", "urls"]
FIELDS += ["created", "api_version", "user", "path", "name", "version"]

#: Any character, lone surrogates included (hypothesis leaves those out of text).
characters = st.one_of(st.characters(), st.sampled_from(["\ud800", "\udcff", "\udfff", "\x00"]))
text = st.lists(characters, max_size=20).map("".join)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([4400, 5000, -5000, 64]).map(lambda e: 10 ** abs(e) * (1 if e > 0 else -1)),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
    st.sampled_from(["p.json", "json", "parquet", "file", "table", "../x", "/etc/passwd"]),
    st.datetimes(timezones=st.sampled_from([None, timezone.utc])),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(text, st.integers()), inner)
    ),
    max_leaves=12,
)
documents = st.dictionaries(st.one_of(st.sampled_from(FIELDS), text), values, max_size=12)


def _yaml(document: dict[Any, Any]) -> bytes | None:
    try:
        return yaml.safe_dump(document, allow_unicode=False).encode("utf-8")
    except (yaml.YAMLError, UnicodeError, ValueError, RecursionError):
        return None


#: Values that have broken readers: non-finite and huge numbers, paths, odd text.
EDGES = [math.inf, -math.inf, math.nan, -1, 2**64, 1.5, True, None, "", "../x", "/etc"]
EDGES += ["\ud800", "\x00", "2024-02-30", [], {}, [None], [1, "a"], {"a": [math.nan]}]
edges = st.one_of(
    st.sampled_from(EDGES),
    st.sampled_from([4400, -5000]).map(lambda e: 10 ** abs(e) * (1 if e > 0 else -1)),
    st.dates(),
)


@st.composite
def changed_fields(draw: st.DrawFn) -> bytes | None:
    """A valid data.txt with one to three fields given other values (or removed)."""
    document = yaml.safe_load(VALID)
    for key in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3)):
        if draw(st.integers(0, 4)) == 0 and key in document:
            del document[key]
        else:
            document[key] = draw(st.one_of(edges, edges, values))
    return _yaml(document)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip" and data:
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif action == "cut":
            del data[where : where + draw(st.integers(1, 8))]
        elif action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[where:]
    return bytes(data)


fields_changed = changed_fields().filter(lambda b: b is not None)
data_txts = st.one_of(
    fields_changed,  # the half of the cases that reaches every check of data.txt
    fields_changed,
    fields_changed,
    fields_changed,
    documents.map(_yaml).filter(lambda b: b is not None),
    mutated(),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


def _works_or_pins_error(*calls: Callable[[], object]) -> None:
    for call in calls:
        with contextlib.suppress(PinsError):
            call()


@pytest.fixture
def board(tmp_path: Path) -> pins.boards.FolderBoard:
    board = pins.board_folder(tmp_path / "board", allow_pickle_read=True)
    folder = board.path / "p" / VERSION
    folder.mkdir(parents=True)
    (folder / "p.json").write_bytes(b'{"a": 1}')
    return board


def test_fuzzed_data_txt_is_read_or_refused(board: pins.boards.FolderBoard) -> None:
    seen = []
    meta_file = board.path / "p" / VERSION / "data.txt"

    @FUZZ
    @given(data=data_txts)
    def check(data: bytes) -> None:
        seen.append(data)
        meta_file.write_bytes(data)
        _works_or_pins_error(
            lambda: board.pin_meta("p"),
            lambda: board.pin_read("p"),
            lambda: board.pin_download("p"),
            lambda: board.pin_read("p", hash="e1e67"),
            lambda: board.pin_versions("p"),
            lambda: board.pin_search("p"),
            lambda: board.pin_fetch("p"),
        )
        assert board.pin_list() == ["p"]  # a bad data.txt never breaks the listing

    check()
    print(f"\ndata.txt: {len(seen)} fuzz cases")


def test_fuzzed_names_and_versions_work_or_are_refused(board: pins.boards.FolderBoard) -> None:
    seen = []

    long_text = st.lists(characters, min_size=100, max_size=300).map("".join)

    @FUZZ
    @given(name=st.one_of(text, long_text), version=st.one_of(text, long_text))
    def check(name: str, version: str) -> None:
        seen.append(name)
        try:
            board.pin_write({"name": name}, name)
        except PinsError:
            pass
        else:
            assert board.pin_read(name) == {"name": name}
            assert board.pin_exists(name) and name in board.pin_list()
        _works_or_pins_error(
            lambda: board.pin_read(name),
            lambda: board.pin_exists(name),
            lambda: board.pin_meta("p", version),
            lambda: board.pin_read("p", version=version),
            lambda: board.pin_version_delete(name, version),
            lambda: board.pin_versions(name),
            lambda: board.pin_delete(name),
        )

    check()
    print(f"\nnames and versions: {len(seen)} fuzz cases")


python_values = st.recursive(
    st.one_of(
        scalars,
        st.binary(max_size=5),
        st.just(object()),
        st.sets(st.integers(), max_size=3),
        st.tuples(st.integers(), text),
        st.sampled_from([math.nan, math.inf, datetime(1, 1, 1), date(9999, 12, 31)]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(text, st.integers(), st.none()), inner, max_size=3),
    ),
    max_leaves=10,
)


def test_fuzzed_metadata_is_written_plain_or_refused(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path / "board")
    seen = []

    @FUZZ
    @given(metadata=python_values, title=st.one_of(st.none(), text), tags=python_values)
    def check(metadata: Any, title: str | None, tags: Any) -> None:
        seen.append(metadata)
        try:
            meta = board.pin_write({"n": len(seen)}, "m", metadata=metadata, title=title, tags=tags)
        except PinsError:
            return
        back = board.pin_meta("m")
        assert back.pin_hash == meta.pin_hash
        assert yaml.safe_load(back.to_yaml())["user"] == back.to_pin_dict()["user"]

    check()
    print(f"\nmetadata: {len(seen)} fuzz cases")
