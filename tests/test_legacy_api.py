"""The 0.1 API against the Connect emulator: ``pins.connect.pin_read``, the deprecated
``pin_rsconnect`` / ``pin_get_rsconnect``, and (marked ``interop``) the real pins 0.1.5
package reading and writing alongside us."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import requests

import pins
import pins.connect as pc
from pins.boards._connect_api import ConnectApi
from pins.errors import (
    PinNotFoundError,
    PinsAuthError,
    PinsConnectionError,
    PinsError,
    PinsMetadataError,
    PinsNameError,
    PinsTypeError,
)
from pins.hashing import hash_file
from pins.testing import ConnectServer

from .legacy01 import Pins01, ensure_pins01
from .peers import PeerUnavailable

USERS = ("susan:publisher", "ellen:publisher", "derek:viewer")
WRONG_KEY = "0123456789abcdef-not-a-key-fedcba9876543210"
FRAME = pd.DataFrame({"city": ["Zürich", "Kraków", "東京"], "n": [1, 2, 3], "x": [0.5, -1.25, 3.0]})


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ConnectServer]:
    with ConnectServer(users=USERS, data_dir=tmp_path / "connect") as srv:
        yield srv


@pytest.fixture
def key(server: ConnectServer) -> str:
    return server.api_key("susan")


@pytest.fixture
def board(server: ConnectServer, key: str, tmp_path: Path) -> pins.boards.Board:
    return pins.board_connect(server.url, api_key=key, cache=tmp_path / "writer-cache")


@pytest.fixture(scope="session")
def pins01_python() -> Path:
    """The python of a virtual environment with the real pins 0.1.5 (built once, cached)."""
    try:
        return ensure_pins01()
    except PeerUnavailable as exc:
        pytest.skip(f"pins 0.1.5 unavailable: {exc}")


@pytest.fixture
def pins01(pins01_python: Path, tmp_path: Path) -> Pins01:
    return Pins01(pins01_python, tmp_path / "pins01-work")


def _legacy(func: Any, *args: Any) -> Any:
    """Call a deprecated legacy function without its warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return func(*args)


def _assert_key_hidden(exc: BaseException, key: str) -> None:
    seen: BaseException | None = exc
    while seen is not None:
        assert key not in str(seen) and key not in repr(seen)
        seen = seen.__cause__ or seen.__context__


