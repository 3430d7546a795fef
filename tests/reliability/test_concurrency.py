"""Writers and readers in separate processes, on one folder board, at the same time.

* Unversioned: a writer rewrites one pin while readers read it, ask whether it exists
  and list the board. No read fails, and ``pin_exists`` and ``pin_list`` never leave
  the pin out. Several writers at once: once they stop the pin has exactly one version.
* Versioned: writers add versions while readers read the latest. Nothing fails and
  every version a writer was told it wrote is there.
* A reader through the cache while ``cache_prune`` deletes what it reads: no read fails.

Each test prints its counts (``pytest -s`` shows them).
"""

from __future__ import annotations

from pathlib import Path

import pins

from . import workers

SECONDS = 4.0


def _report(what: str, writes: list[dict[str, int]], reads: list[dict[str, object]]) -> None:
    total = sum(w["writes"] for w in writes)
    checks = sum(int(str(r["reads"])) + int(str(r["checks"])) for r in reads)
    print(f"\n{what}: {total} writes by {len(writes)} processes, {checks} reads and checks")


def test_unversioned_rewrites_while_others_read(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path / "board")
    board.pin_write({"writer": 0, "i": -1}, "single", versioned=False)
    folder = str(tmp_path / "board")
    writer = workers.start("write", board=folder, pin="single", versioned=False, seconds=SECONDS)
    readers = [workers.start("read", board=folder, pin="single", seconds=SECONDS) for _ in range(2)]
    written = workers.counts(writer)
    read = [workers.counts(r) for r in readers]
    _report("one unversioned writer", [written], read)
    assert [r["failures"] for r in read] == [{}, {}]
    assert written["writes"] > 0 and all(r["reads"] > 0 for r in read)
    assert len(board.pin_versions("single", as_df=False)) == 1


def test_concurrent_unversioned_writers_leave_one_version(tmp_path: Path) -> None:
    folder = str(tmp_path / "board")
    for round in range(3):
        go = tmp_path / f"go-{round}"
        writers = [
            workers.start(
                "write", board=folder, pin="single", versioned=False, count=15, go=str(go)
            )
            for _ in range(4)
        ]
        go.touch()
        written = [workers.counts(w) for w in writers]
        _report(f"round {round}: concurrent unversioned writers", written, [])
        assert [w["writes"] for w in written] == [15] * 4
        versions = pins.board_folder(folder).pin_versions("single", as_df=False)
        assert len(versions) == 1


def test_versioned_writes_while_others_read(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path / "board")
    board.pin_write({"writer": 0, "i": -1}, "kept")
    folder = str(tmp_path / "board")
    go = tmp_path / "go"
    writers = [
        workers.start("write", board=folder, pin="kept", versioned=True, count=25, go=str(go))
        for _ in range(2)
    ]
    go.touch()
    readers = [workers.start("read", board=folder, pin="kept", seconds=SECONDS / 2)]
    per_writer = [[line.split()[2] for line in workers.lines(w)[:-1]] for w in writers]
    reported = [version for versions in per_writer for version in versions]
    read = [workers.counts(r) for r in readers]
    _report("versioned", [{"writes": len(versions)} for versions in per_writer], read)
    assert read[0]["failures"] == {}
    assert len(reported) == 50
    assert set(reported) <= {v.version for v in board.pin_versions("kept", as_df=False)}


def test_reads_through_the_cache_while_it_is_pruned(tmp_path: Path) -> None:
    folder = tmp_path / "board"
    pins.board_folder(folder).pin_write({"writer": 0, "i": 0, "pad": "x" * 50_000}, "data")
    cache = str(tmp_path / "cache")
    pruner = workers.start("prune", cache=cache, seconds=SECONDS)
    readers = [
        workers.start("read-cached", board=str(folder), cache=cache, pin="data", seconds=SECONDS)
        for _ in range(2)
    ]
    pruned = workers.counts(pruner)
    read = [workers.counts(r) for r in readers]
    print(f"\ncache_prune: {pruned['prunes']} prunes deleted {pruned['deleted']} versions")
    _report("reads through a pruned cache", [], read)
    assert [r["failures"] for r in read] == [{}, {}]
    assert pruned["deleted"] > 0  # the prunes did take what the readers read
