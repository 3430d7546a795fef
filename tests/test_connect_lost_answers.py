"""A raised error means "not written", even when answers are lost after the server acted
(a proxy on loopback loses them): the lost deploy, the lost upload, the lost DELETE of an
unversioned write's old version, failing task polls, and the one case whose outcome cannot
be known, which says so and is safe to repeat."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pins
from pins.boards.connect import ConnectBoard
from pins.errors import PinsConnectionError, PinsWriteUnknownError
from pins.testing import ConnectServer

from .proxy import LossyProxy


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ConnectServer]:
    with ConnectServer(users=["susan:publisher"], data_dir=tmp_path / "srv") as running:
        yield running


@pytest.fixture
def proxy(server: ConnectServer) -> Iterator[LossyProxy]:
    with LossyProxy(server.url) as running:
        yield running


def board_via(url: str, server: ConnectServer, cache: Path, **kw: Any) -> ConnectBoard:
    return pins.board_connect(url, api_key=server.api_key("susan"), cache=cache, **kw)


def bundles(server: ConnectServer, name: str) -> list[str]:
    """The bundle ids of susan's content ``name``, as the server has them."""
    with server.state.lock:
        (content,) = [c for c in server.state.contents.values() if c.name == name]
        return [str(b.id) for b in server.state.bundles_of(content.guid)]


def active(server: ConnectServer, name: str) -> str:
    with server.state.lock:
        (content,) = [c for c in server.state.contents.values() if c.name == name]
        return str(content.bundle_id)


def test_a_lost_deploy_answer_is_resolved_by_asking_which_bundle_is_active(
    server: ConnectServer, proxy: LossyProxy, tmp_path: Path
) -> None:
    board = board_via(proxy.url, server, tmp_path / "c")
    board.pin_write({"v": 1}, "deployed")
    proxy.lose("POST", r"/deploy$")
    meta = board.pin_write({"v": 2}, "deployed")  # no error: the deploy did happen
    assert proxy.lost == [
        ("POST", f"/__api__/v1/content/{board._known_guid('susan/deployed')}/deploy")
    ]
    assert meta.version is not None and active(server, "deployed") == meta.version.version
    fresh = board_via(server.url, server, tmp_path / "fresh")
    assert fresh.pin_read("susan/deployed") == {"v": 2}
    assert len(fresh.pin_versions("susan/deployed", as_df=False)) == 2


def test_failing_task_polls_do_not_fail_a_write_that_landed(
    server: ConnectServer, tmp_path: Path
) -> None:
    board = board_via(server.url, server, tmp_path / "c")
    board.pin_write({"v": 1}, "polled")
    server.clear_requests()
    server.faults.error_rate = 1.0
    server.faults.path_pattern = r"^/__api__/v1/tasks/"  # every poll answers 500
    meta = board.pin_write({"v": 2}, "polled")
    server.faults.reset()
    assert meta.version is not None and active(server, "polled") == meta.version.version
    polls = [r for r in server.requests if r.path.startswith("/__api__/v1/tasks/")]
    assert len(polls) == 4  # the poll and its three retries, with back-off


def test_a_lost_upload_answer_leaves_no_bundle_and_no_version(
    server: ConnectServer, proxy: LossyProxy, tmp_path: Path
) -> None:
    board = board_via(proxy.url, server, tmp_path / "c")
    first = board.pin_write({"v": 1}, "uploaded")
    proxy.lose("POST", r"/bundles$")
    with pytest.raises(PinsConnectionError):
        board.pin_write({"v": 2}, "uploaded")
    assert first.version is not None
    assert bundles(server, "uploaded") == [first.version.version]  # the stray was deleted
    assert [v.version for v in board.pin_versions("uploaded", as_df=False)] == [
        first.version.version
    ]
    assert board.pin_read("uploaded") == {"v": 1}


def test_bundles_never_deployed_are_not_versions(server: ConnectServer, tmp_path: Path) -> None:
    """A bundle uploaded and never deployed (a writer killed, a server stopped between
    upload and deploy) is not listed, and the versions listed can all be read."""
    board = board_via(server.url, server, tmp_path / "c")
    first = board.pin_write({"v": 1}, "strays")
    guid = board._known_guid("susan/strays")
    assert guid is not None
    archive = tmp_path / "bundle.tar.gz"
    from pins.boards._bundle import write_archive

    write_archive(archive, {"data.txt": b"not a pin"}, "<p>stray</p>")
    stray = board.api.upload_bundle(guid, archive)["id"]
    reader = board_via(server.url, server, tmp_path / "reader")
    listed = [v.version for v in reader.pin_versions("susan/strays", as_df=False)]
    assert first.version is not None and listed == [first.version.version]
    assert stray not in listed
    for version in listed:
        assert reader.pin_read("susan/strays", version=version) == {"v": 1}