class Utf8Json:
    """An object whose to_json() gives raw UTF-8 text (pandas escapes non-ASCII as \\u)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def to_json(self) -> str:
        return json.dumps(self.value, ensure_ascii=False)


# ---------------------------------------------------------------------- pc.pin_read
def test_pin_read_csv_returns_the_frame(board: pins.boards.Board, server: ConnectServer) -> None:
    board.pin_write(FRAME, "cities", type="csv")
    got = pc.pin_read(server.url, server.api_key("susan"), "susan/cities")
    pd.testing.assert_frame_equal(got, FRAME)


@pytest.mark.parametrize(
    ("pin_type", "value"),
    [
        ("parquet", FRAME),
        ("arrow", FRAME),
        ("json", {"cities": ["Zürich", "東京"], "n": 3, "nested": {"ok": True}}),
    ],
)
def test_pin_read_any_type_through_the_board(
    board: pins.boards.Board, server: ConnectServer, pin_type: str, value: Any
) -> None:
    board.pin_write(value, "things", type=pin_type)
    got = pc.pin_read(server.url, server.api_key("susan"), "susan/things")  # another cache
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(got, value)
    else:
        assert got == value


def test_pin_read_latest_version(board: pins.boards.Board, server: ConnectServer) -> None:
    board.pin_write({"v": 1}, "settings", type="json")
    board.pin_write({"v": 2}, "settings", type="json")
    assert pc.pin_read(server.url, server.api_key("susan"), "susan/settings") == {"v": 2}


def test_meta_only_gives_the_data_txt_fields(
    board: pins.boards.Board, server: ConnectServer
) -> None:
    meta = board.pin_write(
        FRAME,
        "cities",
        type="csv",
        title="Cities",
        description="Three cities",
        metadata={"source": "atlas"},
    )
    fields = pc.pin_read(server.url, server.api_key("susan"), "susan/cities", meta_only=True)
    assert type(fields) is dict
    required = {"file", "file_size", "pin_hash", "type", "title", "description", "created"}
    assert required | {"api_version", "user"} <= set(fields)
    assert fields["file"] == "cities.csv"
    assert fields["type"] == "csv"
    assert fields["title"] == "Cities"
    assert fields["description"] == "Three cities"
    assert fields["pin_hash"] == meta.pin_hash
    assert fields["file_size"] == meta.file_size
    assert fields["created"] == meta.created
    assert fields["api_version"] == 1
    assert fields["user"] == {"source": "atlas"}
    assert not {"name", "version", "local"} & set(fields)  # only what data.txt holds
    json.dumps(fields)  # plain data


def test_bare_name_is_the_keys_user(board: pins.boards.Board, server: ConnectServer) -> None:
    board.pin_write([1, 2, 3], "numbers", type="json")
    assert pc.pin_read(server.url, server.api_key("susan"), "numbers") == [1, 2, 3]


def test_pin_read_unknown_pin(server: ConnectServer, key: str) -> None:
    with pytest.raises(pc.PinURLNotFoundError, match="susan/missing") as info:
        pc.pin_read(server.url, key, "susan/missing")
    assert isinstance(info.value, PinNotFoundError)
    with pytest.raises(PinNotFoundError):
        pc.pin_read(server.url, key, "nobody/missing")


def test_pin_read_wrong_key(board: pins.boards.Board, server: ConnectServer) -> None:
    board.pin_write({"a": 1}, "secret", type="json")
    with pytest.raises(pc.APIKeyNotValidError) as info:
        pc.pin_read(server.url, WRONG_KEY, "susan/secret")
    assert isinstance(info.value, PinsAuthError)
    assert "API key" in str(info.value)
    _assert_key_hidden(info.value, WRONG_KEY)


def test_pin_read_unreachable_server(tmp_path: Path) -> None:
    with ConnectServer(users=USERS, data_dir=tmp_path / "gone") as srv:
        url, key = srv.url, srv.api_key("susan")
    with pytest.raises(pc.NotAValidConnectServerError, match=r"127\.0\.0\.1") as info:
        pc.pin_read(url, key, "susan/anything")
    assert isinstance(info.value, PinsConnectionError)
    _assert_key_hidden(info.value, key)


def test_pin_read_of_a_legacy_pin_says_how_to_read_it(server: ConnectServer, key: str) -> None:
    _legacy(pins.pin_rsconnect, FRAME, "old_style", "Old style", server.url, key)
    with pytest.raises(pc.VersionMismatchError, match="pin_get_rsconnect") as info:
        pc.pin_read(server.url, key, "susan/old_style")
    assert isinstance(info.value, PinsMetadataError)


def test_bad_name_is_refused(server: ConnectServer, key: str) -> None:
    with pytest.raises(PinsNameError):
        pc.pin_read(server.url, key, "susan/x")  # Connect names have 3 to 64 characters


def test_the_01_exception_names_are_kept() -> None:
    expected = {
        "NotAValidConnectServerError": PinsConnectionError,
        "APIKeyNotValidError": PinsAuthError,
        "PinURLNotFoundError": PinNotFoundError,
        "VersionMismatchError": PinsMetadataError,
        "SupportedTypeError": PinsTypeError,
        "AmbiguousUsernameError": PinsError,
    }
    for name, base in expected.items():
        assert issubclass(getattr(pc, name), base), name
        assert name in pc.__all__
    assert "pin_read" in pc.__all__


def test_importing_pins_connect_is_light() -> None:
    code = (
        "import sys, pins.connect, pins.legacy; "
        "print(sorted(m for m in ('pandas', 'requests', 'pyarrow', 'pins.boards.connect') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------------- legacy functions
def test_legacy_functions_are_deprecated(server: ConnectServer, key: str) -> None:
    with pytest.warns(DeprecationWarning, match=r"board_connect\(.*\)\.pin_write") as rec:
        out = pins.pin_rsconnect(FRAME, "deprecated_pin", "Deprecated", server.url, key)
    assert rec[0].filename == __file__  # points at the caller
    with pytest.warns(DeprecationWarning, match=r"board_connect\(.*\)\.pin_read") as rec:
        pins.pin_get_rsconnect(out["content_url"], key)
    assert rec[0].filename == __file__
    assert {"pin_rsconnect", "pin_get_rsconnect"} <= set(pins.__all__)


def test_pin_rsconnect_publishes_and_returns_the_urls(server: ConnectServer, key: str) -> None:
    out = _legacy(pins.pin_rsconnect, FRAME, "legacy_cities", "Legacy cities", server.url, key)
    assert set(out) == {"dash_url", "content_url"}
    api = ConnectApi(server.url, key)
    me = api.me()
    content = api.find_content(me["guid"], "legacy_cities")
    assert content is not None
    guid = content["guid"]
    assert out["content_url"] == f"{server.url}/content/{guid}/" == content["content_url"]
    assert out["dash_url"] == content["dashboard_url"]
    assert guid in out["dash_url"]
    assert content["title"] == "Legacy cities"
    assert content["app_mode"] == "static"
    assert content["bundle_id"]  # deployed before returning
    # what Connect serves: the JSON as data.txt (UTF-8), a landing page
    served = requests.get(out["content_url"] + "data.txt", headers={"Authorization": f"Key {key}"})
    assert served.status_code == 200
    assert "charset=utf-8" in served.headers["Content-Type"]
    assert json.loads(served.content) == json.loads(FRAME.to_json())
    page = requests.get(out["content_url"], headers={"Authorization": f"Key {key}"})
    assert "Legacy cities" in page.text
    # and read back
    got = _legacy(pins.pin_get_rsconnect, out["content_url"], key)
    assert got == json.loads(FRAME.to_json())
    pd.testing.assert_frame_equal(pd.DataFrame(got).reset_index(drop=True), FRAME)


def test_non_ascii_round_trip_as_raw_utf8(server: ConnectServer, key: str) -> None:
    value = {"name": "Zoë Ångström", "city": "東京", "emoji": "🙂", "n": [1, 2]}
    data = Utf8Json(value)
    assert "Zoë" in data.to_json()  # not escaped: the charset matters
    out = _legacy(pins.pin_rsconnect, data, "utf8_pin", "Ünïcode", server.url, key)
    assert _legacy(pins.pin_get_rsconnect, out["content_url"], key) == value
    # without the trailing slash too
    assert _legacy(pins.pin_get_rsconnect, out["content_url"].rstrip("/"), key) == value


def test_pin_rsconnect_again_updates_the_same_content(server: ConnectServer, key: str) -> None:
    first = _legacy(pins.pin_rsconnect, Utf8Json([1]), "twice", "First title", server.url, key)
    second = _legacy(pins.pin_rsconnect, Utf8Json([2]), "twice", "Second title", server.url, key)
    assert first == second
    assert _legacy(pins.pin_get_rsconnect, second["content_url"], key) == [2]
    api = ConnectApi(server.url, key)
    content = api.find_content(api.me()["guid"], "twice")
    assert content is not None
    assert content["title"] == "Second title"
    assert len(api.list_bundles(content["guid"])) == 2


def test_pin_rsconnect_same_name_as_another_users_content(server: ConnectServer) -> None:
    """Unlike 0.1 (first hit of ?name=), the key's own content is used or created."""
    ellen = _legacy(
        pins.pin_rsconnect, Utf8Json("e"), "shared_name", "E", server.url, server.api_key("ellen")
    )
    susan = _legacy(
        pins.pin_rsconnect, Utf8Json("s"), "shared_name", "S", server.url, server.api_key("susan")
    )
    assert ellen["content_url"] != susan["content_url"]
    assert _legacy(pins.pin_get_rsconnect, ellen["content_url"], server.api_key("ellen")) == "e"
    assert _legacy(pins.pin_get_rsconnect, susan["content_url"], server.api_key("susan")) == "s"


