"""Calls exactly as users of the first pins package and of pins-python write them: the
order of board_connect's arguments, the kinds of every constructor's arguments, and the
errors pins-python scripts catch."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import platformdirs
import pytest
import requests

import pins
from pins.errors import (
    PinNotFoundError,
    PinsArgumentError,
    PinsError,
    PinsNameError,
    PinsTypeError,
    PinsUnsupportedTypeError,
)
from pins.testing import ConnectServer

KEY = "susan:publisher:sus4n-s3cret-key"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ConnectServer]:
    with ConnectServer(users=[KEY, "derek:viewer"], data_dir=tmp_path / "connect") as srv:
        yield srv


@pytest.fixture
def sales(server: ConnectServer, tmp_path: Path) -> pd.DataFrame:
    df = pd.DataFrame({"month": ["jan", "feb"], "total": [10, 12]})
    writer = pins.board_connect(server.url, api_key=server.api_key("susan"), cache=None)
    writer.pin_write(df, "sales", type="csv")
    return df


# ---------------------------------------------------------------------- board_rsconnect
def test_the_first_packages_call(server: ConnectServer, sales: pd.DataFrame) -> None:
    """The call the project exists for, exactly as its users write it."""
    server_url, key = server.url, server.api_key("susan")
    board = pins.board_rsconnect(server_url, key)
    df = board.pin_read("susan/sales")
    pd.testing.assert_frame_equal(df, sales)


def test_key_second_with_versioned_by_name(server: ConnectServer, sales: pd.DataFrame) -> None:
    board = pins.board_rsconnect(server.url, server.api_key("susan"), versioned=False)
    assert board.versioned is False
    board.pin_write({"a": 1}, "settings")
    board.pin_write({"a": 2}, "settings")  # unversioned: replaces the version
    assert len(board.pin_versions("susan/settings", as_df=False)) == 1
    keyword = pins.board_rsconnect(server_url=server.url, api_key=server.api_key("susan"))
    assert keyword.versioned is True and keyword.pin_read("susan/settings") == {"a": 2}
    third = pins.board_connect(server.url, server.api_key("susan"), False, None, True)
    assert (third.versioned, third.allow_pickle_read) == (False, True)


def test_pinspy_order_with_a_bool_second(
    server: ConnectServer, sales: pd.DataFrame, tmp_path: Path
) -> None:
    key = server.api_key("susan")
    board = pins.board_connect(server.url, False, key, str(tmp_path / "c"), True)
    assert (board.versioned, board.allow_pickle_read) == (False, True)
    assert board.cache.root == tmp_path / "c"
    pd.testing.assert_frame_equal(board.pin_read("susan/sales"), sales)
    by_name = pins.board_rsconnect(server.url, True, api_key=key)
    assert by_name.versioned is True and by_name.pin_exists("susan/sales")


def test_wrong_kinds_are_refused_and_never_show_the_key(server: ConnectServer) -> None:
    key = server.api_key("susan")
    calls = [
        lambda: pins.board_connect(server.url, 1),
        lambda: pins.board_connect(server.url, key, key),
        lambda: pins.board_connect(server.url, key, api_key=key),
        lambda: pins.board_connect(server.url, versioned=key),
        lambda: pins.board_connect(server.url, True, 42),
        lambda: pins.board_connect(server.url, True, key, True),
        lambda: pins.board_connect(server.url, True, key, None, "yes"),
        lambda: pins.board_connect(server.url, True, key, None, None, "extra"),
    ]
    for call in calls:
        with pytest.raises(PinsArgumentError) as caught:
            call()
        message = str(caught.value)
        assert key not in message
        assert "board_connect(server_url" in message or "board_rsconnect" in message
    assert not server.requests  # nothing was sent


@pytest.mark.parametrize(
    "call",
    [
        lambda p: pins.board_folder(p, "no"),
        lambda p: pins.board_folder(p, True, "yes"),
        lambda p: pins.board_folder(True),
        lambda p: pins.board_temp("no"),
        lambda p: pins.board_local(1),
        lambda p: pins.board("file", p, "no"),
        lambda p: pins.board_url("http://127.0.0.1:9/", True),
        lambda p: pins.board_url("http://127.0.0.1:9/", None, True),
        lambda p: pins.board_url("http://127.0.0.1:9/", None, None, "yes"),
        lambda p: pins.board_s3("bucket/pins", "no"),
        lambda p: pins.board_s3(True),
        lambda p: pins.board_memory("scratch", "no"),
        lambda p: pins.board_fsspec("memory://scratch", True),
        lambda p: pins.board_github("org", "repo", "", None, "no"),
    ],
)
def test_other_constructors_check_kinds(call: object, tmp_path: Path) -> None:
    with pytest.raises(PinsArgumentError):
        call(tmp_path / "b")  # type: ignore[operator]


# ---------------------------------------------------------------------- pins-python's errors
def test_unsupported_types_are_also_not_implemented(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    (tmp_path / "data.csv").write_text("a\n1\n")
    with pytest.raises(NotImplementedError, match="pin_upload"):
        board.pin_write(str(tmp_path / "data.csv"), "p", type="file")
    assert not (tmp_path / "p").exists()
    with pytest.raises(PinsUnsupportedTypeError, match="MY_TYPE"):
        board.pin_write({"a": 1}, "p", type="MY_TYPE")
    board.pin_upload(tmp_path / "data.csv", "uploaded")
    with pytest.raises(NotImplementedError) as caught:
        board.pin_read("uploaded")
    assert isinstance(caught.value, PinsTypeError) and "pin_download" in str(caught.value)

    class Local:  # a class inside a function cannot be pickled
        pass

    for thing in (Local(), threading.Lock()):
        with pytest.raises(PinsUnsupportedTypeError) as error:
            board.pin_write(thing, "cool_pin")
        assert isinstance(error.value, NotImplementedError)
        assert isinstance(error.value.__cause__, (pickle.PicklingError, TypeError, AttributeError))
    assert board.pin_list() == ["uploaded"]


def test_messages_scripts_look_for(tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path)
    with pytest.raises(PinNotFoundError, match="not_a_pin_abcdefg does not exist"):
        board.pin_meta("not_a_pin_abcdefg")
    for call in (board.pin_exists, board.pin_read):
        with pytest.raises(ValueError, match=r"name '_pins.yaml' is reserved for internal use\."):
            call("_pins.yaml")
    with pytest.raises(PinsNameError, match="Invalid pin name"):
        board.validate_pin_name("a/b")
    assert board.validate_pin_name("fine") is None


# ---------------------------------------------------------------------- pins-python's defaults
def test_cache_prune_takes_pinspys_order(tmp_path: Path) -> None:
    assert pins.cache_prune(30, tmp_path / "cache", False) == []
    assert pins.cache_prune(days=30, cache_root=tmp_path / "cache", prompt=False) == []
    with pytest.raises(PinsArgumentError, match="prompt=False"):
        pins.cache_prune(30, False)  # type: ignore[arg-type]


def test_board_local_is_pinspys_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PINS_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert pins.board_local().path == Path(platformdirs.user_data_dir("pins-py"))
    assert pins.board_local().path == tmp_path / "data" / "pins-py"


def test_access_type_on_write(server: ConnectServer) -> None:
    key = server.api_key("susan")
    board = pins.board_connect(server.url, api_key=key, cache=None)
    board.pin_write({"a": 1}, "open-data", access_type="all")
    anonymous = requests.get(f"{server.url}/__api__/v1/content", timeout=10)
    assert anonymous.status_code in (401, 403)  # the API needs a key: check as susan
    guid = board._guid("susan/open-data")

    def access() -> str:
        headers = {"Authorization": f"Key {key}"}
        url = f"{server.url}/__api__/v1/content/{guid}"
        return str(requests.get(url, headers=headers, timeout=10).json()["access_type"])

    assert access() == "all"
    board.pin_write({"a": 2}, "open-data")  # a write without it keeps the content's own
    assert access() == "all"
    board.pin_write({"a": 2}, "open-data", access_type="logged_in")  # identical content
    assert access() == "logged_in"
    assert len(board.pin_versions("open-data", as_df=False)) == 2
    with pytest.raises(PinsArgumentError, match="access_type"):
        board.pin_write({"a": 3}, "open-data", access_type="everyone")
    assert board.pin_read("open-data") == {"a": 2}
    with pytest.raises(PinsError):
        pins.board_connect(server.url, api_key=key, access_type="public")


def test_board_by_protocol_as_pinspy_writes_it(server: ConnectServer, sales: pd.DataFrame) -> None:
    options = {"server_url": server.url, "api_key": server.api_key("susan")}
    board = pins.board("rsc", storage_options=options, cache=None)
    pd.testing.assert_frame_equal(board.pin_read("susan/sales"), sales)
    with pytest.raises(PinsError, match="Unknown board protocol"):
        pins.board("gopher", "x")