def test_a_lost_delete_of_the_old_version_is_no_error(
    server: ConnectServer, proxy: LossyProxy, tmp_path: Path
) -> None:
    board = board_via(proxy.url, server, tmp_path / "c", versioned=False)
    board.pin_write({"v": 1}, "single")
    proxy.lose("DELETE", r"/bundles/\d+$")
    meta = board.pin_write({"v": 2}, "single")  # the DELETE is sent again and gets 404
    assert [m for m, _ in proxy.lost] == ["DELETE"]
    assert meta.version is not None and bundles(server, "single") == [meta.version.version]
    assert [v.version for v in board.pin_versions("single", as_df=False)] == [meta.version.version]


def test_an_unknown_outcome_says_so_and_writing_again_is_idempotent(
    server: ConnectServer, proxy: LossyProxy, tmp_path: Path
) -> None:
    board = board_via(proxy.url, server, tmp_path / "c")
    board.pin_write({"v": 1}, "unknown")
    guid = board._known_guid("susan/unknown")
    proxy.lose("POST", r"/deploy$")  # the deploy lands, its answer is lost,
    proxy.lose("GET", rf"/content/{guid}$", times=4, after_a_loss=True)  # so are the questions
    with pytest.raises(PinsWriteUnknownError, match="may or may not have happened"):
        board.pin_write({"v": 2}, "unknown")
    landed = active(server, "unknown")
    assert len(bundles(server, "unknown")) == 2
    again = board.pin_write({"v": 2}, "unknown")  # the same write, repeated
    assert again.version is not None and again.version.version == landed  # nothing new
    assert len(bundles(server, "unknown")) == 2
    assert board_via(server.url, server, tmp_path / "fresh").pin_read("susan/unknown") == {"v": 2}


def test_a_deploy_that_never_reached_the_server_is_sent_again(
    server: ConnectServer, proxy: LossyProxy, tmp_path: Path
) -> None:
    board = board_via(proxy.url, server, tmp_path / "c")
    board.pin_write({"v": 1}, "resent")
    server.clear_requests()
    proxy.lose("POST", r"/deploy$", before=True)  # the server never sees the first deploy
    meta = board.pin_write({"v": 2}, "resent")
    deploys = [r for r in server.requests if r.path.endswith("/deploy")]
    assert len(proxy.lost) == 1 and [r.status for r in deploys] == [202]
    assert meta.version is not None and active(server, "resent") == meta.version.version


def test_the_bundle_of_a_write_cut_off_before_its_deploy_is_cleaned_up_later(
    server: ConnectServer, proxy: LossyProxy, tmp_path: Path
) -> None:
    """The server goes away between upload and deploy: the bundle stays, is no version,
    and a later write of the same pin deletes it once a deploy of it would be over."""
    board = board_via(proxy.url, server, tmp_path / "c")
    board.deploy_timeout = 0.5
    first = board.pin_write({"v": 1}, "cut_off")
    guid = board._known_guid("susan/cut_off")
    proxy.lose("POST", r"/deploy$", before=True)  # the deploy never arrives,
    proxy.lose("GET", rf"/content/{guid}$", times=4, after_a_loss=True)  # nor anything
    with pytest.raises(PinsWriteUnknownError):
        board.pin_write({"v": 2}, "cut_off")
    assert first.version is not None
    stray = [b for b in bundles(server, "cut_off") if b != first.version.version]
    assert len(stray) == 1 and active(server, "cut_off") == first.version.version
    assert [v.version for v in board.pin_versions("cut_off", as_df=False)] == [
        first.version.version
    ]
    import time

    time.sleep(0.6)
    third = board.pin_write({"v": 3}, "cut_off")
    assert third.version is not None
    assert bundles(server, "cut_off") == [first.version.version, third.version.version]


def test_a_lost_answer_to_the_title_is_no_error(
    server: ConnectServer, proxy: LossyProxy, tmp_path: Path
) -> None:
    """The version is deployed before its title is set: a lost PATCH is sent again, and
    one that keeps failing is a warning, never an error that would say nothing was
    written."""
    board = board_via(proxy.url, server, tmp_path / "c")
    board.pin_write({"v": 1}, "titled")
    guid = board._known_guid("susan/titled")
    proxy.lose("PATCH", rf"/content/{guid}$")
    meta = board.pin_write({"v": 2}, "titled", title="Second")
    assert meta.version is not None and active(server, "titled") == meta.version.version
    assert server.state.contents[str(guid)].title == "Second"
    proxy.lose("PATCH", rf"/content/{guid}$", times=2)
    with pytest.warns(UserWarning, match="was written, but its title"):
        third = board.pin_write({"v": 3}, "titled", title="Third")
    assert third.version is not None and active(server, "titled") == third.version.version
