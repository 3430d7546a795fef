"""Health, server settings, authentication, users, routing conventions and unknown routes."""

from __future__ import annotations

import uuid

import pytest
import requests

from pins.testing import ConnectServer

from .helpers import Api, assert_error


def test_ping_needs_no_key(api: Api) -> None:
    r = api.as_user(None).get("/__ping__")
    assert r.status_code == 200
    assert r.json() == {}


def test_server_settings_has_a_version(api: Api) -> None:
    body = api.get("/__api__/server_settings").json()
    assert body["version"] == "2024.08.0"
    assert body["hostname"]


@pytest.mark.parametrize("path", ["/__api__/v1/user", "/__api__/users/current/", "/__api__/me"])
def test_current_user_in_every_form(api: Api, path: str) -> None:
    r = api.get(path)
    assert r.status_code == 200
    user = r.json()
    assert user["username"] == "susan"
    assert user["user_role"] == "publisher"
    uuid.UUID(user["guid"])
    assert r.json() == api.get("/__api__/v1/user").json()


def test_key_word_is_case_insensitive(server: ConnectServer) -> None:
    for word in ("Key", "key", "KEY"):
        headers = {"Authorization": f"{word} {server.api_key('susan')}"}
        r = requests.get(f"{server.url}/__api__/v1/user", headers=headers, timeout=10)
        assert r.json()["username"] == "susan"


def test_no_key_is_401_code_24_and_a_bad_key_401_code_30(api: Api) -> None:
    assert_error(api.as_user(None).get("/__api__/v1/user"), 401, 24)
    r = api.get("/__api__/v1/user", headers={"Authorization": "Key not-a-key"})
    body = assert_error(r, 401, 30)
    assert body["error"].startswith("We couldn't log you in")
    assert_error(api.get("/__api__/v1/user", headers={"Authorization": "Bearer x"}), 401, 30)


def test_repeated_slashes_and_trailing_slashes_are_accepted(api: Api) -> None:
    assert api.get("//__api__//v1/user").json()["username"] == "susan"
    assert api.get("/__api__/v1/user/").json()["username"] == "susan"
    assert api.get("/__api__/v1/content/").json() == []


def test_unknown_route_and_method_are_404_code_2(api: Api) -> None:
    body = assert_error(api.get("/__api__/v1/nothing-here"), 404, 2)
    assert body["error"] == "The requested method or endpoint is not supported."
    assert_error(api.get("/somewhere/else"), 404, 2)
    assert_error(api.request("PUT", "/__api__/v1/content"), 404, 2)


def test_users_prefix_matches_names_case_insensitively(server: ConnectServer, api: Api) -> None:
    server.add_user("bob", first_name="Robert", last_name="Susanson")
    names = {u["username"] for u in api.get("/__api__/v1/users?prefix=SUS").json()["results"]}
    assert names == {"susan", "bob"}  # username prefix, last-name prefix
    rob = api.get("/__api__/v1/users", params={"prefix": "rob"}).json()
    assert [u["username"] for u in rob["results"]] == ["bob"]
    assert rob["total"] == 1 and rob["current_page"] == 1
    assert api.get("/__api__/v1/users?prefix=zzz").json()["results"] == []


def test_users_are_sorted_and_paged(server: ConnectServer, api: Api) -> None:
    for i in range(25):
        server.add_user(f"user{i:02d}", first_name="Zed", last_name=f"L{i:02d}")
    everyone = api.get("/__api__/v1/users").json()
    assert everyone["total"] == 29
    assert len(everyone["results"]) == 20  # default page size
    first_names = [u["first_name"] for u in everyone["results"]]
    assert first_names[:4] == ["Admin", "Derek", "Ellen", "Susan"]
    page2 = api.get("/__api__/v1/users?page_number=2&page_size=20").json()
    assert page2["current_page"] == 2
    assert [u["last_name"] for u in page2["results"]] == [f"L{i:02d}" for i in range(16, 25)]
    past = api.get("/__api__/v1/users?page_number=3").json()
    assert past["results"] == [] and past["total"] == 29
    big = api.get("/__api__/v1/users?page_size=500").json()
    assert len(big["results"]) == 29


@pytest.mark.parametrize(
    "query",
    ["page_size=501", "page_size=0", "page_size=-1", "page_size=ten", "page_number=0"],
)
def test_user_paging_out_of_range_is_an_error_not_clamped(api: Api, query: str) -> None:
    assert_error(api.get(f"/__api__/v1/users?{query}"), 400, 25)


def test_a_prefix_search_is_one_page_sorted_by_similarity(server: ConnectServer, api: Api) -> None:
    for name in ("susannah", "susan0", "susan12"):
        server.add_user(name)
    server.add_user("zoe", first_name="Susanna")
    first = api.get("/__api__/v1/users", params={"prefix": "susan", "page_size": 3}).json()
    assert [u["username"] for u in first["results"]] == ["susan", "susan0", "susan12"]
    walked, page = [], 1  # walking the pages until an empty one, as pins-python does
    while True:
        body = api.get(
            "/__api__/v1/users", params={"prefix": "susan", "page_size": 3, "page_number": page}
        ).json()
        if not body["results"]:
            break
        walked += [u["username"] for u in body["results"]]
        page += 1
    assert walked == ["susan", "susan0", "susan12"]  # only the first page
    everyone = api.get("/__api__/v1/users", params={"prefix": "SUS", "page_size": 10}).json()
    assert [u["username"] for u in everyone["results"]][-1] == "zoe"  # a first name, last


def test_viewers_can_only_see_themselves(server: ConnectServer, api: Api) -> None:
    server.settings.viewers_can_only_see_themselves = True
    derek = api.as_user("derek")
    assert [u["username"] for u in derek.get("/__api__/v1/users").json()["results"]] == ["derek"]
    assert derek.get("/__api__/v1/users?prefix=susan").json()["results"] == []
    assert [u["username"] for u in api.get("/__api__/v1/users?prefix=susan").json()["results"]] == [
        "susan"
    ]
    server.settings.viewers_can_only_see_themselves = False
    assert derek.get("/__api__/v1/users?prefix=susan").json()["results"] != []


def test_user_by_guid(api: Api) -> None:
    me = api.me()
    assert api.get(f"/__api__/v1/users/{me['guid']}").json() == me
    body = assert_error(api.get("/__api__/v1/users/not-a-guid"), 400, 3)
    assert "not-a-guid" in body["error"]
    assert_error(api.get(f"/__api__/v1/users/{uuid.uuid4()}"), 404, 4)


def test_every_user_field_is_there(api: Api) -> None:
    user = api.me()
    for field in (
        "guid",
        "username",
        "first_name",
        "last_name",
        "email",
        "user_role",
        "created_time",
        "updated_time",
        "active_time",
        "confirmed",
        "locked",
    ):
        assert field in user
    assert user["created_time"].endswith("Z") and len(user["created_time"]) == 20
