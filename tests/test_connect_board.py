"""The Connect board against the emulator: the contract, the request budget, the cache,
offline reads, failures and credentials."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pins
from pins.boards.connect import ConnectBoard
from pins.errors import (
    PinNotFoundError,
    PinsAuthError,
    PinsError,
    PinsNameError,
    PinsOfflineError,
    PinsOfflineWarning,
    PinsServerError,
    PinsVersionError,
)
from pins.testing import ConnectServer
from pins.testing.contract import BoardContract

USERS = ("susan:publisher", "ellen:publisher", "derek:viewer")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ConnectServer]:
    with ConnectServer(users=USERS, data_dir=tmp_path / "connect") as srv:
        yield srv


def make_board(server: ConnectServer, cache: Path, user: str = "susan", **kw: Any) -> ConnectBoard:
    return pins.board_connect(server.url, api_key=server.api_key(user), cache=cache, **kw)


@pytest.fixture
def board(server: ConnectServer, tmp_path: Path) -> ConnectBoard:
    return make_board(server, tmp_path / "cache")


class TestConnectBoardContract(BoardContract):
    version_ids_are_timestamps = False
    versions_dated_by_created = False

    def qualify(self, name: str) -> str:
        return f"susan/{name}"

    @pytest.fixture
    def board(self, server: ConnectServer, tmp_path: Path) -> ConnectBoard:
        return make_board(server, tmp_path / "cache")


def _count(server: ConnectServer) -> int:
    return len(server.requests)


def test_request_budget(server: ConnectServer, tmp_path: Path) -> None:
    """A first read costs at most 4 requests, a read of a cached version at most 1."""
    make_board(server, tmp_path / "writer").pin_write({"a": 1}, "budget", type="json")
    server.clear_requests()
    reader = make_board(server, tmp_path / "reader")
    assert reader.pin_read("susan/budget") == {"a": 1}
    first = _count(server)
    assert first <= 4, server.requests
    server.clear_requests()
    again = make_board(server, tmp_path / "reader")  # a new process, the same cache
    assert again.pin_read("susan/budget") == {"a": 1}
    assert _count(server) <= 1, server.requests
    server.clear_requests()
    again.pin_read("susan/budget")
    assert _count(server) <= 1


def test_bare_name_is_the_keys_user(board: ConnectBoard, server: ConnectServer) -> None:
    meta = board.pin_write([1, 2], "mine")
    assert meta.name == "susan/mine"
    assert board.pin_read("susan/mine") == [1, 2] == board.pin_read("mine")


def test_versions_are_bundles(board: ConnectBoard, server: ConnectServer) -> None:
    a = board.pin_write({"i": 1}, "bundled")
    b = board.pin_write({"i": 2}, "bundled")
    assert a.version is not None and b.version is not None
    assert a.version.version.isdigit() and int(b.version.version) > int(a.version.version)
    versions = board.pin_versions("bundled")
    assert list(versions["version"]) == [a.version.version, b.version.version]
    assert versions["created"].notna().all()


def test_pins_of_other_users(server: ConnectServer, tmp_path: Path) -> None:
    ellen = make_board(server, tmp_path / "ellen", user="ellen", access_type="all")
    ellen.pin_write({"from": "ellen"}, "shared_cfg")
    susan = make_board(server, tmp_path / "susan")
    assert susan.pin_read("ellen/shared_cfg") == {"from": "ellen"}
    with pytest.raises(PinsError, match="belongs to the API key's user"):
        susan.pin_write({"x": 1}, "ellen/new_pin")
    with pytest.raises(PinsAuthError):  # not hers to change
        susan.pin_write({"x": 2}, "ellen/shared_cfg")
    assert susan.pin_read("ellen/shared_cfg") == {"from": "ellen"}


def test_viewer_cannot_write(server: ConnectServer, tmp_path: Path) -> None:
    viewer = make_board(server, tmp_path / "derek", user="derek")
    with pytest.raises(PinsAuthError):
        viewer.pin_write({"x": 1}, "nope")


@pytest.mark.parametrize("bad", ["ab", "a" * 65, "has space", "dot.name", "a/b/c", "../xyz"])
def test_connect_name_rule(board: ConnectBoard, bad: str) -> None:
    with pytest.raises(PinsNameError):
        board.pin_write([1], bad)


def test_active_version_cannot_be_deleted(board: ConnectBoard) -> None:
    meta = board.pin_write({"i": 1}, "active")
    assert meta.version is not None
    with pytest.raises(PinsVersionError, match="active"):
        board.pin_version_delete("active", meta.version.version)
    assert board.pin_read("active") == {"i": 1}


def test_wrong_key(server: ConnectServer, tmp_path: Path) -> None:
    secret = "not-a-real-key-0123456789"
    board = pins.board_connect(server.url, api_key=secret, cache=tmp_path / "c")
    with pytest.raises(PinsAuthError) as info:
        board.pin_read("susan/anything")
    assert secret not in str(info.value) and secret not in repr(board)
    assert all(secret not in p.read_text(errors="ignore") for p in _files(tmp_path / "c"))


def test_key_never_in_cache_or_repr(
    board: ConnectBoard, server: ConnectServer, tmp_path: Path
) -> None:
    board.pin_write({"a": 1}, "secretive")
    board.pin_read("secretive")
    key = server.api_key("susan")
    assert key not in repr(board) and key not in repr(board.api)
    for path in _files(tmp_path / "cache"):
        assert key.encode() not in path.read_bytes(), path


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_no_server_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONNECT_SERVER", raising=False)
    with pytest.raises(PinsError, match="CONNECT_SERVER"):
        pins.board_connect()


def test_env_configuration(
    server: ConnectServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONNECT_SERVER", server.url)
    monkeypatch.setenv("CONNECT_API_KEY", server.api_key("susan"))
    board = pins.board_rsconnect(cache=tmp_path / "c")
    board.pin_write({"env": True}, "from_env")
    assert board.pin_read("susan/from_env") == {"env": True}


# ---------------------------------------------------------------- offline and failures
def test_offline_reads_from_cache(server: ConnectServer, tmp_path: Path) -> None:
    board = make_board(server, tmp_path / "cache")
    board.pin_write({"v": 1}, "offline_pin")
    board.pin_read("offline_pin")
    server.clear_requests()
    offline = make_board(server, tmp_path / "cache", offline=True)
    assert offline.pin_read("susan/offline_pin") == {"v": 1}
    assert offline.pin_read("offline_pin") == {"v": 1}  # the key's user is remembered
    assert _count(server) == 0
    with pytest.raises(PinsOfflineError):
        offline.pin_read("susan/never_read")
    with pytest.raises(PinsOfflineError):  # writing needs the server
        offline.pin_write({"v": 2}, "offline_pin")
    assert _count(server) == 0


def test_offline_environment_variable(
    server: ConnectServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_board(server, tmp_path / "cache").pin_write({"v": 2}, "env_offline")
    monkeypatch.setenv("PINS_OFFLINE", "1")
    server.clear_requests()
    assert make_board(server, tmp_path / "cache").pin_read("env_offline") == {"v": 2}
    assert _count(server) == 0


def test_unreachable_server_falls_back_with_warning(tmp_path: Path) -> None:
    with ConnectServer(users=USERS, data_dir=tmp_path / "connect") as server:
        board = make_board(server, tmp_path / "cache")
        board.pin_write({"v": 1}, "fallback")
        url, key = server.url, server.api_key("susan")
    # the server is gone
    board = pins.board_connect(url, api_key=key, cache=tmp_path / "cache")
    with pytest.warns(PinsOfflineWarning, match="could not be reached"):
        assert board.pin_read("susan/fallback") == {"v": 1}
    with pytest.raises(PinsOfflineError, match=url.split("//")[1]) as info:
        board.pin_read("susan/not_cached")
    assert "nothing is cached" in str(info.value)


def test_server_errors_are_pins_errors(board: ConnectBoard, server: ConnectServer) -> None:
    board.pin_write({"v": 1}, "flaky")
    server.faults.error_rate = 1.0
    server.faults.path_pattern = "/__api__/v1/content"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a write never settles for the cache
        with pytest.raises(PinsServerError):
            board.pin_write({"v": 2}, "flaky")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PinsOfflineWarning)
        assert board.pin_read("flaky") == {"v": 1}  # from the cache, with a warning
    server.faults.reset()
    assert board.pin_read("flaky") == {"v": 1}


def test_failed_deploy_keeps_previous_version(board: ConnectBoard, server: ConnectServer) -> None:
    board.pin_write({"v": 1}, "deploy_fail")
    server.faults.fail_deploys = True
    with pytest.raises(PinsServerError, match="deploy"):
        board.pin_write({"v": 2}, "deploy_fail")
    server.faults.reset()
    assert board.pin_read("deploy_fail") == {"v": 1}
    assert len(board.pin_versions("deploy_fail", as_df=False)) == 1  # the bundle was removed


def test_slow_deploy_is_waited_for(board: ConnectBoard, server: ConnectServer) -> None:
    server.faults.task_polls = 3
    board.pin_write({"v": "slow"}, "slow_pin")
    server.faults.reset()
    fresh = pins.board_connect(server.url, api_key=server.api_key("susan"), cache=None)
    assert fresh.pin_read("slow_pin") == {"v": "slow"}


def test_corrupt_cached_file_is_fetched_again(board: ConnectBoard, tmp_path: Path) -> None:
    meta = board.pin_write({"v": list(range(100))}, "corrupt")
    assert meta.version is not None
    path = Path(board.pin_download("corrupt")[0])
    path.write_text('{"v": "tampered"}')
    assert board.pin_read("corrupt") == {"v": list(range(100))}


def test_missing_pin(board: ConnectBoard) -> None:
    with pytest.raises(PinNotFoundError):
        board.pin_read("nobody_home")
    with pytest.raises(PinNotFoundError):
        board.pin_read("nosuchuser/abc")
