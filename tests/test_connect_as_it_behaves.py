"""The Connect client against the emulator set up as real servers are: an administrator's
search, servers where viewers only see themselves, behind a path prefix or an SSO page,
that ignore ``start`` or cap pages; URLs as users write them; every path segment quoted;
the bundle manifest; content names."""

from __future__ import annotations

import io
import json
import tarfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
import requests

import pins
from pins.boards.connect import ConnectBoard
from pins.errors import (
    PinsArgumentError,
    PinsAuthError,
    PinsNameError,
    PinsOfflineError,
    PinsServerError,
    PinVersionNotFoundError,
)
from pins.hashing import hash_file
from pins.testing import ConnectServer

from .proxy import LossyProxy

USERS = {"susan": "publisher", "ellen": "publisher", "derek": "viewer", "boss": "administrator"}
HTML = "the server answered HTML, not Connect's API: check the URL and the proxy"


@pytest.fixture
def server() -> Iterator[ConnectServer]:
    with ConnectServer(users=USERS) as running:
        yield running


def board_as(server: ConnectServer, user: str, cache: Path, **kw: Any) -> ConnectBoard:
    url = kw.pop("url", server.url)
    return pins.board_connect(url, api_key=server.api_key(user), cache=cache, **kw)


def test_an_administrators_search_lists_pins_it_cannot_open(
    server: ConnectServer, tmp_path: Path
) -> None:
    susan = board_as(server, "susan", tmp_path / "susan")
    susan.pin_write({"a": 1}, "private_sales", title="Sales", description="Monthly")
    susan.pin_write({"b": 2}, "open_costs", title="Costs", access_type="logged_in")
    boss = board_as(server, "boss", tmp_path / "boss")
    found = {m.name: m for m in boss.pin_search(as_df=False)}
    assert set(found) == {"susan/private_sales", "susan/open_costs"}
    listed = found["susan/private_sales"]  # what the listing says, never read
    assert (listed.title, listed.description, listed.type, listed.file) == (
        "Sales",
        "Monthly",
        "",
        [],
    )
    assert listed.created is not None and listed.version is not None
    assert found["susan/open_costs"].type == "json"  # readable: its data.txt
    frame = boss.pin_search("sales")
    assert list(frame["name"]) == ["susan/private_sales"]


def test_an_administrator_is_told_a_pin_it_cannot_open_exists(
    server: ConnectServer, tmp_path: Path
) -> None:
    """pin_exists agrees with pin_list and pin_search, which list every pin for an
    administrator: True for a pin it may not open (not a PinsAuthError), False for none,
    and for the pins it may open as for anyone; offline, from what it cached."""
    susan = board_as(server, "susan", tmp_path / "susan")
    susan.pin_write({"a": 1}, "private_sales")
    susan.pin_write({"b": 2}, "open_costs", access_type="logged_in")
    boss = board_as(server, "boss", tmp_path / "boss")  # a collaborator of neither
    listed = boss.pin_list()
    assert listed == ["susan/open_costs", "susan/private_sales"]
    assert [boss.pin_exists(name) for name in listed] == [True, True]
    assert {m.name for m in boss.pin_search(as_df=False)} == set(listed)
    assert not boss.pin_exists("susan/no_such_pin")
    assert not boss.pin_exists("nobody/private_sales")
    with pytest.raises(PinsAuthError):  # its bundles stay closed to it
        boss.pin_read("susan/private_sales")
    assert boss.pin_read("susan/open_costs") == {"b": 2}
    offline = board_as(server, "boss", tmp_path / "boss", offline=True)
    assert offline.pin_exists("susan/open_costs")  # read (and cached) above
    with pytest.raises(PinsOfflineError):  # never read: not "absent"
        offline.pin_exists("susan/private_sales")
    for cache in ("derek", "susan"):  # its own cache, and one that knows susan's pins
        derek = board_as(server, "derek", tmp_path / cache)
        assert derek.pin_exists("susan/open_costs")
        assert not derek.pin_exists("susan/private_sales")  # as its listing says
        assert derek.pin_list() == ["susan/open_costs"]


def test_a_version_is_one_quoted_path_segment(server: ConnectServer, tmp_path: Path) -> None:
    board = board_as(server, "susan", tmp_path / "c")
    meta = board.pin_write({"v": 1}, "quoted")
    assert meta.version is not None
    reader = board_as(server, "susan", tmp_path / "reader")
    for trick in (f"{meta.version.version}#x", f"{meta.version.version}?x=1"):
        with pytest.raises(PinVersionNotFoundError):
            reader.pin_read("susan/quoted", version=trick)


