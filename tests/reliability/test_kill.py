"""Writers killed (SIGKILL) at random moments, one that dies between committing a
version and deleting the one it replaces, and one whose delete failed (Connect).

After every kill the board is read whole: every listed version reads back and matches
its hash (no half version is visible), and every version a writer was told it wrote is
still there (nothing is lost). What the killed writers left behind (staging folders,
folders hidden to be deleted) is removed by the next write once it is old enough, and
left alone while it may still belong to a live writer.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import pins
from pins import _files

from . import workers

KILLS = 16


def _hidden(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob(".*") if p.parent.name != ".verified")


def _check_whole(board: pins.boards.FolderBoard) -> int:
    """Read every version of every pin, checking its hash; return how many."""
    read = 0
    for name in board.pin_list():
        for version in board.pin_versions(name, as_df=False):
            meta = board.pin_meta(name, version.version)
            value = board.pin_read(name, version.version, hash=meta.pin_hash)
            assert isinstance(value, dict) and value["pad"]
            read += 1
    return read


def _age(paths: list[Path], seconds: float) -> None:
    """Make paths (and what folders hold) look untouched for ``seconds``."""
    then = time.time() - seconds
    for path in paths:
        for inner in [path, *path.rglob("*")] if path.is_dir() else [path]:
            os.utime(inner, (then, then), follow_symlinks=False)


def test_killed_writers_lose_nothing_and_leave_nothing_for_long(tmp_path: Path) -> None:
    rng = random.Random(20240115)
    folder = tmp_path / "board"
    board = pins.board_folder(folder)
    told: set[str] = set()  # versions of the versioned pin that a writer reported
    read = 0
    for kill in range(KILLS):
        versioned = kill % 2 == 0
        pin = "kept" if versioned else "single"
        writer = workers.start(
            "write",
            board=str(folder),
            pin=pin,
            versioned=versioned,
            size=rng.choice([10, 3_000_000]),
        )
        time.sleep(rng.uniform(0.0, 0.6))
        writer.kill()
        told |= {line.split()[2] for line in workers.lines(writer) if line.startswith("wrote kept")}
        read += _check_whole(board)
        if "kept" in board.pin_list():
            assert told <= {v.version for v in board.pin_versions("kept", as_df=False)}
    print(f"\n{KILLS} kills, {len(told)} versions reported before a kill, {read} reads")

    leftovers = _hidden(folder)
    print(f"{len(leftovers)} leftovers, {sum(_size(p) for p in leftovers)} bytes")
    fresh = folder / "kept" / ".pins-staging-live"
    fresh.mkdir(parents=True, exist_ok=True)  # as a writer at work now has it
    _age(leftovers, 24 * 3600)  # a day: older than any write takes
    board.pin_write({"pad": "x", "i": 0}, "kept")
    board.pin_write({"pad": "x", "i": 0}, "single", versioned=False)
    assert _hidden(folder) == [fresh]  # only the live one is left
    assert len(board.pin_versions("single", as_df=False)) == 1
    assert told <= {v.version for v in board.pin_versions("kept", as_df=False)}


def test_staging_folders_of_killed_object_store_writers_are_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes to object stores (and Connect) stage in the system's temporary folder: what
    killed writers left there is swept by a later write once it is old enough and the
    process that made it is gone, never a live process's."""
    rng = random.Random(7)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))  # the workers' temporary folder
    folder, cache = tmp_path / "board", tmp_path / "cache"
    for _ in range(6):
        writer = workers.start("write", board=str(folder), cache=str(cache), pin="p",
                               versioned=True, size=3_000_000)  # fmt: skip
        time.sleep(rng.uniform(0.05, 0.5))
        writer.kill()
        workers.lines(writer)
    killed = sorted(tmp.glob("pins-staging-*"))
    print(f"\n{len(killed)} staging folders left by 6 killed writers")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = [tmp / f"pins-staging-{gone.stdout.strip()}-x", tmp / "pins-bundle-k3y9_abc"]
    live = tmp / f"pins-staging-{os.getpid()}-live"  # this process's: it runs
    fresh = tmp / f"pins-staging-{gone.stdout.strip()}-fresh"  # written a moment ago
    for made in [*dead, live, fresh]:
        made.mkdir()
        (made / "part.parquet").write_bytes(b"x" * 100)
    _age([*killed, *dead, live], 2 * 3600)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setattr(_files, "_temp_swept", None)  # as in a process not swept yet
    pins.board_fsspec(f"file://{folder}", cache=cache).pin_write({"pad": "x"}, "p")
    assert sorted(tmp.glob("pins-*")) == sorted([live, fresh])
    assert (live / "part.parquet").read_bytes() == b"x" * 100


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def test_a_crash_between_commit_and_delete_is_mended_by_the_next_write(tmp_path: Path) -> None:
    folder = tmp_path / "board"
    board = pins.board_folder(folder)
    first = board.pin_write({"v": 1}, "single", versioned=False)
    crashed = workers.start("crash-before-delete", board=str(folder), pin="single", value={"v": 2})
    assert crashed.wait(60) == 17  # it died where the old version is deleted
    versions = board.pin_versions("single", as_df=False)
    assert len(versions) == 2 and versions[0].version == first.version.version  # type: ignore[union-attr]
    assert board.pin_read("single") == {"v": 2}  # the new version is committed
    board.pin_write({"v": 3}, "single", versioned=False)
    assert [v.version for v in board.pin_versions("single", as_df=False)] == [
        board.pin_meta("single").version.version  # type: ignore[union-attr]
    ]
    assert board.pin_read("single") == {"v": 3}
    unversioned = pins.board_folder(folder, versioned=False)
    board.pin_write({"v": 4}, "single")
    board.pin_write({"v": 5}, "single")  # two versions again
    unversioned.pin_write({"v": 6}, "single")  # the board's default: unversioned
    assert len(board.pin_versions("single", as_df=False)) == 1


def test_a_failed_delete_on_connect_is_mended_by_the_next_write(tmp_path: Path) -> None:
    from pins.testing import ConnectServer

    with ConnectServer(users=["susan:publisher"]) as server:
        board = pins.board_connect(server.url, api_key=server.api_key("susan"), cache=tmp_path)
        board.pin_write({"v": 1}, "single")
        board.pin_write({"v": 2}, "single")
        server.faults.error_rate = 1.0
        server.faults.path_pattern = r"/bundles/\d+$"  # only the DELETE of a bundle
        with pytest.warns(UserWarning, match="could not delete version"):
            meta = board.pin_write({"v": 3}, "single", versioned=False)  # written, though
        server.faults.reset()
        assert meta.version is not None
        assert board.pin_read("susan/single") == {"v": 3}
        assert len(board.pin_versions("susan/single", as_df=False)) == 3
        board.pin_write({"v": 4}, "single", versioned=False)
        assert len(board.pin_versions("susan/single", as_df=False)) == 1
        assert board.pin_read("susan/single") == {"v": 4}
