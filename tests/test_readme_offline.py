"""README.md's table "Offline and unreachable servers", checked cell by cell.

Each board gets two versions of a pin ``sales`` (the newest read once, so cached; the
oldest never read) and a pin never read. Then its server is stopped, and every cell of
the row is tried on a board made offline (``offline=True``) or left to find the server
gone. A cell says ``cache`` (answered from the cache; "versions in the cache only": the
uncached version is not listed; ``PinsOfflineWarning``: with that warning, otherwise
without it) or names the error raised.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

import pins
import pins.errors
from pins.boards.base import Board
from pins.testing import ConnectServer

from .moto_s3 import moto_s3
from .servers import FolderServer, s3_test_credentials

README = Path(__file__).resolve().parents[1] / "README.md"
HEADING = "### Offline and unreachable servers"


def readme_table() -> list[list[str]]:
    """The table's rows (cells stripped), header first."""
    text = README.read_text(encoding="utf-8")
    lines = text[text.index(HEADING) :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        if not set(line) <= set("|- "):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


TABLE = readme_table()
ROWS = TABLE[1:]


@dataclass
class Stopped:
    """A board whose server is gone, after a writer and a reader used it."""

    make: Callable[[bool], Board]  # offline? -> the board, with the reader's cache
    pin: str  # two versions; the newest cached
    never_read: str
    versions: list[str]  # oldest first
    latest_value: Any


def _once() -> requests.Session:
    """A session that does not retry: a server that is gone fails at once (the default
    sessions retry, which changes how long a failure takes, not what it is)."""
    return requests.Session()


def _fill(writer: Board, reader: Callable[[], Board], prefix: str) -> tuple[list[str], str]:
    versions = []
    for value in ({"v": 1}, {"v": 2}):
        meta = writer.pin_write(value, f"{prefix}sales", type="json")
        assert meta.version is not None
        versions.append(meta.version.version)
    writer.pin_write({"other": True}, f"{prefix}other", type="json")
    assert reader().pin_read(f"{prefix}sales") == {"v": 2}
    return versions, f"{prefix}other"


@pytest.fixture(scope="module")
def stopped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Stopped]]:
    root = tmp_path_factory.mktemp("offline")
    boards: dict[str, Stopped] = {}

    with ConnectServer(users=["susan:publisher"]) as server:
        url, key = server.url, server.api_key("susan")
        writer = pins.board_connect(url, api_key=key, cache=root / "connect-writer")

        def connect(offline: bool = False) -> Board:
            return pins.board_connect(
                url, api_key=key, cache=root / "connect", offline=offline, session=_once()
            )

        versions, other = _fill(writer, connect, "susan/")
    boards["Connect"] = Stopped(connect, "susan/sales", other, versions, {"v": 2})

    folder = pins.board_folder(root / "www")
    www = FolderServer(root / "www")
    try:

        def url_board(offline: bool = False) -> Board:
            return pins.board_url(www.url, cache=root / "url", offline=offline, session=_once())

        def write_and_publish() -> Board:
            folder.write_board_manifest()
            return url_board()

        versions, other = _fill(folder, write_and_publish, "")
    finally:
        www.stop()
    boards["URL"] = Stopped(url_board, "sales", other, versions, {"v": 2})

    with pytest.MonkeyPatch.context() as monkeypatch:
        s3_test_credentials(monkeypatch)
        with moto_s3("offline-bucket") as endpoint:

            def s3(offline: bool = False, cache: Path = root / "s3") -> Board:
                board = pins.board_s3(
                    "offline-bucket/pins",
                    cache=cache,
                    offline=offline,
                    endpoint_url=endpoint,
                    config_kwargs={"retries": {"total_max_attempts": 1, "mode": "standard"}},
                )
                board.fs.retries = 1  # as _once(): s3fs retries 5 times by default
                return board

            versions, other = _fill(s3(cache=root / "s3-writer"), s3, "")
        boards["object store"] = Stopped(s3, "sales", other, versions, {"v": 2})
        yield boards


def _outcome(call: Callable[[], Any]) -> tuple[Any, BaseException | None, bool]:
    """What ``call`` returned or raised, and whether it warned PinsOfflineWarning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value, error = call(), None
        except Exception as exc:
            value, error = None, exc
    warned = any(issubclass(w.category, pins.errors.PinsOfflineWarning) for w in caught)
    return value, error, warned


def _expect(cell: str, what: str, call: Callable[[], Any]) -> tuple[Any, list[str]]:
    """Check one operation against a cell; the value (when it answers) and the problems."""
    value, error, warned = _outcome(call)
    if not cell.startswith("cache"):
        name = re.findall(r"`(\w+)`", cell)[0]
        if type(error).__name__ != name:
            return value, [f"{what}: the table says {name}, it gave {error!r} / {value!r}"]
        return value, []
    problems = []
    if error is not None:
        problems.append(f"{what}: the table says it answers from the cache; it raised {error!r}")
    if warned != ("PinsOfflineWarning" in cell):
        problems.append(f"{what}: PinsOfflineWarning {'emitted' if warned else 'missing'}")
    return value, problems


@pytest.mark.parametrize("row", ROWS, ids=[row[0] for row in ROWS])
def test_offline_table_row(row: list[str], stopped: dict[str, Stopped]) -> None:
    kind, _, mode = row[0].partition(", ")
    assert mode in ("offline", "unreachable") and len(row) == len(TABLE[0]) == 6
    case = stopped[kind]
    board = case.make(mode == "offline")
    latest, uncached, never_read, listing, write = row[1:]
    problems = []

    value, found = _expect(latest, "pin_read(latest)", lambda: board.pin_read(case.pin))
    problems += found
    if not found and value != case.latest_value:
        problems.append(f"pin_read(latest) gave {value!r}")
    value, found = _expect(latest, "pin_meta(latest)", lambda: board.pin_meta(case.pin))
    problems += found
    if not found and value.version.version != case.versions[-1]:
        problems.append(f"pin_meta(latest) gave version {value.version.version}")

    old = case.versions[0]
    problems += _expect(uncached, "old version", lambda: board.pin_read(case.pin, version=old))[1]
    problems += _expect(never_read, "pin never read", lambda: board.pin_read(case.never_read))[1]

    listed = {
        "pin_versions": lambda: [v.version for v in board.pin_versions(case.pin, as_df=False)],
        "pin_list": board.pin_list,
        "pin_exists": lambda: board.pin_exists(case.pin),
        "pin_search": lambda: list(board.pin_search(case.pin).name),
    }
    for what, call in listed.items():
        value, found = _expect(listing, what, call)
        problems += found
        if found or not listing.startswith("cache"):
            continue
        cached_only = "versions in the cache only" in listing
        expected = {
            "pin_versions": case.versions[-1:] if cached_only else case.versions,
            "pin_list": [case.pin] if cached_only else sorted([case.pin, case.never_read]),
            "pin_exists": True,
            "pin_search": [case.pin],
        }[what]
        if value != expected:
            problems.append(f"{what} gave {value!r}, not {expected!r}")

    problems += _expect(write, "pin_write", lambda: board.pin_write({"z": 1}, "written"))[1]
    assert problems == []
