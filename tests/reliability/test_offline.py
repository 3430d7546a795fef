"""Offline and unreachable, beyond the README's table (tests/test_readme_offline.py checks
each of its cells against stopped servers):

* a server that lists a newer version but fails (HTTP 500) on its data.txt or file: the
  read falls back to the newest cached version with a warning, on Connect and URL
  boards, and never claims that nothing is cached;
* a pin never read, offline: ``pin_exists`` raises PinsOfflineError, never answers False
  for a pin that may exist;
* listing from the cache: versions, pins and search, with the warning when the server is
  unreachable.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

import pins
from pins.errors import PinsOfflineError, PinsOfflineWarning, PinsServerError
from pins.testing import ConnectServer

from ..servers import FolderServer


def _warned(call: Callable[[], Any]) -> tuple[Any, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = call()
    return value, [str(w.message) for w in caught if w.category is PinsOfflineWarning]


def test_connect_500_on_the_latest_reads_the_cached_one(tmp_path: Path) -> None:
    with ConnectServer(users=["susan:publisher"]) as server:
        url, key = server.url, server.api_key("susan")
        writer = pins.board_connect(url, api_key=key, cache=tmp_path / "writer")
        writer.pin_write({"v": 1}, "sales")
        reader = pins.board_connect(url, api_key=key, cache=tmp_path / "reader")
        assert reader.pin_read("susan/sales") == {"v": 1}
        second = writer.pin_write({"v": 2}, "sales")
        assert second.version is not None
        server.faults.error_rate = 1.0
        server.faults.path_pattern = rf"/_rev{second.version.version}/"
        value, said = _warned(lambda: reader.pin_read("susan/sales"))
        assert value == {"v": 1}
        assert len(said) == 1 and "newest cached version" in said[0]
        meta, _ = _warned(lambda: reader.pin_meta("susan/sales"))
        assert meta.version.version != second.version.version
        with pytest.raises(PinsServerError):  # asked for by id: no other version will do
            reader.pin_read("susan/sales", version=second.version.version)
        server.faults.reset()
        assert reader.pin_read("susan/sales") == {"v": 2}


@pytest.mark.parametrize("broken", ["data.txt", "sales.json"])
def test_url_500_on_the_latest_reads_the_cached_one(tmp_path: Path, broken: str) -> None:
    folder = pins.board_folder(tmp_path / "www")
    folder.pin_write({"v": 1}, "sales", type="json")
    folder.write_board_manifest()
    server = FolderServer(tmp_path / "www")
    try:
        board = pins.board_url(server.url, cache=tmp_path / "cache", session=requests.Session())
        assert board.pin_read("sales") == {"v": 1}
        second = folder.pin_write({"v": 2}, "sales", type="json")
        folder.write_board_manifest()
        assert second.version is not None
        server.faults[f"sales/{second.version.version}/{broken}"] = (500, b"busy")
        value, said = _warned(lambda: board.pin_read("sales"))
        assert value == {"v": 1} and len(said) == 1
        assert "cached" in said[0] and "nothing is cached" not in said[0]
    finally:
        server.stop()


def test_offline_never_says_a_pin_is_absent(tmp_path: Path) -> None:
    with ConnectServer(users=["susan:publisher"]) as server:
        url, key = server.url, server.api_key("susan")
        writer = pins.board_connect(url, api_key=key, cache=tmp_path / "writer")
        writer.pin_write({"v": 1}, "read")
        writer.pin_write({"v": 1}, "never")
        online = pins.board_connect(url, api_key=key, cache=tmp_path / "reader")
        online.pin_read("susan/read")
    for offline in (True, False):  # offline, then unreachable (the server is gone)
        board = pins.board_connect(
            url, api_key=key, cache=tmp_path / "reader", offline=offline, session=requests.Session()
        )
        exists, said = _warned(lambda b=board: b.pin_exists("susan/read"))
        assert exists is True and len(said) == (0 if offline else 1)
        with pytest.raises(PinsOfflineError):
            board.pin_exists("susan/never")
        for call, expected in [
            (board.pin_list, ["susan/read"]),
            (lambda b=board: list(b.pin_search("read")["name"]), ["susan/read"]),
            (lambda b=board: len(b.pin_versions("susan/read", as_df=False)), 1),
        ]:
            value, said = _warned(call)
            assert value == expected and len(said) == (0 if offline else 1)
