"""The board contract on fsspec filesystems (memory, local, S3 through moto), plus
what only an object-store board can show: commit order, cached reads, error translation
and reading the boards other writers made."""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import fsspec
import pytest
from fsspec.implementations.local import LocalFileSystem
from fsspec.implementations.memory import MemoryFileSystem

import pins
import pins.boards.object_stores
from pins.boards.folder import FolderBoard
from pins.boards.fsspec_board import FsspecBoard
from pins.boards.object_stores import board_fsspec, board_memory, board_s3
from pins.cache import PinsCache
from pins.errors import (
    PinNotFoundError,
    PinsAuthError,
    PinsConnectionError,
    PinsError,
    PinsMissingDependencyError,
    PinsOfflineError,
    PinsOfflineWarning,
    PinsRemoteError,
    PinsWriteConflictError,
)
from pins.testing.contract import BoardContract

from .conftest import FIXTURES
from .moto_s3 import moto_s3

MEMORY = fsspec.filesystem("memory")


@pytest.fixture
def memory_root() -> Iterator[str]:
    """A fresh folder in the process-wide memory filesystem, removed afterwards."""
    root = f"/pins-test-{uuid.uuid4().hex}"
    yield root
    if MEMORY.exists(root):
        MEMORY.rm(root, recursive=True)


def _board(fs: Any, root: str, tmp_path: Path, **kwargs: Any) -> FsspecBoard:
    url = f"{fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]}://{root}"
    return FsspecBoard(fs, root, cache=PinsCache(url, root=tmp_path / "cache"), **kwargs)


# ---------------------------------------------------------------------- the contract
class TestMemoryContract(BoardContract):
    @pytest.fixture
    def board(self, memory_root: str, tmp_path: Path) -> FsspecBoard:
        return _board(MEMORY, memory_root, tmp_path)


class TestLocalContract(BoardContract):
    @pytest.fixture
    def board(self, tmp_path: Path) -> FsspecBoard:
        return board_fsspec(f"file://{tmp_path / 'board'}", cache=str(tmp_path / "cache"))