def test_file_names_are_quoted(server: ConnectServer, tmp_path: Path) -> None:
    board = board_as(server, "susan", tmp_path / "c")
    names = ["a#b.txt", "50%x.txt", "q?x=1.txt", "sp ace.txt", "zoë.txt"]
    paths = []
    for name in names:
        (tmp_path / name).write_text(f"content of {name}")
        paths.append(tmp_path / name)
    board.pin_upload(paths, "odd_names")
    got = board_as(server, "susan", tmp_path / "reader").pin_download("susan/odd_names")
    assert [Path(p).read_text() for p in got] == [f"content of {n}" for n in names]


@pytest.mark.parametrize("suffix", ["/__api__", "/__api__/", "/", "//__api__//"])
def test_a_server_url_ending_in_api_is_the_server(
    server: ConnectServer, tmp_path: Path, suffix: str
) -> None:
    board_as(server, "susan", tmp_path / "w").pin_write({"v": 1}, "where")
    board = board_as(server, "susan", tmp_path / "c", url=server.url + suffix)
    assert board.pin_read("susan/where") == {"v": 1}
    assert all(not r.path.startswith("/__api__/__api__") for r in server.requests)


@pytest.mark.parametrize("url", ["connect.example.com", "127.0.0.1:3939", "ftp://host/x"])
def test_a_server_url_without_scheme_is_refused(url: str) -> None:
    with pytest.raises(PinsArgumentError, match=r"https://connect\.example\.com"):
        pins.board_connect(url, api_key="k", cache=None)


def test_viewers_that_only_see_themselves_find_pins_by_name(
    server: ConnectServer, tmp_path: Path
) -> None:
    server.settings.viewers_can_only_see_themselves = True
    board_as(server, "ellen", tmp_path / "e").pin_write(
        {"from": "ellen"}, "shared", access_type="logged_in"
    )
    derek = board_as(server, "derek", tmp_path / "d")
    assert derek.pin_read("ellen/shared") == {"from": "ellen"}
    assert derek.pin_exists("ellen/shared") and not derek.pin_exists("susan/shared")
    include = [r.query for r in server.requests if r.path == "/__api__/v1/content"]
    assert any("include=owner" in q for q in include)


@pytest.fixture
def many_pins(server: ConnectServer) -> set[str]:
    api = requests.Session()
    api.headers["Authorization"] = f"Key {server.api_key('susan')}"
    board = pins.board_connect(server.url, api_key=server.api_key("susan"), cache=None)
    names = {f"susan/pin{i}" for i in range(7)}
    for name in sorted(names):
        board.pin_write({"n": name}, name)
    return names


def _rewrite(query: str, **changes: str | None) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in changes]
    return urlencode(pairs + [(k, v) for k, v in changes.items() if v is not None])


def test_a_server_that_ignores_start_is_read_once(
    server: ConnectServer, many_pins: set[str], tmp_path: Path
) -> None:
    """Pages of 3 from a server that answers every page with its first: the first page
    repeated ends the walk (nothing more can be had from such a server), no duplicates."""
    with LossyProxy(server.url) as proxy:
        proxy.rewrite = lambda m, p, q: (
            _rewrite(q, start=None, count="3") if "applications" in p else q
        )
        board = board_as(server, "susan", tmp_path / "c", url=proxy.url)
        listed = board.pin_list()
    assert len(listed) == len(set(listed)) == 3 and set(listed) < many_pins
    searches = [r for r in server.requests if r.path == "/__api__/applications"]
    assert len(searches) == 2


def test_the_search_asks_for_large_pages(server: ConnectServer, tmp_path: Path) -> None:
    board_as(server, "susan", tmp_path / "c").pin_list()
    (search,) = [r for r in server.requests if r.path == "/__api__/applications"]
    assert dict(parse_qsl(search.query))["count"] == "1000"


