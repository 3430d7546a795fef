"""A cache that several API keys share hands a key only what the server lets that key read,
online and offline; nothing in it names a key; a pickled board holds no key."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pins
from pins.boards.connect import ConnectBoard
from pins.errors import PinsAuthError, PinsOfflineError
from pins.testing import ConnectServer

USERS = {
    "susan": "publisher",
    "ellen": "publisher",
    "derek": "viewer",
    "boss": "administrator",
}


@pytest.fixture
def server() -> Iterator[ConnectServer]:
    with ConnectServer(users=USERS) as running:
        yield running


def board_as(server: ConnectServer, user: str, cache: Path, **kw: Any) -> ConnectBoard:
    return pins.board_connect(server.url, api_key=server.api_key(user), cache=cache, **kw)


@pytest.fixture
def shared(server: ConnectServer, tmp_path: Path) -> tuple[Path, str]:
    """A cache holding version 2 of susan's private pin, read by susan: (cache, version)."""
    cache = tmp_path / "shared-cache"
    susan = board_as(server, "susan", cache)
    susan.pin_write({"secret": 1}, "private")
    second = susan.pin_write({"secret": 2}, "private")
    assert second.version is not None
    assert board_as(server, "susan", cache).pin_read("susan/private") == {"secret": 2}
    return cache, second.version.version


@pytest.mark.parametrize("user", ["derek", "ellen", "boss"])
def test_a_key_gets_no_cached_version_it_may_not_read(
    server: ConnectServer, shared: tuple[Path, str], user: str
) -> None:
    cache, version = shared
    other = board_as(server, user, cache)
    with pytest.raises(PinsAuthError):
        other.pin_read("susan/private", version=version)
    with pytest.raises(PinsAuthError):
        other.pin_read("susan/private")
    with pytest.raises(PinsAuthError):
        other.pin_download("susan/private", version=version)
    with pytest.raises(PinsOfflineError, match="has not read"):
        board_as(server, user, cache, offline=True).pin_read("susan/private", version=version)


def test_the_key_that_read_a_version_gets_it_offline(
    server: ConnectServer, shared: tuple[Path, str]
) -> None:
    cache, version = shared
    server.clear_requests()
    offline = board_as(server, "susan", cache, offline=True)
    assert offline.pin_read("susan/private", version=version) == {"secret": 2}
    assert offline.pin_read("susan/private") == {"secret": 2}
    assert server.requests == []


def test_a_cached_version_costs_one_request_to_check_access(
    server: ConnectServer, shared: tuple[Path, str]
) -> None:
    cache, version = shared
    server.clear_requests()
    susan = board_as(server, "susan", cache)
    assert susan.pin_read("susan/private", version=version) == {"secret": 2}
    assert [(r.method, r.path.rsplit("/", 1)[0]) for r in server.requests] == [
        ("GET", "/__api__/v1/content")
    ]
    susan.pin_read("susan/private", version=version)
    assert len(server.requests) == 1  # checked once per board


def test_access_granted_later_is_honoured(server: ConnectServer, shared: tuple[Path, str]) -> None:
    cache, version = shared
    susan = board_as(server, "susan", cache)
    guid = susan._known_guid("susan/private")
    assert guid is not None
    susan.api.patch_content(guid, access_type="logged_in")
    derek = board_as(server, "derek", cache)
    assert derek.pin_read("susan/private", version=version) == {"secret": 2}


def test_the_cache_names_no_key(server: ConnectServer, shared: tuple[Path, str]) -> None:
    cache, _ = shared
    board_as(server, "derek", cache).pin_list()
    for user in USERS:
        key = server.api_key(user)
        for needle in (key, hashlib.sha256(key.encode()).hexdigest()[:16]):
            for path in cache.rglob("*"):
                assert needle not in path.name
                if path.is_file():
                    assert needle.encode() not in path.read_bytes(), path


def test_a_pickled_board_holds_no_key(
    server: ConnectServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = server.api_key("susan")
    board = board_as(server, "susan", tmp_path / "c")
    board.pin_write({"a": 1}, "pickled")
    data = pickle.dumps(board)
    assert key.encode() not in data
    monkeypatch.setenv("CONNECT_API_KEY", key)
    assert pickle.loads(data).pin_read("susan/pickled") == {"a": 1}
    monkeypatch.setenv("CONNECT_API_KEY", server.api_key("derek"))
    with pytest.raises(PinsAuthError):  # another key, with its own rights
        pickle.loads(data).pin_read("susan/pickled")
    monkeypatch.delenv("CONNECT_API_KEY")
    with pytest.raises(PinsAuthError, match="CONNECT_API_KEY"):
        pickle.loads(data).pin_read("susan/pickled")
