"""A data folder keeps everything across restarts; an interrupted write leaves no trace."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pins.testing import ConnectServer

from .helpers import Api, pin_bundle

USERS = ("susan:publisher", "derek:viewer:derek-key")


def test_a_restart_keeps_users_keys_content_bundles_and_tasks(tmp_path: Path) -> None:
    with ConnectServer(users=USERS, data_dir=tmp_path) as server:
        ellen_key = server.add_user("ellen", "publisher")
        api = Api(server)
        guid, first = api.publish("mtcars", text="one", title="Cars")
        _, second = api.publish("mtcars", text="two")
        spare = api.upload(guid, pin_bundle("spare"))["id"]
        task_id = api.post(f"/__api__/v1/content/{guid}/deploy", json={"bundle_id": second}).json()[
            "task_id"
        ]
        susan_key = server.api_key("susan")
        cookies = api.session.cookies  # the task cookie of the deploy
        before = api.get(f"/__api__/v1/content/{guid}").json()
        bundles_before = api.get(f"/__api__/v1/content/{guid}/bundles").json()

    with ConnectServer(users=USERS, data_dir=tmp_path) as server:
        assert server.api_key("susan") == susan_key
        assert server.api_key("ellen") == ellen_key
        assert server.api_key("derek") == "derek-key"
        api = Api(server)
        api.session.cookies = cookies
        after = api.get(f"/__api__/v1/content/{guid}").json()
        assert {k: v for k, v in after.items() if "url" not in k} == {
            k: v for k, v in before.items() if "url" not in k
        }
        assert api.get(f"/__api__/v1/content/{guid}/bundles").json() == bundles_before
        assert api.get(f"/content/{guid}/data.txt").text == "two"
        assert api.get(f"/content/{guid}/_rev{first}/data.txt").text == "one"
        assert api.get(f"/__api__/v1/tasks/{task_id}").json()["finished"] is True
        assert Api(server, "ellen").me()["username"] == "ellen"
        newer = api.upload(guid, pin_bundle("later"))["id"]
        assert int(newer) > int(spare)
        assert api.create("mtcars2")["id"] != before["id"]


def test_keys_are_hashed_in_the_state_and_private_on_disk(tmp_path: Path) -> None:
    with ConnectServer(users=USERS, data_dir=tmp_path) as server:
        key = server.api_key("susan")
    state = (tmp_path / "state.json").read_text()
    assert key not in state and "derek-key" not in state
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600


def test_leftovers_of_an_interrupted_write_are_removed(tmp_path: Path) -> None:
    with ConnectServer(users=USERS, data_dir=tmp_path) as server:
        api = Api(server)
        guid, bundle_id = api.publish("mtcars", text="kept")
    # what a kill at various moments can leave: a scratch upload, an archive and extracted
    # files moved into place but not yet in the state, a temporary state file
    (tmp_path / "uploads" / "upload-x").mkdir()
    (tmp_path / "uploads" / "upload-x" / "bundle.tar.gz").write_bytes(b"half")
    (tmp_path / "archives" / "99.tar.gz").write_bytes(pin_bundle())
    (tmp_path / "files" / "99").mkdir()
    (tmp_path / "files" / "99" / "data.txt").write_text("never committed")
    (tmp_path / ".state.json.abc").write_text("{")
    with ConnectServer(users=USERS, data_dir=tmp_path) as server:
        api = Api(server)
        assert [b["id"] for b in api.get(f"/__api__/v1/content/{guid}/bundles").json()] == [
            bundle_id
        ]
        assert list((tmp_path / "uploads").iterdir()) == []
        assert not (tmp_path / "archives" / "99.tar.gz").exists()
        assert not (tmp_path / "files" / "99").exists()
        assert not (tmp_path / ".state.json.abc").exists()
        assert api.get(f"/content/{guid}/data.txt").text == "kept"


def test_a_bundle_whose_files_vanished_is_dropped(tmp_path: Path) -> None:
    with ConnectServer(users=USERS, data_dir=tmp_path) as server:
        guid, bundle_id = Api(server).publish("mtcars")
    for path in (tmp_path / "files" / bundle_id).iterdir():
        path.unlink()
    (tmp_path / "files" / bundle_id).rmdir()
    with ConnectServer(users=USERS, data_dir=tmp_path) as server:
        api = Api(server)
        assert api.get(f"/__api__/v1/content/{guid}/bundles").json() == []
        assert api.get(f"/__api__/v1/content/{guid}").json()["bundle_id"] is None


@pytest.fixture
def cli_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, dict[str, str]]]:
    """The emulator from the shell, in its own process: (process, url, keys by user)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pins.testing.connect_server",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path / "data"),
            "--user",
            "susan:publisher:susan-key",
            "--user",
            "derek:viewer",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url, keys = "", {}
    for line in proc.stdout:
        if line.startswith("Connect emulator at "):
            url = line.split()[-1]
        elif line.startswith("user "):
            words = line.split()
            keys[words[1]] = words[-1]
        elif line.startswith("Serving"):
            break
    try:
        yield proc, url, keys
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_the_command_line_prints_url_and_keys_and_stops_on_interrupt(
    cli_server: tuple[subprocess.Popen[str], str, dict[str, str]],
) -> None:
    proc, url, keys = cli_server
    assert url.startswith("http://127.0.0.1:")
    assert keys["susan"] == "susan-key" and len(keys["derek"]) >= 16
    import requests

    me = requests.get(
        f"{url}/__api__/v1/user", headers={"Authorization": "Key susan-key"}, timeout=10
    )
    assert me.json()["username"] == "susan"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 0
    assert proc.stderr is not None
    assert "susan-key" not in proc.stderr.read()