def test_a_server_with_small_pages_is_paged(
    server: ConnectServer, many_pins: set[str], tmp_path: Path
) -> None:
    with LossyProxy(server.url) as proxy:
        proxy.rewrite = lambda m, p, q: _rewrite(q, count="2") if "applications" in p else q
        board = board_as(server, "susan", tmp_path / "c", url=proxy.url)
        assert board.pin_list() == sorted(many_pins)
    searches = [r for r in server.requests if r.path == "/__api__/applications"]
    assert [dict(parse_qsl(r.query))["start"] for r in searches] == ["0", "2", "4", "6"]


def test_the_manifest_lists_the_files_with_their_checksums(
    server: ConnectServer, tmp_path: Path
) -> None:
    board = board_as(server, "susan", tmp_path / "c")
    meta = board.pin_write({"v": 1}, "manifested", type="json")
    assert meta.version is not None
    guid = board._known_guid("susan/manifested")
    archive = requests.get(
        f"{server.url}/__api__/v1/content/{guid}/bundles/{meta.version.version}/download",
        headers={"Authorization": f"Key {server.api_key('susan')}"},
        timeout=30,
    ).content
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    manifest = json.loads(members["manifest.json"])
    assert set(manifest["files"]) == {"data.txt", "manifested.json", "index.html"}
    import hashlib

    for name, entry in manifest["files"].items():
        assert entry["checksum"] == hashlib.md5(members[name]).hexdigest()
    assert manifest["metadata"]["appmode"] == "static"


@pytest.mark.parametrize("name", ["abc", "-ab", "a_b", "123", "A-Z_0", "x" * 64])
def test_every_name_connect_accepts_is_written_and_read(
    server: ConnectServer, tmp_path: Path, name: str
) -> None:
    board_as(server, "susan", tmp_path / "w").pin_write({"name": name}, name)
    assert board_as(server, "susan", tmp_path / "r").pin_read(f"susan/{name}") == {"name": name}


@pytest.mark.parametrize("name", ["dot.name", "ab", "x" * 65, "a b"])
def test_names_connect_refuses_are_refused_to_read_too(
    server: ConnectServer, tmp_path: Path, name: str
) -> None:
    r = requests.post(  # Connect's own rule (code 5): no periods, 3 to 64 characters
        f"{server.url}/__api__/v1/content",
        json={"name": name},
        headers={"Authorization": f"Key {server.api_key('susan')}"},
        timeout=30,
    )
    assert r.status_code == 400 and r.json()["code"] == 5
    board = board_as(server, "susan", tmp_path / "r")
    with pytest.raises(PinsNameError, match="letters, digits"):
        board.pin_read(f"susan/{name}")


def test_an_sso_page_is_said_to_be_html(server: ConnectServer, tmp_path: Path) -> None:
    board = board_as(server, "susan", tmp_path / "c")
    meta = board.pin_write({"v": 1}, "behind_sso")
    content_url = board.api.get_content(str(board._known_guid("susan/behind_sso")))
    assert content_url is not None
    server.settings.html_front = True
    fresh = board_as(server, "susan", tmp_path / "fresh")
    for call in (
        lambda: fresh.pin_read("susan/behind_sso"),
        fresh.pin_list,
        lambda: fresh.pin_search("x"),
        lambda: fresh.pin_write({"v": 2}, "susan/behind_sso"),
    ):
        with pytest.raises(PinsServerError, match=HTML):
            call()
    assert meta.version is not None
    with pytest.raises(PinsServerError, match=HTML):  # a file answered with a login page
        fresh.api.read_file(
            str(board._known_guid("susan/behind_sso")), meta.version.version, "data.txt"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(PinsServerError, match=HTML):
            pins.pin_get_rsconnect(content_url["content_url"], server.api_key("susan"))


def test_a_server_below_a_path_prefix(tmp_path: Path) -> None:
    with ConnectServer(users=USERS, path_prefix="/rsc/") as server:
        assert server.url.endswith("/rsc")
        board = board_as(server, "susan", tmp_path / "c", url=server.url + "/")
        meta = board.pin_write({"v": 1}, "prefixed")
        reader = board_as(server, "susan", tmp_path / "r")
        assert reader.pin_read("susan/prefixed") == {"v": 1}
        assert reader.pin_browse("susan/prefixed", open=False).startswith(server.url + "/")
        assert meta.version is not None
        file = reader.pin_download("susan/prefixed")[0]
        assert hash_file(file) == meta.pin_hash
        outside = requests.get(server.url.removesuffix("/rsc") + "/__api__/v1/user", timeout=30)
        assert outside.status_code == 404