# ---------------------------------------------------------------------- spies
class SpyFS(MemoryFileSystem):  # type: ignore[misc]
    """The memory filesystem, recording every call that touches the store."""

    def __init__(self, *args: Any, fail: BaseException | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[tuple[str, str]] = []
        self.fail = fail

    def _note(self, op: str, path: Any) -> None:
        self.calls.append((op, str(path)))
        if self.fail is not None:
            raise self.fail

    def _open(self, path: str, mode: str = "rb", *args: Any, **kwargs: Any) -> Any:
        self._note(f"open:{mode}", path)
        return super()._open(path, mode, *args, **kwargs)

    def cat_file(self, path: str, *args: Any, **kwargs: Any) -> Any:
        self._note("cat_file", path)
        return super().cat_file(path, *args, **kwargs)

    def find(self, path: str, *args: Any, **kwargs: Any) -> Any:
        self._note("find", path)
        return super().find(path, *args, **kwargs)

    def rm(self, path: Any, *args: Any, **kwargs: Any) -> Any:
        for one in [path] if isinstance(path, str) else path:
            self._note("rm", one)
        return super().rm(path, *args, **kwargs)

    def writes(self) -> list[str]:
        return [path.rsplit("/", 1)[-1] for op, path in self.calls if op.startswith("open:w")]


def _spy(fail: BaseException | None = None) -> SpyFS:
    return SpyFS(fail=fail, skip_instance_cache=True)


def test_data_txt_is_written_last(memory_root: str, tmp_path: Path) -> None:
    fs = _spy()
    board = _board(fs, memory_root, tmp_path)
    (tmp_path / "a.csv").write_text("x\n1\n")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01")
    board.pin_upload([tmp_path / "a.csv", tmp_path / "b.bin"], "two")
    assert fs.writes() == ["a.csv", "b.bin", "data.txt"]


def test_delete_removes_data_txt_first(memory_root: str, tmp_path: Path) -> None:
    fs = _spy()
    board = _board(fs, memory_root, tmp_path)
    first = board.pin_write({"i": 1}, "gone")
    board.pin_write({"i": 2}, "gone")
    assert first.version is not None
    fs.calls.clear()
    board.pin_version_delete("gone", first.version.version)
    removed = [path for op, path in fs.calls if op == "rm"]
    assert removed[0].endswith(f"{first.version.version}/data.txt")
    assert removed[1].endswith(first.version.version)
    fs.calls.clear()
    board.pin_delete("gone")
    removed = [path for op, path in fs.calls if op == "rm"]
    assert removed[0].endswith("/data.txt") and removed[-1] == f"{memory_root}/gone"
    assert not MEMORY.exists(f"{memory_root}/gone")


def test_cached_read_only_lists(memory_root: str, tmp_path: Path) -> None:
    fs = _spy()
    board = _board(fs, memory_root, tmp_path)
    board.pin_write({"k": [1, 2]}, "cached")
    fresh = _board(fs, memory_root, tmp_path / "other")  # a new cache: reads once
    fs.calls.clear()
    assert fresh.pin_read("cached") == {"k": [1, 2]}
    assert [op for op, _ in fs.calls] == ["find", "cat_file", "open:rb"]
    fs.calls.clear()
    assert fresh.pin_read("cached") == {"k": [1, 2]}
    assert [op for op, _ in fs.calls] == ["find"]  # which version is latest; nothing read
    version = fresh.pin_versions("cached", as_df=False)[0].version
    fs.calls.clear()
    assert fresh.pin_read("cached", version=version) == {"k": [1, 2]}
    assert fs.calls == []  # a version named by its id needs no listing either


def test_corrupted_cached_file_is_fetched_again(memory_root: str, tmp_path: Path) -> None:
    fs = _spy()
    board = _board(fs, memory_root, tmp_path)
    board.pin_write({"value": "original"}, "fragile")
    (cached,) = board.pin_download("fragile")
    Path(cached).write_text('{"value": "tampered"}')  # another size, another mtime
    fs.calls.clear()
    assert board.pin_read("fragile") == {"value": "original"}
    assert ("open:rb", f"{memory_root}/fragile") in [(o, p.rsplit("/", 2)[0]) for o, p in fs.calls]
    assert json.loads(Path(cached).read_text()) == {"value": "original"}


def test_corrupted_remote_file_is_refused(memory_root: str, tmp_path: Path) -> None:
    board = _board(MEMORY, memory_root, tmp_path)
    meta = board.pin_write({"a": 1}, "bad")
    assert meta.version is not None
    MEMORY.pipe_file(f"{memory_root}/bad/{meta.version.version}/bad.json", b'{"a": 2}')
    with pytest.raises(pins.errors.PinsHashError):
        board.pin_read("bad")


# ---------------------------------------------------------------------- layout
def test_readers_skip_what_is_not_a_version(memory_root: str, tmp_path: Path) -> None:
    board = _board(MEMORY, memory_root, tmp_path)
    meta = board.pin_write({"v": 1}, "tidy")
    pin = f"{memory_root}/tidy"
    MEMORY.pipe_file(f"{pin}/20990101T000000Z-aaaaa/tidy.json", b"{}")  # no data.txt yet
    MEMORY.pipe_file(f"{pin}/.pins-staging-x/data.txt", b"file: x\n")
    MEMORY.pipe_file(f"{pin}/stray.txt", b"x")
    MEMORY.pipe_file(f"{pin}/a/b/data.txt", b"file: x\n")  # too deep
    MEMORY.pipe_file(f"{memory_root}/_pins.yaml", b"{}\n")
    MEMORY.pipe_file(f"{memory_root}/empty_pin/20990101T000000Z-bbbbb/x.json", b"{}")
    assert board.pin_list() == ["tidy"]
    assert [v.version for v in board.pin_versions("tidy", as_df=False)] == [meta.version.version]  # type: ignore[union-attr]
    assert board.pin_read("tidy") == {"v": 1}
    assert not board.pin_exists("empty_pin")


def test_write_conflict_and_identical_commit(memory_root: str, tmp_path: Path) -> None:
    board = _board(MEMORY, memory_root, tmp_path)
    when = datetime(2024, 1, 15, 12, 0, tzinfo=timezone.utc)
    meta = board.pin_write({"i": 1}, "first", created=when)
    assert meta.version is not None
    version = meta.version.version
    # another writer's different content under the id this write will take
    other = meta.replace(pin_hash="0" * 16, name=None, version=None)
    MEMORY.pipe_file(f"{memory_root}/clash/{version}/data.txt", other.to_yaml().encode())
    with pytest.raises(PinsWriteConflictError):
        board.pin_write({"i": 1}, "clash", created=when)
    # the same content already committed under that id: the write succeeds as it is
    MEMORY.pipe_file(
        f"{memory_root}/same/{version}/data.txt",
        MEMORY.cat_file(f"{memory_root}/first/{version}/data.txt"),
    )
    MEMORY.pipe_file(f"{memory_root}/same/{version}/same.json", b"placeholder")
    again = board.pin_write({"i": 1}, "same", created=when, force_identical_write=True)
    assert again.version is not None and again.version.version == version
    assert len(board.pin_versions("same", as_df=False)) == 1


def test_manifest(memory_root: str, tmp_path: Path) -> None:
    board = _board(MEMORY, memory_root, tmp_path)
    one = board.pin_write([1], "b")
    two = board.pin_write([2], "b")
    board.pin_write([3], "a")
    manifest = board.write_board_manifest()
    assert list(manifest) == ["a", "b"]
    assert manifest["b"] == [f"b/{one.version.version}/", f"b/{two.version.version}/"]  # type: ignore[union-attr]
    import yaml

    assert yaml.safe_load(MEMORY.cat_file(f"{memory_root}/_pins.yaml")) == manifest
    assert board.pin_list() == ["a", "b"]


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("fail", "expected"),
    [
        (PermissionError("AccessDenied"), PinsAuthError),
        (ConnectionResetError("reset"), PinsConnectionError),
        (OSError(5, "I/O error"), PinsRemoteError),
    ],
)
def test_errors_translated(
    memory_root: str, tmp_path: Path, fail: BaseException, expected: type[PinsError]
) -> None:
    _board(MEMORY, memory_root, tmp_path).pin_write({"a": 1}, "p")
    board = _board(_spy(fail), memory_root, tmp_path / "fresh")
    for call in (board.pin_list, lambda: board.pin_read("p"), lambda: board.pin_write([2], "q")):
        with pytest.raises(PinsError) as info:
            call()
        error: BaseException | None = info.value
        if isinstance(error, PinsOfflineError):  # a read, unreachable, with nothing cached
            assert expected is PinsConnectionError and "nothing is cached" in str(error)
            error = error.__cause__
        assert isinstance(error, expected)
        assert error.__cause__ is fail
        assert not isinstance(info.value, PinNotFoundError)


