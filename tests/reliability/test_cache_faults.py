"""A cache that was tampered with, that cannot be written, or that is full.

* A cached data.txt whose bytes changed (a flipped byte in the title or the hash, a
  broken type, invalid YAML, a truncation) is fetched again, never served; offline it is
  not served either.
* A read with ``hash=`` that fails on a cached file fetches the version once more.
* A cache that cannot be written (read-only, or full) does not stop reads nor writes:
  one warning, and what is read goes through a temporary cache.

The read-only and full caches are real: a read-only bind mount or a tiny tmpfs when the
tests run as root, folder permissions otherwise (a full disk needs root: skipped then).
"""

from __future__ import annotations

import os
import stat
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import pins
from pins.errors import PinsHashError, PinsOfflineError
from pins.testing import ConnectServer

from ..servers import FolderServer


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[pins.boards.FolderBoard, FolderServer]]:
    folder = pins.board_folder(tmp_path / "www")
    folder.pin_write({"a": 1}, "p", type="json", title="The real title")
    folder.write_board_manifest()
    server = FolderServer(tmp_path / "www")
    try:
        yield folder, server
    finally:
        server.stop()


def _url_board(server: FolderServer, cache: Path, **kw: object) -> pins.boards.UrlBoard:
    return pins.board_url(server.url, cache=cache, **kw)  # type: ignore[arg-type]


def _cached_data_txt(cache: Path) -> Path:
    (found,) = [p for p in cache.rglob("data.txt") if ".verified" not in p.parts]
    return found


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b.replace(b"The real title", b"The reel title"),
        lambda b: b.replace(b"pin_hash: ", b"pin_hash: 0"),
        lambda b: b.replace(b"type: json", b"type: jsox"),
        lambda b: b.replace(b"file: p.json", b"file: [p.json"),
        lambda b: b[: len(b) // 2],
        lambda b: b"",
    ],
    ids=["title", "pin_hash", "type", "yaml", "truncated", "empty"],
)
def test_a_damaged_cached_data_txt_is_fetched_again(
    served: tuple[pins.boards.FolderBoard, FolderServer], tmp_path: Path, damage: object
) -> None:
    _, server = served
    cache = tmp_path / "cache"
    assert _url_board(server, cache).pin_read("p") == {"a": 1}
    path = _cached_data_txt(cache)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    before = len([p for p in server.paths() if p.endswith("data.txt")])
    board = _url_board(server, cache)
    assert board.pin_read("p") == {"a": 1}
    assert board.pin_meta("p").title == "The real title"
    assert len([p for p in server.paths() if p.endswith("data.txt")]) == before + 1
    assert board.pin_meta("p").title == "The real title"  # now cached right again


def test_a_damaged_cached_data_txt_is_not_served_offline(
    served: tuple[pins.boards.FolderBoard, FolderServer], tmp_path: Path
) -> None:
    _, server = served
    cache = tmp_path / "cache"
    _url_board(server, cache).pin_read("p")
    path = _cached_data_txt(cache)
    path.write_bytes(path.read_bytes().replace(b"The real title", b"A forged title"))
    with pytest.raises(PinsOfflineError):
        _url_board(server, cache, offline=True).pin_meta("p")