def test_pin_rsconnect_refuses_bad_input_before_any_request(
    server: ConnectServer, key: str
) -> None:
    server.clear_requests()
    with pytest.raises(PinsNameError):
        _legacy(pins.pin_rsconnect, FRAME, "a/b", "Bad", server.url, key)
    with pytest.raises(PinsTypeError, match="to_json"):
        _legacy(pins.pin_rsconnect, [1, 2], "no_to_json", "Bad", server.url, key)
    assert server.requests == []


def test_legacy_wrong_key(server: ConnectServer, key: str) -> None:
    with pytest.raises(PinsAuthError) as info:
        _legacy(pins.pin_rsconnect, FRAME, "nope_pin", "Nope", server.url, WRONG_KEY)
    _assert_key_hidden(info.value, WRONG_KEY)
    out = _legacy(pins.pin_rsconnect, FRAME, "mine_pin", "Mine", server.url, key)
    with pytest.raises(PinsAuthError) as info:
        _legacy(pins.pin_get_rsconnect, out["content_url"], WRONG_KEY)
    _assert_key_hidden(info.value, WRONG_KEY)


def test_viewer_cannot_publish(server: ConnectServer) -> None:
    viewer = server.api_key("derek")
    with pytest.raises(PinsAuthError) as info:
        _legacy(pins.pin_rsconnect, FRAME, "viewer_pin", "V", server.url, viewer)
    _assert_key_hidden(info.value, viewer)


