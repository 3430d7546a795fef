"""Fault injection switches and the request log."""

from __future__ import annotations

import logging

import pytest
import requests

from pins.testing import ConnectServer, Faults

from .helpers import Api, assert_error, pin_bundle


def test_latency_delays_answers(server: ConnectServer) -> None:
    """A client that waits less than the latency gets no answer; one that waits longer,
    or asks once the latency is off, gets it."""
    ping = f"{server.url}/__ping__"
    server.faults.latency = 1.5
    with pytest.raises(requests.Timeout):
        requests.get(ping, timeout=(10, 0.3))
    assert requests.get(ping, timeout=(10, 30)).status_code == 200
    server.faults.reset()
    assert requests.get(ping, timeout=(10, 2.5)).status_code == 200


def test_error_rate_one_answers_500_code_1(server: ConnectServer, api: Api) -> None:
    server.faults.error_rate = 1.0
    body = assert_error(api.get("/__api__/v1/user"), 500, 1)
    assert body["error"] == "An internal failure occurred."
    assert server.requests[-1].status == 500


def test_a_share_of_errors_is_a_share(server: ConnectServer, api: Api) -> None:
    server.faults = Faults(error_rate=0.5, seed=7)
    statuses = [api.get("/__ping__").status_code for _ in range(40)]
    assert 5 < statuses.count(500) < 35
    assert set(statuses) == {200, 500}


def test_path_pattern_limits_the_faults(server: ConnectServer, api: Api) -> None:
    server.faults.error_rate = 1.0
    server.faults.path_pattern = r"^/content/"
    guid, _ = api.publish("mtcars")  # the API is untouched
    assert_error(api.get(f"/content/{guid}/data.txt"), 500, 1)


def test_dropped_connections(server: ConnectServer, api: Api) -> None:
    server.faults.drop_rate = 1.0
    with pytest.raises(requests.ConnectionError):
        api.get("/__api__/v1/user")
    assert server.requests[-1].status == 0
    server.faults.drop_rate = 0.0
    assert api.get("/__api__/v1/user").status_code == 200


def test_tasks_stay_unfinished_for_n_polls(server: ConnectServer, api: Api) -> None:
    guid, active = api.publish("mtcars", text="old")
    server.faults.task_polls = 2
    new = api.upload(guid, pin_bundle("new"))["id"]
    task_id = api.post(f"/__api__/v1/content/{guid}/deploy", json={"bundle_id": new}).json()[
        "task_id"
    ]
    first = 0
    for _ in range(2):
        task = api.get(f"/__api__/v1/tasks/{task_id}", params={"first": first}).json()
        assert task["finished"] is False
        assert task["output"]  # each poll brings a new line
        first = task["last"]
        assert api.get(f"/__api__/v1/content/{guid}").json()["bundle_id"] == active
    task = api.get(f"/__api__/v1/tasks/{task_id}", params={"first": first}).json()
    assert task["finished"] is True and task["code"] == 0
    assert api.get(f"/__api__/v1/content/{guid}").json()["bundle_id"] == new
    assert api.get(f"/content/{guid}/data.txt").text == "new"


def test_long_polling_holds_until_the_task_finishes(server: ConnectServer, api: Api) -> None:
    guid = api.create("mtcars")["guid"]
    bundle_id = api.upload(guid, pin_bundle())["id"]
    server.faults.task_seconds = 0.4
    task_id = api.post(f"/__api__/v1/content/{guid}/deploy", json={"bundle_id": bundle_id}).json()[
        "task_id"
    ]
    assert api.get(f"/__api__/v1/tasks/{task_id}", params={"wait": 0}).json()["finished"] is False
    headers = {"Authorization": f"Key {server.api_key('susan')}"}
    task = api.session.get(  # answered when the task finishes, long before the 20 s asked
        f"{server.url}/__api__/v1/tasks/{task_id}",
        params={"wait": 20},
        headers=headers,
        timeout=(10, 10),
    ).json()
    assert task["finished"] is True and task["code"] == 0


def test_failing_deploys_change_nothing(server: ConnectServer, api: Api) -> None:
    guid, active = api.publish("mtcars")
    server.faults.fail_deploys = True
    bundle_id = api.upload(guid, pin_bundle("broken"))["id"]
    task = api.deploy(guid, bundle_id)
    assert task["finished"] is True and task["code"] != 0 and task["error"]
    assert api.get(f"/__api__/v1/content/{guid}").json()["bundle_id"] == active


def test_request_log_counts_and_clears(server: ConnectServer, api: Api) -> None:
    server.clear_requests()
    api.get("/__ping__")
    api.get("//__api__/v1/users", params={"prefix": "sus"})
    api.get("/__api__/v1/nothing")
    log = server.requests
    assert [(r.method, r.path, r.status) for r in log] == [
        ("GET", "/__ping__", 200),
        ("GET", "/__api__/v1/users", 200),
        ("GET", "/__api__/v1/nothing", 404),
    ]
    assert log[1].query == "prefix=sus"
    assert log[1].raw_path == "//__api__/v1/users"
    server.clear_requests()
    assert server.requests == []


def test_keys_are_never_logged(
    server: ConnectServer,
    api: Api,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    key = server.api_key("susan")
    api.publish("mtcars")
    api.get("/__api__/v1/user", headers={"Authorization": "Key secret-wrong-key"})
    text = caplog.text + "".join(capfd.readouterr()) + repr(server.requests) + repr(server)
    assert key not in text and "secret-wrong-key" not in text
    state = (server.data_dir / "state.json").read_text()
    assert key not in state
