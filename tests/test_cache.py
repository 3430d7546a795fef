"""The on-disk cache of remote boards (pins/cache.py)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
import xxhash

import pins
from pins.cache import PinsCache, board_key, cache_info, cache_prune
from pins.errors import PinsCacheError, PinsHashError, PinsNameError

BOARD = "url:https://example.org/board/"
V1 = "20240115T120000Z-a8cc8"
V2 = "20240116T120000Z-b9dd9"


def _xxh(data: bytes) -> str:
    return str(xxhash.xxh64(data).hexdigest())


@pytest.fixture
def cache(tmp_path: Path) -> PinsCache:
    return PinsCache(BOARD, root=tmp_path / "cache")


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def _hidden_tmp(root: Path) -> list[Path]:
    return [p for p in root.rglob(".tmp-*")]


# -------------------------------------------------------------------- layout and names
def test_layout(cache: PinsCache, tmp_path: Path) -> None:
    assert cache.path == tmp_path / "cache" / board_key(BOARD)
    assert len(cache.path.name) == 16 and int(cache.path.name, 16) >= 0
    assert cache.version_dir("cfg", V1) == cache.path / "cfg" / V1
    assert cache.version_dir("susan/cfg", "12") == cache.path / "susan" / "cfg" / "12"
    assert not cache.path.exists()  # nothing is written until something is put
    cache.put_meta("susan/cfg", "12", b"meta")
    assert json.loads((cache.path / "board.json").read_text()) == {"board": BOARD}
    assert (cache.path / "susan" / "cfg" / "12" / "data.txt").read_bytes() == b"meta"


def test_root_defaults_to_pins_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINS_CACHE_DIR", str(tmp_path / "env-cache"))
    assert PinsCache(BOARD).path == tmp_path / "env-cache" / board_key(BOARD)


def test_boards_do_not_share_folders(tmp_path: Path) -> None:
    a = PinsCache("url:https://a.example/", root=tmp_path)
    b = PinsCache("url:https://b.example/", root=tmp_path)
    a.put_meta("p", V1, b"a")
    assert a.path != b.path and b.get_meta("p", V1) is None


@pytest.mark.parametrize("bad", ["..", "../x", "a/../../x", "/abs", "a\\b", "", ".hidden", "x\x00"])
def test_unsafe_pin_names_refused(cache: PinsCache, bad: str) -> None:
    with pytest.raises(PinsNameError):
        cache.version_dir(bad, V1)
    with pytest.raises(PinsNameError):
        cache.put_meta(bad, V1, b"x")
    with pytest.raises(PinsNameError):
        cache.cached_versions(bad)


@pytest.mark.parametrize("bad", ["..", "../x", "a/b", "", ".tmp", "v\n"])
def test_unsafe_versions_refused(cache: PinsCache, bad: str) -> None:
    with pytest.raises(PinsNameError):
        cache.put_file("p", bad, "f.csv", b"x")
    with pytest.raises(PinsNameError):
        cache.get_meta("p", bad)


@pytest.mark.parametrize("bad", ["..", "../x", "a/b", "", ".verified", ".last_used", ".tmp-x"])
def test_unsafe_file_names_refused(cache: PinsCache, bad: str) -> None:
    with pytest.raises(PinsNameError):
        cache.put_file("p", V1, bad, b"x")
    with pytest.raises(PinsNameError):
        cache.get_file("p", V1, bad)
    assert not _hidden_tmp(cache.root)


def test_reserved_names_refused(cache: PinsCache) -> None:
    for bad in ("_index", "board.json", "_index/x"):
        with pytest.raises(PinsNameError):
            cache.version_dir(bad, V1)
    with pytest.raises(PinsNameError):
        cache.get_json("../x")


# -------------------------------------------------------------------- files
def test_put_and_get_file_from_each_source(cache: PinsCache, tmp_path: Path) -> None:
    src = tmp_path / "src.bin"
    src.write_bytes(b"from a path")
    chunks = iter([b"from ", b"", b"chunks"])
    p1 = cache.put_file("p", V1, "a.bin", src, expected_hash=_xxh(b"from a path"))
    p2 = cache.put_file("p", V1, "b.bin", b"from bytes")
    p3 = cache.put_file("p", V1, "c.bin", chunks, expected_hash=_xxh(b"from chunks").upper())
    assert p1 == cache.version_dir("p", V1) / "a.bin"
    assert [p.read_bytes() for p in (p1, p2, p3)] == [b"from a path", b"from bytes", b"from chunks"]
    assert cache.get_file("p", V1, "a.bin") == p1
    assert cache.get_file("p", V1, "c.bin", size=len(b"from chunks")) == p3
    assert cache.get_file("p", V1, "missing.bin") is None
    assert cache.get_file("p", V2, "a.bin") is None
    assert _visible(cache.version_dir("p", V1)) == ["a.bin", "b.bin", "c.bin"]
    assert not _hidden_tmp(cache.root)


def test_put_replaces_atomically(cache: PinsCache) -> None:
    first = cache.put_file("p", V1, "f.txt", b"one")
    second = cache.put_file("p", V1, "f.txt", b"two!")
    assert first == second and second.read_bytes() == b"two!"
    assert cache.get_file("p", V1, "f.txt") == second
    assert not _hidden_tmp(cache.root)


def test_hash_mismatch_leaves_nothing(cache: PinsCache) -> None:
    with pytest.raises(PinsHashError, match="Nothing was cached"):
        cache.put_file("p", V1, "f.txt", [b"wrong ", b"bytes"], expected_hash=_xxh(b"right"))
    assert cache.get_file("p", V1, "f.txt") is None
    assert not cache.version_dir("p", V1).exists()  # no empty version folder either
    assert not _hidden_tmp(cache.root)
    assert cache_info(cache.root).empty


def test_failing_source_leaves_nothing(cache: PinsCache) -> None:
    def broken() -> object:
        yield b"half of it"
        raise ConnectionResetError("network gone")

    with pytest.raises(ConnectionResetError) as caught:  # the source's own error, unchanged
        cache.put_file("p", V1, "f.txt", broken())  # type: ignore[arg-type]
    assert caught.value.args == ("network gone",) and caught.value.__cause__ is None
    assert cache.get_file("p", V1, "f.txt") is None
    assert not _hidden_tmp(cache.root)
    assert not cache.version_dir("p", V1).exists()  # no phantom version for cache_info
    assert cache_info(cache.root).empty
    cache.put_meta("p", V1, b"meta")  # a version that is cached keeps its folder
    with pytest.raises(ConnectionResetError):
        cache.put_file("p", V1, "f.txt", broken())  # type: ignore[arg-type]
    assert _visible(cache.version_dir("p", V1)) == ["data.txt"]


def test_streams_without_holding_the_file(cache: PinsCache) -> None:
    seen = []

    def chunks() -> object:
        for i in range(50):
            seen.append(i)
            yield bytes([i]) * 1000

    path = cache.put_file("p", V1, "big.bin", chunks())  # type: ignore[arg-type]
    assert path.stat().st_size == 50_000 and len(seen) == 50


def test_changed_size_is_dropped(cache: PinsCache) -> None:
    path = cache.put_file("p", V1, "f.txt", b"original")
    path.write_bytes(b"corrupted and longer")
    assert cache.get_file("p", V1, "f.txt") is None
    assert not path.exists()  # dropped, so the caller fetches it again


def test_same_size_new_mtime_is_rehashed(cache: PinsCache) -> None:
    path = cache.put_file("p", V1, "f.txt", b"original")
    path.write_bytes(b"CORRUPTS")  # same size, new mtime: hashed again, found wrong
    assert cache.get_file("p", V1, "f.txt") is None
    assert not path.exists()


def test_touched_but_intact_file_is_kept(cache: PinsCache) -> None:
    path = cache.put_file("p", V1, "f.txt", b"original")
    later = time.time() + 100
    os.utime(path, (later, later))  # a new mtime, same bytes: re-hashed and kept
    assert cache.get_file("p", V1, "f.txt") == path
    record = json.loads((path.parent / ".verified" / "f.txt").read_text())
    assert record == [8, path.stat().st_mtime_ns, _xxh(b"original")]


def test_change_keeping_size_and_mtime_is_not_detected(cache: PinsCache) -> None:
    """Documented limit: only a change of size or mtime triggers a re-hash."""
    path = cache.put_file("p", V1, "f.txt", b"original")
    stat = path.stat()
    path.write_bytes(b"CORRUPTS")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert cache.get_file("p", V1, "f.txt") == path


def test_other_expected_size_rehashes(cache: PinsCache) -> None:
    path = cache.put_file("p", V1, "f.txt", b"original")
    assert cache.get_file("p", V1, "f.txt", size=99) == path  # the bytes are still verified
    stat = path.stat()
    path.write_bytes(b"CORRUPTS")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert cache.get_file("p", V1, "f.txt", size=8) == path  # nothing to notice
    assert cache.get_file("p", V1, "f.txt", size=99) is None  # a size check re-hashes
    assert not path.exists()


def test_file_without_record_not_served(cache: PinsCache) -> None:
    folder = cache.version_dir("p", V1)
    folder.mkdir(parents=True)
    (folder / "f.txt").write_bytes(b"unverified")
    assert cache.get_file("p", V1, "f.txt") is None
    assert (folder / "f.txt").exists()  # not ours to delete: another writer may be recording it


def test_concurrent_puts_of_one_file_all_succeed(cache: PinsCache) -> None:
    data = os.urandom(300_000)
    errors: list[BaseException] = []

    def put() -> None:
        try:
            body = io.BytesIO(data)
            chunks = iter(lambda: body.read(4096), b"")
            cache.put_file("p", V1, "f.bin", chunks, expected_hash=_xxh(data))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    path = cache.get_file("p", V1, "f.bin", size=len(data))
    assert path is not None and path.read_bytes() == data
    assert not _hidden_tmp(cache.root)


def test_two_processes_put_the_same_file(cache: PinsCache, tmp_path: Path) -> None:
    data = os.urandom(2_000_000)
    (tmp_path / "src.bin").write_bytes(data)
    script = (
        "import sys; from pins.cache import PinsCache\n"
        "cache = PinsCache(sys.argv[1], root=sys.argv[2])\n"
        "for _ in range(20):\n"
        "    cache.put_file('p', sys.argv[3], 'f.bin', sys.argv[4], expected_hash=sys.argv[5])\n"
    )
    args = [BOARD, str(cache.root), V1, str(tmp_path / "src.bin"), _xxh(data)]
    procs = [subprocess.Popen([sys.executable, "-c", script, *args]) for _ in range(2)]
    assert [p.wait(60) for p in procs] == [0, 0]
    path = cache.get_file("p", V1, "f.bin", size=len(data))
    assert path is not None and path.read_bytes() == data
    assert not _hidden_tmp(cache.root)


def test_os_errors_become_cache_errors(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache root should be")
    cache = PinsCache(BOARD, root=blocker)
    with pytest.raises(PinsCacheError) as info:
        cache.put_meta("p", V1, b"x")
    assert isinstance(info.value.__cause__, OSError)
    with pytest.raises(PinsCacheError):
        cache.put_file("p", V1, "f", b"x")
    with pytest.raises(PinsCacheError):
        cache.put_json("k", {})


# -------------------------------------------------------------------- metadata, json, delete
def test_meta_and_cached_versions(cache: PinsCache) -> None:
    assert cache.get_meta("p", V1) is None and cache.cached_versions("p") == []
    cache.put_meta("p", V1, b"one")
    cache.put_meta("p", V2, b"two")
    cache.put_file("p", "20240117T000000Z-00000", "f.txt", b"file but no data.txt")
    assert cache.get_meta("p", V2) == b"two"
    assert sorted(cache.cached_versions("p")) == [V1, V2]
    assert cache.cached_versions("owner/p") == []


def test_json_documents(cache: PinsCache) -> None:
    assert cache.get_json("manifest") is None
    cache.put_json("manifest", {"cfg": ["cfg/v1/"], "é": None})
    assert cache.get_json("manifest") == {"cfg": ["cfg/v1/"], "é": None}
    cache.put_json("manifest", [1, 2])
    assert cache.get_json("manifest") == [1, 2]
    assert (cache.path / "_index" / "manifest.json").is_file()
    (cache.path / "_index" / "manifest.json").write_text("{not json")
    assert cache.get_json("manifest") is None
    assert cache_info(cache.root).empty  # documents are not versions


def test_delete_version_and_pin(cache: PinsCache) -> None:
    cache.put_meta("o/p", V1, b"one")
    cache.put_meta("o/p", V2, b"two")
    cache.put_file("o/p", V2, "f.txt", b"x")
    cache.delete_version("o/p", V2)
    assert cache.cached_versions("o/p") == [V1]
    cache.delete_version("o/p", V2)  # already gone: nothing to do
    cache.delete_pin("o/p")
    assert cache.cached_versions("o/p") == []
    assert not (cache.path / "o").exists()  # empty owner folder removed too
    assert not _hidden_tmp(cache.root)


# -------------------------------------------------------------------- info and prune
def _age(cache: PinsCache, pin: str, version: str, days: float) -> None:
    when = time.time() - days * 86400
    os.utime(cache.version_dir(pin, version) / ".last_used", (when, when))


def test_cache_info(tmp_path: Path) -> None:
    a = PinsCache(BOARD, root=tmp_path)
    b = PinsCache("connect:https://connect.example:3939", root=tmp_path)
    a.put_meta("cfg", V1, b"meta")
    a.put_file("cfg", V1, "cfg.json", b"{}")
    b.put_meta("susan/model", "42", b"m")
    info = cache_info(tmp_path)
    assert list(info.columns) == ["board", "pin", "version", "files", "size_bytes", "last_used"]
    rows = {(r.board, r.pin, r.version): (r.files, r.size_bytes) for r in info.itertuples()}
    assert rows == {
        (BOARD, "cfg", V1): (2, 6),
        ("connect:https://connect.example:3939", "susan/model", "42"): (1, 1),
    }
    dtype = info["last_used"].dtype
    assert isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC"
    age = pd.Timestamp.now(tz="UTC") - info["last_used"]
    assert (age < pd.Timedelta(minutes=5)).all()
    assert cache_info(tmp_path / "nothing-here").empty


def test_cache_info_defaults_to_pins_cache_dir() -> None:
    PinsCache(BOARD).put_meta("p", V1, b"x")
    assert list(pins.cache_info()["pin"]) == ["p"]


def test_hits_touch_last_used(cache: PinsCache) -> None:
    cache.put_meta("p", V1, b"x")
    cache.put_file("p", V1, "f", b"y")
    _age(cache, "p", V1, 10)
    assert cache_info(cache.root)["last_used"][0] < pd.Timestamp.now(tz="UTC") - pd.Timedelta(
        days=9
    )
    assert cache.get_file("p", V1, "f") is not None
    assert cache_info(cache.root)["last_used"][0] > pd.Timestamp.now(tz="UTC") - pd.Timedelta(
        minutes=5
    )


def test_cache_prune_by_days(cache: PinsCache) -> None:
    for version, age in ((V1, 40), (V2, 5)):
        cache.put_meta("p", version, b"x")
        _age(cache, "p", version, age)
    cache.put_meta("o/q", V1, b"x")
    _age(cache, "o/q", V1, 100)
    cache.put_json("manifest", {"p": []})
    deleted = cache_prune(days=30, prompt=False, cache_root=cache.root)
    assert sorted(deleted) == sorted([cache.version_dir("p", V1), cache.version_dir("o/q", V1)])
    assert cache.cached_versions("p") == [V2]
    assert not (cache.path / "o").exists()
    assert cache.get_json("manifest") == {"p": []}  # board documents are kept
    assert cache_prune(days=30, prompt=False, cache_root=cache.root) == []
    assert cache_prune(days=1, prompt=False, cache_root=cache.root) == [cache.version_dir("p", V2)]
    with pytest.raises(PinsCacheError):
        cache_prune(days=-1, prompt=False, cache_root=cache.root)


def test_cache_prune_prompt_without_terminal_does_nothing(
    cache: PinsCache, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cache.put_meta("p", V1, b"x")
    _age(cache, "p", V1, 40)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # not a tty, even with an answer
    assert cache_prune(days=30, cache_root=cache.root) == []
    assert "not a terminal" in capsys.readouterr().err  # a message: on stderr
    assert cache.cached_versions("p") == [V1]


@pytest.mark.parametrize(("answer", "deletes"), [("y\n", True), ("\n", False), ("no\n", False)])
def test_cache_prune_prompt_on_terminal(
    cache: PinsCache, monkeypatch: pytest.MonkeyPatch, answer: str, deletes: bool
) -> None:
    cache.put_meta("p", V1, b"x" * 2_000_000)
    _age(cache, "p", V1, 40)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    asked: list[str] = []
    monkeypatch.setattr("sys.stdin", Tty(answer))
    monkeypatch.setattr("builtins.input", lambda q: asked.append(q) or answer.strip())
    deleted = cache_prune(days=30, cache_root=cache.root)
    assert asked == ["Delete 1 versions (2.0 MB)? [y/N] "]
    assert bool(deleted) is deletes
    assert cache.cached_versions("p") == ([] if deletes else [V1])


def test_docstring_examples() -> None:
    import doctest

    import pins.cache

    result = doctest.testmod(pins.cache, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
