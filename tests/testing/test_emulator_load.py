"""The emulator under load and over time: a change costs one line of a journal, not a
rewrite of the state; the request log and the tasks are bounded; dropped connections are
quiet."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import requests

from pins.testing import ConnectServer
from pins.testing.connect_server.app import RequestLog, RequestRecord
from pins.testing.connect_server.state import KEEP_TASKS
from pins.testing.connect_server.store import JOURNAL, MIN_COMPACT_LINES, SNAPSHOT

from .helpers import Api, pin_bundle


def test_a_change_is_a_line_of_the_journal_not_a_new_state(tmp_path: Path) -> None:
    with ConnectServer(users=["susan:publisher"], data_dir=tmp_path) as server:
        api = Api(server)
        guid, _ = api.publish("journaled")
        snapshot = (tmp_path / SNAPSHOT).read_bytes()
        lines = (tmp_path / JOURNAL).read_text().count("\n")
        api.patch(f"/__api__/v1/content/{guid}", json={"title": "changed"})
        assert (tmp_path / SNAPSHOT).read_bytes() == snapshot  # not rewritten
        assert (tmp_path / JOURNAL).read_text().count("\n") == lines + 1


def test_the_journal_is_folded_into_the_state_now_and_then(tmp_path: Path) -> None:
    with ConnectServer(users=["susan:publisher"], data_dir=tmp_path) as server:
        api = Api(server)
        guid = api.create("folded")["guid"]
        for i in range(MIN_COMPACT_LINES + 1):
            api.patch(f"/__api__/v1/content/{guid}", json={"title": f"t{i}"})
        assert (tmp_path / JOURNAL).read_text().count("\n") < MIN_COMPACT_LINES
    with ConnectServer(users=["susan:publisher"], data_dir=tmp_path) as server:
        title = Api(server).get(f"/__api__/v1/content/{guid}").json()["title"]
        assert title == f"t{MIN_COMPACT_LINES}"


def test_finished_tasks_are_forgotten_beyond_a_bound(server: ConnectServer, api: Api) -> None:
    guid, bundle_id = api.publish("many_deploys")
    task_ids = [
        api.post(f"/__api__/v1/content/{guid}/deploy", json={"bundle_id": bundle_id}).json()[
            "task_id"
        ]
        for _ in range(KEEP_TASKS + 20)
    ]
    assert len(server.state.tasks) == KEEP_TASKS
    assert api.get(f"/__api__/v1/tasks/{task_ids[-1]}").json()["finished"] is True
    assert api.get(f"/__api__/v1/tasks/{task_ids[0]}").status_code == 404


def test_the_request_log_keeps_the_newest() -> None:
    log = RequestLog(size=3)
    for i in range(5):
        log.add(RequestRecord("GET", f"/{i}", "", 200, f"/{i}"))
    assert [r.path for r in log.records()] == ["/2", "/3", "/4"]


def test_dropped_connections_log_no_error(
    server: ConnectServer, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.faults.drop_rate = 1.0
    for _ in range(3):
        with pytest.raises(requests.ConnectionError):
            requests.post(
                f"{server.url}/__api__/v1/content", json={}, headers=api.headers, timeout=10
            )
    server.faults.reset()
    assert api.get("/__api__/v1/user").status_code == 200
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert "Traceback" not in caplog.text
    guid = api.create("after_drops")["guid"]
    assert api.upload(guid, pin_bundle())["id"]