def test_unreachable_store_falls_back_to_the_cache(memory_root: str, tmp_path: Path) -> None:
    board = _board(MEMORY, memory_root, tmp_path)
    board.pin_write({"a": 1}, "p")
    assert board.pin_read("p") == {"a": 1}  # now cached
    down = _board(_spy(ConnectionResetError("reset")), memory_root, tmp_path)
    with pytest.warns(PinsOfflineWarning, match="newest cached version"):
        assert down.pin_read("p") == {"a": 1}
    with pytest.raises(PinsConnectionError):  # writes never settle for the cache
        down.pin_write({"a": 2}, "p")
    spy = _spy()
    offline = _board(spy, memory_root, tmp_path, offline=True)
    assert offline.pin_read("p") == {"a": 1}
    assert spy.calls == []  # offline touches nothing
    with pytest.raises(PinsOfflineError):
        offline.pin_read("not_cached")


def test_refused_open_is_not_missing(memory_root: str, tmp_path: Path) -> None:
    class NoReads(MemoryFileSystem):  # type: ignore[misc]
        def _open(self, path: str, mode: str = "rb", *args: Any, **kwargs: Any) -> Any:
            raise PermissionError(path)

        def cat_file(self, path: str, *args: Any, **kwargs: Any) -> Any:
            raise PermissionError(path)

    _board(MEMORY, memory_root, tmp_path).pin_write({"a": 1}, "p")
    board = _board(NoReads(skip_instance_cache=True), memory_root, tmp_path / "fresh")
    assert board.pin_list() == ["p"]
    with pytest.raises(PinsAuthError, match="refused"):
        board.pin_read("p")