def test_pin_get_rsconnect_unknown_and_wrong_urls(
    board: pins.boards.Board, server: ConnectServer, key: str
) -> None:
    missing = f"{server.url}/content/6f1c0e0a-1a2b-4c3d-8e9f-0123456789ab/"
    with pytest.raises(PinNotFoundError, match="content_url"):
        _legacy(pins.pin_get_rsconnect, missing, key)
    with pytest.raises(PinsError, match="URL"):
        _legacy(pins.pin_get_rsconnect, "not a url", key)
    # a pins v1 pin: data.txt is YAML metadata, not JSON
    board.pin_write({"a": 1}, "modern", type="json")
    api = ConnectApi(server.url, key)
    content = api.find_content(api.me()["guid"], "modern")
    assert content is not None
    with pytest.raises(PinsMetadataError, match="pin_read"):
        _legacy(pins.pin_get_rsconnect, content["content_url"], key)


# ---------------------------------------------------------------------- the real pins 0.1.5
def _publish_raw_pin(
    server: ConnectServer, key: str, name: str, tmp: Path, api_version: str = "1.0"
) -> pd.DataFrame:
    """A csv pin written by hand, whose data.txt says ``api_version: 1.0`` (as R pins 1.0
    to 1.1 and our board write it) or what ``api_version`` says (pins-python and R >= 1.2
    write ``1``)."""
    import tarfile

    frame = pd.DataFrame({"species": ["Adélie", "Gentoo"], "mass": [3750, 5000]})
    folder = tmp / name
    folder.mkdir()
    frame.to_csv(folder / f"{name}.csv", index=False)
    size = (folder / f"{name}.csv").stat().st_size
    (folder / "data.txt").write_text(
        f"file: {name}.csv\nfile_size: {size}\npin_hash: {hash_file(folder / f'{name}.csv')}\n"
        f"type: csv\ntitle: '{name}: a pinned 2 x 2 data frame'\ndescription: ~\n"
        f"created: 20211029T120018Z\napi_version: {api_version}\n",
        encoding="utf-8",
    )
    (folder / "index.html").write_text("<h1>pin</h1>")
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "version": 1,
                "metadata": {
                    "appmode": "static",
                    "primary_html": "index.html",
                    "content_category": "pin",
                },
            }
        )
    )
    archive = tmp / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for path in folder.iterdir():
            tar.add(path, arcname=path.name)
    api = ConnectApi(server.url, key)
    guid = api.create_content(name, None, None, None)["guid"]
    api.deploy(guid, str(api.upload_bundle(guid, archive)["id"]))
    return frame


