"""The board contract: tests that every board must pass, shipped for reuse.

Subclass :class:`BoardContract` in a test module and give it a ``board`` fixture that
returns a new, empty board; set the capability flags for what that board cannot do::

    class TestMyBoard(BoardContract):
        @pytest.fixture
        def board(self, tmp_path):
            return MyBoard(tmp_path)

The tests about tables (frame libraries, scans, streamed writes, file locations) are
in :class:`~pins.testing.contract_tables.TableContract`, which it includes.

Every test writes through the ``writer`` fixture and reads through ``board``. For a
writable board they are the same board. A read-only board (``board.read_only``, such as
a URL board) overrides ``writer`` with a board that publishes what it writes where the
read-only board reads it (a folder board served over HTTP, say): the contract then holds
for what the read-only board reads, and :meth:`BoardContract.test_read_only_refuses_writes`
checks that the board itself refuses every write.

Requires pytest, pandas and pyarrow.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, ClassVar

import pytest

from ..boards.base import Board
from ..errors import (
    PinNotFoundError,
    PinsError,
    PinsHashError,
    PinsInsecureReadError,
    PinsMetadataError,
    PinsNameError,
    PinsReadOnlyError,
    PinsTypeError,
    PinVersionNotFoundError,
)
from ..names import parse_version_name
from .contract_tables import TableContract

__all__ = ["BoardContract"]

BAD_NAMES = ["", ".", "..", "../x", "a/b", "a\\b", "_pins.yaml", "bad\x00name", "tab\tname"]


def _frame() -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "x": [1, 2, 3],
            "y": [0.5, float("nan"), 2.5],
            "s": ["a", "é", None],
        }
    )


class BoardContract(TableContract):
    """The semantics every board keeps (SPEC section 4)."""

    #: The board keeps user-chosen timestamps in its version ids (folder-like boards).
    version_ids_are_timestamps: ClassVar[bool] = True
    #: A version's age (for pruning by days) is its ``created`` (folder-like boards);
    #: Posit Connect dates a version by its upload.
    versions_dated_by_created: ClassVar[bool] = True

    # ---------------------------------------------------------------- capabilities
    def test_read_only_refuses_writes(self, board: Board, tmp_path: Path) -> None:
        """A read-only board refuses every write and delete before doing anything; a
        writable one takes them."""
        source = tmp_path / "ro.txt"
        source.write_text("x")
        if not board.read_only:
            assert board.pin_write([1], "ro_pin").name == self.qualify("ro_pin")
            return
        calls: list[Callable[[], object]] = [
            lambda: board.pin_write([1], "ro_pin"),
            lambda: board.pin_upload(source, "ro_file"),
            lambda: board.pin_delete("ro_pin"),
            lambda: board.pin_version_delete("ro_pin", "20240101T000000Z-abcde"),
            lambda: board.pin_versions_prune("ro_pin", n=1),
        ]
        for call in calls:
            with pytest.raises(PinsReadOnlyError, match="read-only"):
                call()

    # ---------------------------------------------------------------- round trips
    def test_write_read_frame_default_type(self, board: Board, writer: Board) -> None:
        import pandas as pd

        df = _frame()
        meta = writer.pin_write(df, "frame")
        assert meta.type == "parquet"
        assert meta.name == self.qualify("frame")
        assert meta.title == "frame: a pinned 3 x 3 DataFrame"
        pd.testing.assert_frame_equal(board.pin_read("frame"), df, check_dtype=False)

    @pytest.mark.parametrize("pin_type", ["csv", "parquet", "arrow", "json"])
    def test_write_read_each_type(self, board: Board, writer: Board, pin_type: str) -> None:
        import pandas as pd

        df = _frame()
        writer.pin_write(df, f"f_{pin_type}", type=pin_type)
        back = board.pin_read(f"f_{pin_type}")
        if pin_type == "json":
            assert back == [
                {"x": 1, "y": 0.5, "s": "a"},
                {"x": 2, "y": None, "s": "é"},
                {"x": 3, "y": 2.5, "s": None},
            ]
        else:
            pd.testing.assert_frame_equal(back, df, check_dtype=False)

    def test_dict_defaults_to_json(self, board: Board, writer: Board) -> None:
        meta = writer.pin_write({"a": [1, 2], "b": None}, "cfg")
        assert meta.type == "json"
        assert meta.title == "cfg: a pinned dict object"
        assert board.pin_read("cfg") == {"a": [1, 2], "b": None}

    def test_meta_round_trip(self, board: Board, writer: Board) -> None:
        meta = writer.pin_write(
            {"k": 1},
            "meta_rt",
            title="T",
            description="D é",
            metadata={"owner": "ana", "n": 3, "nested": {"ok": True}},
            tags=["a", "b"],
            urls=["https://example.org"],
        )
        back = board.pin_meta("meta_rt")
        assert back.title == "T" and back.description == "D é"
        assert back.user == {"owner": "ana", "n": 3, "nested": {"ok": True}}
        assert back.tags == ["a", "b"] and back.urls == ["https://example.org"]
        assert back.pin_hash == meta.pin_hash and len(back.pin_hash) == 16
        assert back.api_version == 1 and back.type == "json"
        assert back.version is not None and meta.version is not None
        assert back.version.version == meta.version.version
        assert back.file == "meta_rt.json"

    def test_numpy_metadata_becomes_plain(self, board: Board, writer: Board) -> None:
        import numpy as np

        writer.pin_write(
            [1], "np_meta", metadata={"n": np.int64(3), "f": np.float32(0.5), "t": (1, 2)}
        )
        assert board.pin_meta("np_meta").user == {"n": 3, "f": 0.5, "t": [1, 2]}

    def test_unplain_metadata_refused_before_writing(self, board: Board, writer: Board) -> None:
        with pytest.raises(PinsMetadataError):
            writer.pin_write([1], "bad_meta", metadata={"obj": object()})
        assert not board.pin_exists("bad_meta")

    def test_created_is_utc(self, board: Board, writer: Board) -> None:
        before = datetime.now(timezone.utc).replace(microsecond=0)
        meta = writer.pin_write([1], "stamp")
        after = datetime.now(timezone.utc) + timedelta(seconds=2)
        created = meta.created
        assert created is not None and before <= created <= after
        (version,) = board.pin_versions("stamp", as_df=False)
        if self.version_ids_are_timestamps:  # the same time as pin_versions and pin_search
            assert version.created == created == board.pin_meta("stamp").created

    # ---------------------------------------------------------------- versions
    def test_versions_in_write_order(self, board: Board, writer: Board) -> None:
        hashes = [writer.pin_write({"i": i}, "vers").pin_hash for i in range(4)]
        versions = board.pin_versions("vers", as_df=False)
        assert len(versions) == 4
        # each later write sorts later, even within one second
        metas = [board.pin_meta("vers", v.version) for v in versions]
        assert [m.pin_hash for m in metas] == hashes
        assert board.pin_read("vers") == {"i": 3}
        df = board.pin_versions("vers")
        assert list(df.columns)[:3] == ["version", "created", "hash"]
        assert len(df) == 4

    def test_read_old_version(self, board: Board, writer: Board) -> None:
        first = writer.pin_write({"i": 1}, "old")
        writer.pin_write({"i": 2}, "old")
        assert first.version is not None
        assert board.pin_read("old", version=first.version.version) == {"i": 1}

    def test_identical_write_skipped_unless_forced(self, board: Board, writer: Board) -> None:
        a = writer.pin_write({"same": 1}, "dup")
        b = writer.pin_write({"same": 1}, "dup")
        assert a.version is not None and b.version is not None
        assert a.version.version == b.version.version
        assert len(board.pin_versions("dup", as_df=False)) == 1
        writer.pin_write({"same": 1}, "dup", force_identical_write=True)
        assert len(board.pin_versions("dup", as_df=False)) == 2

    def test_unversioned_identical_twice_keeps_pin(self, board: Board, writer: Board) -> None:
        writer.pin_write({"x": 1}, "unv", versioned=False)
        writer.pin_write({"x": 1}, "unv", versioned=False)
        assert board.pin_read("unv") == {"x": 1}
        writer.pin_write({"x": 1}, "unv", versioned=False, force_identical_write=True)
        assert board.pin_read("unv") == {"x": 1}
        assert len(board.pin_versions("unv", as_df=False)) == 1

    def test_unversioned_replaces_single_version(self, board: Board, writer: Board) -> None:
        writer.pin_write({"x": 1}, "unv2", versioned=False)
        writer.pin_write({"x": 2}, "unv2", versioned=False)
        assert len(board.pin_versions("unv2", as_df=False)) == 1
        assert board.pin_read("unv2") == {"x": 2}

    def test_unversioned_write_converges_to_one_version(self, board: Board, writer: Board) -> None:
        writer.pin_write({"x": 1}, "unv3")
        writer.pin_write({"x": 2}, "unv3")
        meta = writer.pin_write({"x": 3}, "unv3", versioned=False)
        assert meta.version is not None
        assert [v.version for v in board.pin_versions("unv3", as_df=False)] == [
            meta.version.version
        ]
        assert board.pin_read("unv3") == {"x": 3}
        # identical content stores nothing, and still leaves one version
        writer.pin_write({"x": 3}, "unv3", force_identical_write=True)
        writer.pin_write({"x": 3}, "unv3", versioned=False)
        assert len(board.pin_versions("unv3", as_df=False)) == 1
        # an unversioned board never turns a pin with several versions versioned
        writer.pin_write({"x": 4}, "unv3")
        writer.versioned = False
        try:
            latest = writer.pin_write({"x": 5}, "unv3")
        finally:
            writer.versioned = True
        assert latest.version is not None
        assert [v.version for v in board.pin_versions("unv3", as_df=False)] == [
            latest.version.version
        ]

    def test_failed_write_keeps_previous_version(self, board: Board, writer: Board) -> None:
        writer.pin_write({"good": True}, "keep")
        with pytest.raises(PinsTypeError):
            writer.pin_write({"bad": object()}, "keep", type="json")
        with pytest.raises(ZeroDivisionError):
            writer.pin_write(_Exploding(), "keep", type="joblib")
        assert board.pin_read("keep") == {"good": True}
        assert len(board.pin_versions("keep", as_df=False)) == 1

    def test_explicit_created(self, board: Board, writer: Board) -> None:
        when = datetime(2020, 5, 17, 12, 30, 45, tzinfo=timezone.utc)
        meta = writer.pin_write([1], "dated", created=when)
        assert meta.created == when
        assert meta.to_pin_dict()["created"] == "20200517T123045Z"
        assert board.pin_meta("dated").created == when
        assert board.pin_search("dated")["created"].tolist() == [when]
        if self.version_ids_are_timestamps:
            assert meta.version is not None
            assert meta.version.version.startswith("20200517T123045Z-")

    def test_version_ids_parse(self, board: Board, writer: Board) -> None:
        meta = writer.pin_write([1, 2], "vid")
        assert meta.version is not None
        if self.version_ids_are_timestamps:
            parsed = parse_version_name(meta.version.version)
            assert parsed is not None and meta.pin_hash.startswith(parsed[1])
            assert len(parsed[1]) == 5

    # ---------------------------------------------------------------- hash checks
    def test_read_with_hash(self, board: Board, writer: Board) -> None:
        meta = writer.pin_write({"h": 1}, "hashed")
        assert board.pin_read("hashed", hash=meta.pin_hash) == {"h": 1}
        assert board.pin_read("hashed", hash=meta.pin_hash[:5]) == {"h": 1}
        wrong = "0000000000000000" if not meta.pin_hash.startswith("0") else "1" * 16
        with pytest.raises(PinsHashError):
            board.pin_read("hashed", hash=wrong)
        with pytest.raises(PinsHashError):
            board.pin_read("hashed", hash="ab")  # too short to mean anything

    # ---------------------------------------------------------------- prune
    def test_prune_by_n_keeps_newest(self, board: Board, writer: Board) -> None:
        for i in range(5):
            writer.pin_write({"i": i}, "prune_n")
        deleted = writer.pin_versions_prune("prune_n", n=2)
        assert len(deleted) == 3
        assert len(board.pin_versions("prune_n", as_df=False)) == 2
        assert board.pin_read("prune_n") == {"i": 4}

    def test_prune_by_days_never_deletes_newest(self, board: Board, writer: Board) -> None:
        if not self.versions_dated_by_created:
            pytest.skip("this board dates versions by their upload, not by created")
        old = datetime.now(timezone.utc) - timedelta(days=30)
        writer.pin_write({"i": 0}, "prune_days", created=old)
        writer.pin_write({"i": 1}, "prune_days", created=old + timedelta(days=1))
        writer.pin_versions_prune("prune_days", days=7)
        versions = board.pin_versions("prune_days", as_df=False)
        assert len(versions) == 1
        assert board.pin_read("prune_days") == {"i": 1}
        writer.pin_write({"i": 2}, "prune_days")
        writer.pin_versions_prune("prune_days", days=7)
        assert board.pin_read("prune_days") == {"i": 2}
        assert len(board.pin_versions("prune_days", as_df=False)) == 1

    def test_prune_arguments_checked(self, board: Board, writer: Board) -> None:
        writer.pin_write([1], "prune_args")
        with pytest.raises(PinsError):
            writer.pin_versions_prune("prune_args")
        with pytest.raises(PinsError):
            writer.pin_versions_prune("prune_args", n=0)

    # ---------------------------------------------------------------- list, search, delete
    def test_list_exists_delete(self, board: Board, writer: Board) -> None:
        assert board.pin_list() == []
        writer.pin_write([1], "b_pin")
        writer.pin_write([2], "a_pin")
        assert board.pin_list() == [self.qualify("a_pin"), self.qualify("b_pin")]
        assert board.pin_exists("a_pin") and not board.pin_exists("zzz")
        writer.pin_delete("a_pin")
        assert board.pin_list() == [self.qualify("b_pin")]
        with pytest.raises(PinNotFoundError):
            writer.pin_delete(["b_pin", "missing"])
        assert board.pin_exists("b_pin")  # nothing deleted when one name is wrong
        writer.pin_delete(["b_pin"])
        assert board.pin_list() == []

    def test_version_delete(self, board: Board, writer: Board) -> None:
        first = writer.pin_write({"i": 1}, "vdel")
        writer.pin_write({"i": 2}, "vdel")
        assert first.version is not None
        writer.pin_version_delete("vdel", first.version.version)
        assert len(board.pin_versions("vdel", as_df=False)) == 1
        with pytest.raises(PinVersionNotFoundError):
            writer.pin_version_delete("vdel", first.version.version)

    def test_missing_pin_and_version(self, board: Board, writer: Board) -> None:
        with pytest.raises(PinNotFoundError):
            board.pin_read("nope")
        with pytest.raises(PinNotFoundError):
            board.pin_versions("nope")
        writer.pin_write([1], "here")
        with pytest.raises(PinVersionNotFoundError):
            board.pin_read("here", version="20000101T000000Z-abcde")

    def test_search(self, board: Board, writer: Board) -> None:
        writer.pin_write([1], "sales_2024", title="Revenue by month")
        writer.pin_write([2], "costs", title="Quarterly SALES costs")
        writer.pin_write([3], "other", title="Nothing")
        found = sorted(board.pin_search("sales")["name"])
        assert found == [self.qualify("costs"), self.qualify("sales_2024")]
        names = [m.name for m in board.pin_search("revenue", as_df=False)]
        assert names == [self.qualify("sales_2024")]
        assert len(board.pin_search()) == 3
        assert list(board.pin_search("(unbalanced")["name"]) == []
        names = [m.name for m in board.pin_search(re.compile("other$"), as_df=False)]
        assert names == [self.qualify("other")]

    # ---------------------------------------------------------------- upload, download
    def test_upload_download_several_files(
        self, board: Board, writer: Board, tmp_path: Path
    ) -> None:
        a = tmp_path / "a.txt"
        b = tmp_path / "b.bin"
        a.write_text("alpha é", encoding="utf-8")
        b.write_bytes(bytes(range(256)))
        meta = writer.pin_upload([a, b], "files", title="Two files")
        assert meta.type == "file" and meta.file == ["a.txt", "b.bin"]
        paths = board.pin_download("files")
        assert [Path(p).name for p in paths] == ["a.txt", "b.bin"]
        assert Path(paths[0]).read_text(encoding="utf-8") == "alpha é"
        assert Path(paths[1]).read_bytes() == bytes(range(256))
        with pytest.raises(PinsTypeError, match="pin_download"):
            board.pin_read("files")

    def test_upload_single_file_named_by_stem(
        self, board: Board, writer: Board, tmp_path: Path
    ) -> None:
        src = tmp_path / "report.csv"
        src.write_text("a,b\n1,2\n")
        meta = writer.pin_upload(str(src))
        assert meta.name == self.qualify("report") and meta.file == "report.csv"
        assert Path(board.pin_download("report", hash=meta.pin_hash[:5])[0]).read_text() == (
            "a,b\n1,2\n"
        )

    # ---------------------------------------------------------------- safety
    @pytest.mark.parametrize("bad", BAD_NAMES)
    def test_bad_names_refused(self, board: Board, writer: Board, bad: str) -> None:
        with pytest.raises(PinsNameError):
            writer.pin_write([1], bad)
        with pytest.raises(PinsNameError):
            board.pin_read(bad)
        assert board.pin_list() == []

    @pytest.mark.parametrize("bad", ["../x", "..", "a/b", ""])
    def test_bad_versions_refused(self, board: Board, writer: Board, bad: str) -> None:
        writer.pin_write([1], "safe")
        with pytest.raises(PinsNameError):
            board.pin_read("safe", version=bad)
        with pytest.raises(PinsNameError):
            writer.pin_version_delete("safe", bad)
        assert board.pin_read("safe") == [1]

    def test_pickle_read_needs_permission(
        self, board: Board, writer: Board, monkeypatch: Any
    ) -> None:
        writer.pin_write({"model": [1, 2]}, "model", type="joblib")
        board.allow_pickle_read = None
        monkeypatch.delenv("PINS_ALLOW_PICKLE_READ", raising=False)
        with pytest.raises(PinsInsecureReadError):
            board.pin_read("model")
        monkeypatch.setenv("PINS_ALLOW_PICKLE_READ", "1")
        assert board.pin_read("model") == {"model": [1, 2]}
        monkeypatch.delenv("PINS_ALLOW_PICKLE_READ")
        board.allow_pickle_read = True
        assert board.pin_read("model") == {"model": [1, 2]}

    def test_rapid_writes_get_increasing_stamps(self, board: Board, writer: Board) -> None:
        metas = [writer.pin_write({"n": n}, "fast") for n in range(3)]
        created = [m.created for m in metas if m.created is not None]
        assert created == sorted(created) and len(set(created)) == 3


class _Exploding:
    """Pickling this fails part-way, as a serializer that crashes mid-write would."""

    def __reduce__(self) -> Any:
        raise ZeroDivisionError("boom while serializing")