def test_a_hash_read_that_fails_on_a_cached_file_fetches_it_again(
    served: tuple[pins.boards.FolderBoard, FolderServer], tmp_path: Path
) -> None:
    folder, server = served
    cache = tmp_path / "cache"
    meta = _url_board(server, cache).pin_meta("p")
    _url_board(server, cache).pin_read("p")
    (cached,) = [p for p in cache.rglob("p.json") if ".verified" not in p.parts]
    times = cached.stat()
    data = cached.read_bytes()
    cached.write_bytes(data.replace(b"1", b"2"))  # the same size; the mtime put back: undetected
    os.utime(cached, ns=(times.st_atime_ns, times.st_mtime_ns))
    board = _url_board(server, cache)
    assert board.pin_read("p") == {"a": 2}  # what the cache holds, without hash=
    assert board.pin_read("p", hash=meta.pin_hash) == {"a": 1}  # checked: fetched again
    assert board.pin_read("p") == {"a": 1}
    # a server whose file does not match its data.txt: fetched once more, then refused
    version = meta.version.version  # type: ignore[union-attr]
    (folder.path / "p" / version / "p.json").write_bytes(b'{"a": 3}')
    cached.write_bytes(b'{"a": 4}')
    os.utime(cached, ns=(times.st_atime_ns, times.st_mtime_ns))
    with pytest.raises(PinsHashError):
        _url_board(server, cache).pin_read("p", hash=meta.pin_hash[:5])


# ---------------------------------------------------------------------- unwritable
def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` read-only for this process, as it is."""
    if os.geteuid() != 0:
        folders = [folder, *(p for p in folder.rglob("*") if p.is_dir())]
        for path in folders:
            path.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            yield
        finally:
            for path in folders:
                path.chmod(stat.S_IRWXU)
        return
    if not (_run("mount", "--bind", str(folder), str(folder))):
        pytest.skip("cannot bind-mount a folder read-only here")
    try:
        if not _run("mount", "-o", "remount,bind,ro", str(folder)):
            pytest.skip("cannot remount a folder read-only here")
        yield
    finally:
        _run("umount", str(folder))


@contextmanager
def tiny_disk(folder: Path, size: str = "64k") -> Iterator[None]:
    """A file system of ``size`` bytes mounted at ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _run(
        "mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)
    ):
        pytest.skip("a full disk needs a small tmpfs, which needs root")
    try:
        yield
    finally:
        _run("umount", str(folder))


def _warnings_of(call: object) -> tuple[object, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = call()  # type: ignore[operator]
    return value, [str(w.message) for w in caught]


def test_a_read_only_cache_reads_through(
    served: tuple[pins.boards.FolderBoard, FolderServer], tmp_path: Path
) -> None:
    folder, server = served
    folder.pin_write({"b": 2}, "q")
    folder.write_board_manifest()
    cache = tmp_path / "cache"
    _url_board(server, cache).pin_read("p")  # cached before the cache went read-only
    with read_only(cache):
        board = _url_board(server, cache)
        value, said = _warnings_of(lambda: board.pin_read("q"))
        assert value == {"b": 2}
        assert len(said) == 1 and "cannot be written" in said[0]
        again, said = _warnings_of(lambda: (board.pin_read("q"), board.pin_read("p")))
        assert again == ({"b": 2}, {"a": 1}) and said == []  # one warning, not one a read


def test_a_full_cache_reads_through(
    served: tuple[pins.boards.FolderBoard, FolderServer], tmp_path: Path
) -> None:
    folder, server = served
    folder.pin_write({"big": "x" * 300_000}, "big")
    folder.write_board_manifest()
    cache = tmp_path / "cache"
    with tiny_disk(cache):
        board = _url_board(server, cache)
        value, said = _warnings_of(lambda: board.pin_read("big"))
        assert value == {"big": "x" * 300_000}
        assert len(said) == 1 and "cannot be written" in said[0]
        assert board.pin_read("p") == {"a": 1}


def test_a_read_only_cache_never_blocks_connect_writes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    with ConnectServer(users=["susan:publisher"]) as server, read_only(cache):
        board = pins.board_connect(server.url, api_key=server.api_key("susan"), cache=cache)
        meta, said = _warnings_of(lambda: board.pin_write({"a": 1}, "data"))
        assert meta.name == "susan/data"  # type: ignore[attr-defined]
        assert len(said) == 1
        assert board.pin_read("susan/data") == {"a": 1}
        board.pin_write({"a": 2}, "data")
        assert board.pin_read("susan/data") == {"a": 2}
        assert len(board.pin_versions("susan/data")) == 2