def test_refused_local_listing_is_not_empty(tmp_path: Path) -> None:
    class NoListing(LocalFileSystem):  # type: ignore[misc]
        def ls(self, path: str, detail: bool = False, **kwargs: Any) -> Any:
            raise PermissionError(13, "Permission denied", path)

    pins.board_folder(tmp_path / "b").pin_write([1], "p")
    board = _board(NoListing(skip_instance_cache=True), str(tmp_path / "b"), tmp_path)
    with pytest.raises(PinsAuthError):
        board.pin_list()
    with pytest.raises(PinsAuthError):
        board.pin_exists("p")


def test_botocore_errors_translated(memory_root: str, tmp_path: Path) -> None:
    exceptions = pytest.importorskip("botocore.exceptions")
    denied = exceptions.ClientError(
        {"Error": {"Code": "AccessDenied"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "Get"
    )
    unreachable = exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9")
    for fail, expected in [(denied, PinsAuthError), (unreachable, PinsConnectionError)]:
        board = _board(_spy(fail), memory_root, tmp_path)
        with pytest.raises(expected) as info:
            board.pin_write([1], "p")
        assert info.value.__cause__ is fail
    # reading: unreachable with nothing cached says so, chaining the translated failure
    with pytest.raises(PinsAuthError):
        _board(_spy(denied), memory_root, tmp_path).pin_list()
    with pytest.raises(PinsOfflineError, match="nothing is cached") as offline:
        _board(_spy(unreachable), memory_root, tmp_path).pin_list()
    assert isinstance(offline.value.__cause__, PinsConnectionError)
    assert offline.value.__cause__.__cause__ is unreachable


def test_missing_packages_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from pins.boards import object_stores

    for module, make in [
        ("s3fs", object_stores.board_s3),
        ("gcsfs", object_stores.board_gcs),
        ("adlfs", object_stores.board_azure),
    ]:
        monkeypatch.setitem(sys.modules, module, None)  # import fails
        with pytest.raises(PinsMissingDependencyError, match=r'pip install "pins\['):
            make("bucket/pins")
    with pytest.raises(PinsMissingDependencyError, match=r"pins\[s3\]"):
        board_fsspec("s3://bucket/pins")


# ---------------------------------------------------------------------- other writers
def test_folder_board_and_fsspec_board_read_each_other(tmp_path: Path) -> None:
    folder = pins.board_folder(tmp_path / "shared")
    remote = board_fsspec(f"file://{tmp_path / 'shared'}", cache=None)
    folder.pin_write({"from": "folder"}, "a")
    remote.pin_write({"from": "fsspec"}, "b", metadata={"k": 1})
    remote.pin_write({"from": "fsspec", "n": 2}, "b")
    for board in (folder, remote):
        assert board.pin_list() == ["a", "b"]
        assert board.pin_read("a") == {"from": "folder"}
        assert board.pin_read("b") == {"from": "fsspec", "n": 2}
        assert [v.version for v in board.pin_versions("b", as_df=False)] == [
            v.version for v in folder.pin_versions("b", as_df=False)
        ]
    assert folder.pin_meta("b", folder.pin_versions("b", as_df=False)[0].version).user == {"k": 1}
    assert not any(p.name.startswith(".") for p in (tmp_path / "shared").rglob("*"))


@pytest.mark.parametrize("name", ["pinspy_board", "pinsr_board"])
def test_fixture_boards_in_memory(name: str, memory_root: str, tmp_path: Path) -> None:
    MEMORY.put(str(FIXTURES / name), memory_root, recursive=True)
    board = board_fsspec(MEMORY, memory_root, cache=None, allow_pickle_read=True)
    local = FolderBoard(FIXTURES / name, allow_pickle_read=True)
    assert board.pin_list() == local.pin_list() and board.pin_list()
    for pin in local.pin_list():
        assert board.pin_versions(pin, as_df=False) == local.pin_versions(pin, as_df=False)
        assert board.pin_meta(pin) == local.pin_meta(pin)
        assert [Path(p).read_bytes() for p in board.pin_download(pin)] == [
            Path(p).read_bytes() for p in local.pin_download(pin)
        ]
    if name == "pinspy_board":
        expected = FIXTURES / "expected"
        old = board.pin_versions("penguins_csv", as_df=False)[0].version
        assert board.pin_read("penguins_csv", version=old).shape == (344, 8)
        assert board.pin_read("penguins_csv").shape == (200, 8)
        assert board.pin_read("cfg_json") == json.loads((expected / "cfg_json.json").read_text())
        assert board.pin_read("model_joblib") == json.loads(
            (expected / "model_joblib.json").read_text()
        )
    else:
        assert len(board.pin_read("iris_csv")) == 50


def test_constructors(memory_root: str, tmp_path: Path) -> None:
    board = board_memory(memory_root.strip("/"))
    assert board.url == f"memory://{memory_root}" and board.cache.board_id == board.url
    board.pin_write([1], "x")
    same = board_fsspec(f"memory://{memory_root}", cache=str(tmp_path / "c"))
    assert same.pin_read("x") == [1] and same.cache.root == tmp_path / "c"
    default = board_fsspec("memory://", path=memory_root)
    assert default.cache.root == pins.config.cache_dir() and default.pin_list() == ["x"]
    assert repr(default) == f"board_fsspec('memory://{memory_root}')"
    with pytest.raises(PinsError):
        board_fsspec(42)
    with pytest.raises(PinsError):
        board_s3("s3://")


def test_gcs_and_azure_constructors(
    memory_root: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With stand-ins for gcsfs and adlfs: the options reach the filesystem, and the
    board's identity in the cache names the store, never a secret."""
    import types

    made: list[dict[str, Any]] = []

    def filesystem(**options: Any) -> MemoryFileSystem:
        made.append(options)
        fs = MemoryFileSystem(skip_instance_cache=True)
        fs.account_name = options.get("account_name")
        return fs

    for module, cls in [("gcsfs", "GCSFileSystem"), ("adlfs", "AzureBlobFileSystem")]:
        monkeypatch.setitem(sys.modules, module, types.SimpleNamespace(**{cls: filesystem}))
    bucket = memory_root.strip("/")
    gcs = pins.boards.object_stores.board_gcs(f"gs://{bucket}/pins", token="secret-token")
    assert made[-1] == {"token": "secret-token"}
    assert gcs.cache.board_id == f"gs://{bucket}/pins"
    azure = pins.boards.object_stores.board_azure(
        f"az://{bucket}/pins", account_name="acct", account_key="secret-key", cache=None
    )
    assert made[-1] == {"account_name": "acct", "account_key": "secret-key"}
    assert azure.cache.board_id == f"abfs://acct/{bucket}/pins"
    gcs.pin_write({"a": 1}, "shared")  # both stand-ins are the same memory store
    assert azure.pin_read("shared") == {"a": 1}
    assert "secret" not in repr(gcs) + repr(azure)


def test_docstring_examples() -> None:
    import doctest

    from pins.boards import fsspec_board, object_stores

    for module in (fsspec_board, object_stores):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0


# ---------------------------------------------------------------------- S3 (moto on loopback)
@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_s3("pins-bucket") as endpoint:
        yield endpoint


@pytest.fixture
def s3_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


def _s3_board(endpoint: str, root: str, **kwargs: Any) -> FsspecBoard:
    return board_s3(
        f"pins-bucket/{root}", endpoint_url=endpoint, key="test", secret="test", **kwargs
    )


@pytest.mark.usefixtures("s3_env")
class TestS3Contract(BoardContract):
    @pytest.fixture
    def board(self, s3_endpoint: str) -> FsspecBoard:
        return _s3_board(s3_endpoint, f"contract-{uuid.uuid4().hex[:12]}", cache=None)


@pytest.mark.usefixtures("s3_env")
def test_s3_layout_and_other_readers(s3_endpoint: str, tmp_path: Path) -> None:
    root = f"layout-{uuid.uuid4().hex[:12]}"
    board = _s3_board(s3_endpoint, root, cache=str(tmp_path / "cache"))
    meta = board.pin_write({"a": 1}, "cfg")
    assert meta.version is not None
    keys = sorted(board.fs.find(f"pins-bucket/{root}"))
    prefix = f"pins-bucket/{root}/cfg/{meta.version.version}"
    assert keys == [f"{prefix}/cfg.json", f"{prefix}/data.txt"]
    assert "at http://127.0.0.1" in board.cache.board_id and "test" not in board.cache.board_id
    # the bucket copied to a folder is a folder board, and back again
    board.fs.get(f"pins-bucket/{root}", str(tmp_path / "copy"), recursive=True)
    assert pins.board_folder(tmp_path / "copy").pin_read("cfg") == {"a": 1}
    shutil.copytree(FIXTURES / "pinspy_board", tmp_path / "fixture")
    board.fs.put(str(tmp_path / "fixture"), f"pins-bucket/{root}-fx", recursive=True)
    other = _s3_board(s3_endpoint, f"{root}-fx", cache=None)
    assert other.pin_read("cfg_json") == json.loads(
        (FIXTURES / "expected" / "cfg_json.json").read_text()
    )
    board.write_board_manifest()
    assert board.fs.cat_file(f"pins-bucket/{root}/_pins.yaml").startswith(b"cfg:")


@pytest.mark.usefixtures("s3_env")
def test_s3_unreachable_is_a_connection_error(s3_endpoint: str) -> None:
    import s3fs

    fs = s3fs.S3FileSystem(  # client_kwargs: s3fs < 2023.3 has no endpoint_url of its own
        client_kwargs={"endpoint_url": s3_endpoint},
        key="test",
        secret="test",
        skip_instance_cache=True,
    )
    good = FsspecBoard(fs, "pins-bucket/private", cache=None)
    good.pin_write([1], "p")
    unreachable = board_s3(
        "pins-bucket/private",
        endpoint_url="http://127.0.0.1:9",
        key="test",
        secret="test",
        cache=None,
        config_kwargs={"retries": {"max_attempts": 1}, "connect_timeout": 1},
    )
    with pytest.raises(PinsConnectionError, match="cannot be reached"):
        unreachable.pin_write([2], "p")
    with pytest.raises(PinsOfflineError, match="nothing is cached") as info:
        unreachable.pin_list()  # a read: the cache would answer, but holds nothing
    assert isinstance(info.value.__cause__, PinsConnectionError)


@pytest.mark.usefixtures("s3_env")
def test_s3_request_budget(s3_endpoint: str) -> None:
    root = f"budget-{uuid.uuid4().hex[:12]}"
    _s3_board(s3_endpoint, root, cache=None).pin_write({"a": 1}, "cfg")
    board = _s3_board(s3_endpoint, root, cache=None, skip_instance_cache=True)
    sent: list[str] = []

    def count(request: Any, **_: Any) -> None:
        path = request.url.split("?")[0].removeprefix(s3_endpoint)
        sent.append(f"{request.method} {path.removeprefix(f'/pins-bucket/{root}')}")

    board.fs.s3.meta.events.register("before-send.s3", count)
    assert board.pin_read("cfg") == {"a": 1}
    assert [s.split()[0] for s in sent] == ["GET", "GET", "GET"]  # list, data.txt, file
    sent.clear()
    assert board.pin_read("cfg") == {"a": 1}
    assert sent == ["GET /pins-bucket"]  # one ListObjectsV2: which version is latest
    sent.clear()
    assert board.pin_list() == ["cfg"]
    assert sent == ["GET /pins-bucket"]
    sent.clear()
    meta = board.pin_write({"a": 2}, "cfg")
    assert meta.version is not None
    folder = f"/cfg/{meta.version.version}"
    assert sent == [
        "GET /pins-bucket",  # the versions, to compare hashes
        "GET /pins-bucket",  # the version id is still free
        f"PUT {folder}/cfg.json",
        f"PUT {folder}/data.txt",  # the commit, last
    ]