@pytest.mark.interop
def test_pins01_reads_the_pins_we_write(
    board: pins.boards.Board, server: ConnectServer, key: str, pins01: Pins01
) -> None:
    """pins 0.1.5 finds our csv pin, reads its data.txt and its data: it accepts only
    ``str(api_version) == "1.0"`` and type csv, which is why we write ``api_version: 1.0``
    (pins-python and R compare it as a number)."""
    meta = board.pin_write(FRAME, "cities", type="csv")
    fields = pins01.run(f"""
        import json, pins.connect as pc
        print(json.dumps(pc.pin_read({server.url!r}, {key!r}, "susan/cities", meta_only=True)))
    """)
    assert fields.error is None, fields.stderr
    assert fields.value["pin_hash"] == meta.pin_hash
    assert fields.value["file"] == "cities.csv"
    assert fields.value["api_version"] == 1.0
    assert fields.value == pc.pin_read(server.url, key, "susan/cities", meta_only=True)

    read = pins01.run(f"""
        import pins.connect as pc
        print(pc.pin_read({server.url!r}, {key!r}, "susan/cities").to_json(orient="records"))
    """)
    assert read.error is None, read.stderr
    assert read.value == json.loads(FRAME.to_json(orient="records"))


@pytest.mark.interop
def test_pins01_reads_a_csv_pin_with_api_version_1_0(
    server: ConnectServer, key: str, pins01: Pins01, tmp_path: Path
) -> None:
    """The emulator serves the whole 0.1 reader sequence (ping, user, users?prefix=,
    content?owner_guid=&name=, content_url + "/data.txt" with a double slash, the csv with
    a lower-case ``key`` header); non-ASCII survives because text is served as UTF-8."""
    frame = _publish_raw_pin(server, key, "penguins", tmp_path)
    server.clear_requests()
    read = pins01.run(f"""
        import pins.connect as pc
        print(pc.pin_read({server.url!r}, {key!r}, "susan/penguins").to_json())
    """)
    assert read.error is None, read.stderr
    pd.testing.assert_frame_equal(pd.DataFrame(read.value).reset_index(drop=True), frame)
    paths = [r.path for r in server.requests]
    assert paths[:4] == [
        "/__ping__",
        "/__api__/v1/user",
        "/__api__/v1/users",
        "/__api__/v1/content",
    ]
    assert any("//data.txt" in r.raw_path for r in server.requests)
    assert all(r.status == 200 for r in server.requests)
    # and ours reads the same pin (api_version 1.0 is v1)
    pd.testing.assert_frame_equal(pc.pin_read(server.url, key, "susan/penguins"), frame)
    assert pc.pin_read(server.url, key, "susan/penguins", meta_only=True)["api_version"] == 1.0


@pytest.mark.interop
def test_pins01_refuses_other_types_and_api_version_1(
    board: pins.boards.Board, server: ConnectServer, key: str, pins01: Pins01, tmp_path: Path
) -> None:
    """What 0.1.5's data read refuses (README, "The 0.1 API"): a type other than csv, and
    ``api_version: 1``; ours reads both."""
    board.pin_write({"a": 1}, "settings", type="json")
    frame = _publish_raw_pin(server, key, "spelled_1", tmp_path, api_version="1")
    for name, error in [("settings", "SupportedTypeError"), ("spelled_1", "VersionMismatchError")]:
        read = pins01.run(f"""
            import pins.connect as pc
            pc.pin_read({server.url!r}, {key!r}, "susan/{name}")
        """)
        assert read.error == error, read.stderr
    assert pc.pin_read(server.url, key, "susan/settings") == {"a": 1}
    pd.testing.assert_frame_equal(pc.pin_read(server.url, key, "susan/spelled_1"), frame)


