"""What the Connect board asks of the server, counted on the emulator: one lookup of the
user and of the content per write, deploy polls that never loop hot, and responses opened
before anything enters the cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import pins
from pins.boards._connect_api import ConnectApi, ConnectNotFound
from pins.boards.connect import ConnectBoard
from pins.errors import PinsServerError, PinsWriteUnknownError
from pins.testing import ConnectServer


@pytest.fixture
def server() -> Iterator[ConnectServer]:
    with ConnectServer(users=["susan:publisher"]) as running:
        yield running


@pytest.fixture
def board(server: ConnectServer, tmp_path: Path) -> ConnectBoard:
    return pins.board_connect(server.url, api_key=server.api_key("susan"), cache=tmp_path / "c")


def _requests(server: ConnectServer) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in server.requests]


def test_a_first_write_looks_up_the_user_and_the_content_once(
    board: ConnectBoard, server: ConnectServer
) -> None:
    server.clear_requests()
    board.pin_write({"a": 1}, "counted")
    sent = _requests(server)
    assert sent.count(("GET", "/__api__/v1/user")) == 1
    assert not [r for r in sent if r[1] == "/__api__/v1/users"]  # the key's user has its guid
    assert sent.count(("GET", "/__api__/v1/content")) == 1
    assert len(sent) == 7, sent  # user, content, create, upload, deploy, task, title
    server.clear_requests()
    board.pin_write({"a": 2}, "counted")
    sent = _requests(server)
    guid = board._known_guid("susan/counted")
    assert sent.count(("GET", f"/__api__/v1/content/{guid}")) == 1
    assert len(sent) == 6, sent  # content, bundles, upload, deploy, task, title


def test_deploy_polls_never_loop_hot(board: ConnectBoard, server: ConnectServer) -> None:
    """A server that answers every poll at once, unfinished: the client pauses between
    polls (0.05 s doubling to 1 s), so a 1.5 s deadline sees a handful of polls."""
    board.deploy_timeout = 1.5
    server.faults.task_polls = 10_000
    with pytest.raises(PinsWriteUnknownError, match="did not finish deploying"):
        board.pin_write({"a": 1}, "slow_to_deploy")  # it may yet: the outcome is unknown
    polls = [r for r in server.requests if r.path.startswith("/__api__/v1/tasks/")]
    assert 3 <= len(polls) <= 9, len(polls)  # a hot loop makes hundreds


def test_deploy_polls_that_wait_are_not_paused(board: ConnectBoard, server: ConnectServer) -> None:
    """A server that holds the poll (``wait``) until the task is done is polled once."""
    server.faults.task_seconds = 0.5
    board.pin_write({"a": 1}, "long_polled")
    polls = [r for r in server.requests if r.path.startswith("/__api__/v1/tasks/")]
    assert len(polls) == 1
    assert "wait=1" in polls[0].query


def test_a_file_is_opened_before_the_cache_sees_it(
    board: ConnectBoard, server: ConnectServer, tmp_path: Path
) -> None:
    meta = board.pin_write({"a": 1}, "opened")
    assert meta.version is not None
    api = ConnectApi(server.url, server.api_key("susan"))
    guid = board._known_guid("susan/opened")
    assert guid is not None
    with pytest.raises(ConnectNotFound):  # the request is made (and refused) at once
        api.open_file(guid, meta.version.version, "no-such-file.json")

    reader = pins.board_connect(
        server.url, api_key=server.api_key("susan"), cache=tmp_path / "reader"
    )
    reader.pin_meta("susan/opened")  # data.txt is cached; the file is not
    server.faults.error_rate = 1.0
    server.faults.path_pattern = "^/content/"
    with pytest.raises(PinsServerError):
        reader.pin_read("susan/opened")
    (entry,) = pins.cache_info(tmp_path / "reader").itertuples()
    assert entry.files == 1  # data.txt only: nothing of the failed download
    assert not list((tmp_path / "reader").rglob(".tmp-*"))
    server.faults.reset()
    assert reader.pin_read("susan/opened") == {"a": 1}
    (entry,) = pins.cache_info(tmp_path / "reader").itertuples()
    assert entry.files == 2
