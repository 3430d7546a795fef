"""The emulator is no more lenient than Connect: parameter ranges, the task cookie, roles,
``include=owner``; and its settings: users as a mapping, a path prefix, an SSO front."""

from __future__ import annotations

import pytest
import requests

from pins.testing import ConnectServer, Settings

from .helpers import Api, assert_error, pin_bundle


@pytest.mark.parametrize("query", ["wait=21", "wait=-1", "wait=soon"])
def test_task_wait_out_of_range_is_an_error(api: Api, query: str) -> None:
    guid, _ = api.publish("waited")
    task_id = api.post(f"/__api__/v1/content/{guid}/deploy", json={}).json()["task_id"]
    assert_error(api.get(f"/__api__/v1/tasks/{task_id}?{query}"), 400, 25)
    assert api.get(f"/__api__/v1/tasks/{task_id}?wait=20").json()["finished"] is True


def test_task_first_past_the_end_is_an_error(api: Api) -> None:
    guid, _ = api.publish("firsts")
    task_id = api.post(f"/__api__/v1/content/{guid}/deploy", json={}).json()["task_id"]
    task = api.get(f"/__api__/v1/tasks/{task_id}").json()
    assert api.get(f"/__api__/v1/tasks/{task_id}?first={task['last']}").json()["output"] == []
    assert_error(api.get(f"/__api__/v1/tasks/{task_id}?first={task['last'] + 1}"), 400, 13)


@pytest.mark.parametrize("query", ["count=0", "count=1001", "start=-1", "count=many"])
def test_search_paging_out_of_range_is_an_error(api: Api, query: str) -> None:
    assert_error(api.get(f"/__api__/applications?filter=content_type:pin&{query}"), 400, 25)


def test_task_polls_must_send_the_deploys_cookie_back(server: ConnectServer, api: Api) -> None:
    guid = api.create("cookie")["guid"]
    bundle_id = api.upload(guid, pin_bundle())["id"]
    deployed = api.post(f"/__api__/v1/content/{guid}/deploy", json={"bundle_id": bundle_id})
    assert deployed.cookies, "the deploy answer sets a cookie"
    path = f"/__api__/v1/tasks/{deployed.json()['task_id']}"
    assert api.get(path).json()["finished"] is True  # the session sends it back
    without = requests.get(server.url + path, headers=api.headers, timeout=30)
    assert_error(without, 404, 4)


def test_content_role_is_the_callers(api: Api) -> None:
    guid, _ = api.publish("roles", access_type="logged_in")
    path = f"/__api__/v1/content/{guid}"
    roles = {user: api.as_user(user).get(path).json()["role"] for user in ("susan", "derek")}
    assert roles == {"susan": "owner", "derek": "viewer"}
    ellen = api.as_user("ellen").me()["guid"]
    api.post(f"{path}/permissions", json={"principal_guid": ellen, "role": "owner"})
    assert api.as_user("ellen").get(path).json()["role"] == "editor"


def test_content_with_its_owner_included(api: Api) -> None:
    guid, _ = api.publish("owned")
    (row,) = api.get("/__api__/v1/content", params={"name": "owned", "include": "owner"}).json()
    assert row["owner"]["username"] == "susan" and row["owner"]["guid"] == row["owner_guid"]
    assert "owner" not in api.get(f"/__api__/v1/content/{guid}").json()
    one = api.get(f"/__api__/v1/content/{guid}?include=tags,owner").json()
    assert one["owner"]["username"] == "susan"


def test_users_as_a_mapping_of_name_to_role() -> None:
    users = {"boss": "administrator", "viv": "viewer:viv-key", "pat": ("publisher", "pat-key")}
    with ConnectServer(users=users) as server:
        roles = {
            name: requests.get(
                f"{server.url}/__api__/v1/user",
                headers={"Authorization": f"Key {server.api_key(name)}"},
                timeout=30,
            ).json()["user_role"]
            for name in users
        }
        assert roles == {"boss": "administrator", "viv": "viewer", "pat": "publisher"}
        assert server.api_key("viv") == "viv-key" and server.api_key("pat") == "pat-key"


@pytest.mark.parametrize(
    ("users", "error"),
    [
        ({"boss": "superuser"}, ValueError),
        ({"boss": 3}, TypeError),
        ("susan:publisher", TypeError),
        ([("susan", "publisher")], TypeError),
    ],
)
def test_users_the_emulator_cannot_honour_are_refused(users: object, error: type) -> None:
    with pytest.raises(error):
        ConnectServer(users=users)  # type: ignore[arg-type]


def test_a_path_prefix() -> None:
    with ConnectServer(path_prefix="rsc") as server:
        assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/rsc")
        api = Api(server)
        guid, _ = api.publish("prefixed")
        content = api.get(f"/__api__/v1/content/{guid}").json()
        assert content["content_url"] == f"{server.url}/content/{guid}/"
        assert api.get(f"/content/{guid}/data.txt").text == "hello"
        root = server.url.removesuffix("/rsc")
        assert_error(
            requests.get(f"{root}/__api__/v1/user", headers=api.headers, timeout=30), 404, 2
        )


def test_an_sso_front_answers_html_to_everything() -> None:
    with ConnectServer(settings=Settings(html_front=True)) as server:
        for path in ("/__api__/v1/user", "/content/x/data.txt", "/__ping__"):
            r = requests.get(server.url + path, timeout=30)
            assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
        server.settings.html_front = False
        assert requests.get(server.url + "/__ping__", timeout=30).json() == {}