@pytest.mark.interop
def test_pins01_pin_rsconnect_is_read_by_both(
    server: ConnectServer, key: str, pins01: Pins01
) -> None:
    out = pins01.run(f"""
        import json, pandas, pins
        df = pandas.DataFrame({{"city": ["Zürich", "東京"], "n": [1, 2]}})
        out = pins.pin_rsconnect(df, "from_01", "From 0.1", {server.url + "/"!r}, {key!r})
        back = pins.pin_get_rsconnect(out["content_url"], {key!r})
        print(json.dumps({{"out": out, "back": back}}))
    """)
    assert out.error is None, out.stderr
    expected = {"city": {"0": "Zürich", "1": "東京"}, "n": {"0": 1, "1": 2}}
    assert out.value["back"] == expected
    urls = out.value["out"]
    assert set(urls) == {"dash_url", "content_url"}
    assert _legacy(pins.pin_get_rsconnect, urls["content_url"], key) == expected
    # the 0.1 writer wraps its files in a tmpXXXX/ folder and never polls the task;
    # the content is nonetheless deployed as a static pin with our title
    api = ConnectApi(server.url, key)
    content = api.find_content(api.me()["guid"], "from_01")
    assert content is not None
    assert content["content_url"] == urls["content_url"]
    assert content["dashboard_url"] == urls["dash_url"]
    assert content["title"] == "From 0.1"
    assert content["app_mode"] == "static"
    # a server URL with a trailing slash: 0.1 sends //__api__/... and the emulator accepts it
    assert any(r.raw_path.startswith("//__api__/") for r in server.requests)


@pytest.mark.interop
def test_our_pin_rsconnect_is_read_by_pins01(
    server: ConnectServer, key: str, pins01: Pins01
) -> None:
    value = {"name": "Zoë Ångström", "city": "東京", "n": [1, 2, 3]}
    raw = _legacy(pins.pin_rsconnect, Utf8Json(value), "from_us", "From us", server.url, key)
    frame = _legacy(pins.pin_rsconnect, FRAME, "frame_from_us", "Frame", server.url, key)
    back = pins01.run(f"""
        import json, pins
        print(json.dumps([
            pins.pin_get_rsconnect({raw["content_url"]!r}, {key!r}),
            pins.pin_get_rsconnect({frame["content_url"]!r}, {key!r}),
        ]))
    """)
    assert back.error is None, back.stderr
    assert back.value == [value, json.loads(FRAME.to_json())]
    # and the 0.1 writer updates the content we made (its ?name= lookup finds it)
    again = pins01.run(f"""
        import json, pins
        print(json.dumps(pins.pin_rsconnect(
            __import__("pandas").DataFrame({{"a": [7]}}), "from_us", "From us", {server.url!r},
            {key!r})))
    """)
    assert again.error is None, again.stderr
    assert again.value == raw
    assert _legacy(pins.pin_get_rsconnect, raw["content_url"], key) == {"a": {"0": 7}}


@pytest.mark.interop
def test_pins01_reader_limits_that_ours_does_not_have(
    server: ConnectServer, key: str, pins01: Pins01, tmp_path: Path
) -> None:
    """0.1.5 asks ``users?prefix=owner`` and gives up when more than one user matches (the
    prefix also matches longer usernames); we match the exact username. Both refuse a
    wrong key with the same 0.1 exception name."""
    frame = _publish_raw_pin(server, key, "penguins", tmp_path)
    server.add_user("susanna", "viewer")
    read = pins01.run(f"""
        import pins.connect as pc
        print(pc.pin_read({server.url!r}, {key!r}, "susan/penguins").to_json())
    """)
    assert read.error == "AmbiguousUsernameError"
    pd.testing.assert_frame_equal(pc.pin_read(server.url, key, "susan/penguins"), frame)

    wrong = pins01.run(f"""
        import pins.connect as pc
        pc.pin_read({server.url!r}, {WRONG_KEY!r}, "susan/penguins")
    """)
    assert wrong.error == "APIKeyNotValidError"
    with pytest.raises(pc.APIKeyNotValidError):
        pc.pin_read(server.url, WRONG_KEY, "susan/penguins")