def test_killed_mid_upload_restarts_consistent(
    tmp_path: Path, cli_server: tuple[subprocess.Popen[str], str, dict[str, str]]
) -> None:
    proc, url, _ = cli_server
    import requests

    headers = {"Authorization": "Key susan-key"}
    content = requests.post(
        f"{url}/__api__/v1/content", json={"name": "mtcars"}, headers=headers, timeout=10
    ).json()
    body = pin_bundle("x" * 10_000)
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = (
            f"POST /__api__/v1/content/{content['guid']}/bundles HTTP/1.1\r\n"
            f"Host: {host}\r\nAuthorization: Key susan-key\r\n"
            f"Content-Length: {len(body) + 100_000}\r\n\r\n"
        )
        sock.sendall(head.encode() + body)
        uploads = tmp_path / "data" / "uploads"
        deadline = time.monotonic() + 10
        while not any(uploads.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert any(uploads.iterdir()), "the upload never started"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    state = json.loads((tmp_path / "data" / "state.json").read_text())
    assert state["bundles"] == []
    with ConnectServer(data_dir=tmp_path / "data", users=["susan:publisher:susan-key"]) as server:
        api = Api(server)
        assert api.get(f"/__api__/v1/content/{content['guid']}/bundles").json() == []
        assert list(uploads.iterdir()) == []
        bundle = api.upload(content["guid"], pin_bundle("after"))
        api.deploy(content["guid"], bundle["id"])
        assert api.get(f"/content/{content['guid']}/data.txt").text == "after"


def test_killed_after_changes_restarts_with_every_complete_change(
    tmp_path: Path, cli_server: tuple[subprocess.Popen[str], str, dict[str, str]]
) -> None:
    proc, url, _ = cli_server
    import requests

    session = requests.Session()
    session.headers["Authorization"] = "Key susan-key"
    guid = session.post(f"{url}/__api__/v1/content", json={"name": "kept"}, timeout=10).json()[
        "guid"
    ]
    for title in ("one", "two", "three"):
        session.patch(f"{url}/__api__/v1/content/{guid}", json={"title": title}, timeout=10)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    with open(tmp_path / "data" / "state.journal", "a") as journal:  # a line cut short
        journal.write('{"seq": 99999, "put": {"contents": [{"guid": "')
    with ConnectServer(data_dir=tmp_path / "data", users=["susan:publisher:susan-key"]) as server:
        api = Api(server)
        assert api.get(f"/__api__/v1/content/{guid}").json()["title"] == "three"
        assert api.create("after_restart")["name"] == "after_restart"
