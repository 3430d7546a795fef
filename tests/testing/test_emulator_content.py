"""Content CRUD, the name rule, access types, rights and permissions."""

from __future__ import annotations

import uuid

import pytest

from pins.testing import ConnectServer

from .helpers import Api, assert_error, pin_bundle


def test_create_returns_the_full_content(api: Api) -> None:
    content = api.create("mtcars", title="Motor cars", description="", access_type="logged_in")
    uuid.UUID(content["guid"])
    assert content["name"] == "mtcars"
    assert content["title"] == "Motor cars"
    assert content["description"] == ""
    assert content["access_type"] == "logged_in"
    assert content["owner_guid"] == api.me()["guid"]
    assert content["content_url"] == f"{api.url}/content/{content['guid']}/"
    assert content["dashboard_url"].startswith(api.url)
    assert content["bundle_id"] is None
    assert content["app_mode"] == "unknown"
    assert content["content_category"] == ""
    assert content["id"].isdigit()
    assert content["r_version"] is None and content["py_version"] is None
    assert api.get(f"/__api__/v1/content/{content['guid']}").json() == content
    assert api.get("/__api__/v1/content").json() == [content]


def test_access_type_defaults_to_acl_and_empty_strings_are_allowed(api: Api) -> None:
    content = api.create("plain", title="", description="")
    assert content["access_type"] == "acl"
    assert content["title"] == ""


@pytest.mark.parametrize("name", ["ab", "a" * 65, "has space", "dots.not", "slash/no", "", None])
def test_name_rule_is_code_5(api: Api, name: object) -> None:
    body = assert_error(api.post("/__api__/v1/content", json={"name": name}), 400, 5)
    assert body["error"].startswith("Application name must be between 3 and 64")


@pytest.mark.parametrize("name", ["abc", "A-b_9", "x" * 64])
def test_good_names(api: Api, name: str) -> None:
    assert api.create(name)["name"] == name


def test_duplicate_name_for_the_same_owner_is_409_code_26(api: Api) -> None:
    api.create("mtcars")
    assert_error(api.post("/__api__/v1/content", json={"name": "mtcars"}), 409, 26)
    assert api.as_user("ellen").create("mtcars")["name"] == "mtcars"  # another owner


def test_bad_access_type_is_code_117(api: Api) -> None:
    r = api.post("/__api__/v1/content", json={"name": "mtcars", "access_type": "public"})
    assert_error(r, 400, 117)


def test_viewers_cannot_create_content(api: Api) -> None:
    r = api.as_user("derek").post("/__api__/v1/content", json={"name": "mine"})
    assert_error(r, 403, 22)
    assert_error(api.as_user(None).post("/__api__/v1/content", json={"name": "x1x"}), 401, 24)


def test_get_content_errors(api: Api) -> None:
    body = assert_error(api.get("/__api__/v1/content/12345"), 400, 3)
    assert "12345" in body["error"]
    assert_error(api.get(f"/__api__/v1/content/{uuid.uuid4()}"), 404, 4)
    guid = api.create("secret")["guid"]
    assert_error(api.as_user("ellen").get(f"/__api__/v1/content/{guid}"), 403, 19)
    assert api.as_user("admin").get(f"/__api__/v1/content/{guid}").status_code == 200


def test_list_filters_are_exact_and_no_match_is_an_empty_list(api: Api) -> None:
    a = api.create("alpha")
    api.create("alphabet")
    ellen = api.as_user("ellen")
    ellen.create("alpha", access_type="logged_in")
    me = api.me()["guid"]
    rows = api.get("/__api__/v1/content", params={"name": "alpha", "owner_guid": me}).json()
    assert rows == [a]
    assert len(api.get("/__api__/v1/content", params={"name": "alpha"}).json()) == 2
    r = api.get("/__api__/v1/content", params={"name": "alp"})
    assert r.status_code == 200 and r.json() == []
    # ellen sees her own content, not susan's acl content
    assert [c["name"] for c in ellen.get("/__api__/v1/content").json()] == ["alpha"]


def test_patch_changes_fields_and_keeps_the_rules(api: Api) -> None:
    guid = api.create("mtcars")["guid"]
    path = f"/__api__/v1/content/{guid}"
    changed = api.patch(path, json={"title": "T", "description": "D", "access_type": "all"})
    assert changed.status_code == 200
    assert {k: changed.json()[k] for k in ("title", "description", "access_type")} == {
        "title": "T",
        "description": "D",
        "access_type": "all",
    }
    assert api.patch(path, json={"name": "renamed"}).json()["name"] == "renamed"
    api.create("other")
    assert_error(api.patch(path, json={"name": "other"}), 409, 26)
    assert_error(api.patch(path, json={"name": "x"}), 400, 5)
    assert_error(api.patch(path, json={"access_type": "nobody"}), 400, 117)
    assert_error(api.as_user("ellen").patch(path, json={"title": "mine"}), 403, 21)
    assert api.get(path).json()["title"] == "T"


def test_delete_is_204_empty_and_removes_everything(server: ConnectServer, api: Api) -> None:
    guid, bundle_id = api.publish("mtcars")
    assert_error(api.as_user("ellen").delete(f"/__api__/v1/content/{guid}"), 403, 20)
    r = api.delete(f"/__api__/v1/content/{guid}")
    assert r.status_code == 204
    assert r.content == b""
    assert_error(api.get(f"/__api__/v1/content/{guid}"), 404, 4)
    assert_error(api.get(f"/content/{guid}/data.txt"), 404, 4)
    assert not server.state.files_path(int(bundle_id)).exists()
    assert not server.state.archive_path(int(bundle_id)).exists()
    assert_error(api.delete(f"/__api__/v1/content/{guid}"), 404, 4)


def test_an_admin_configures_content_but_has_no_collaborator_rights(api: Api) -> None:
    guid, bundle_id = api.publish("mtcars")
    spare = api.upload(guid, pin_bundle("spare"))["id"]
    admin = api.as_user("admin")
    path = f"/__api__/v1/content/{guid}"
    content = admin.get(path).json()
    assert content["role"] == "none" and api.get(path).json()["role"] == "owner"
    assert admin.patch(path, json={"title": "A"}).json()["role"] == "none"
    assert_error(admin.post(f"{path}/bundles", data=pin_bundle()), 403, 21)
    assert_error(admin.post(f"{path}/deploy", json={"bundle_id": spare}), 403, 21)
    assert_error(admin.get(f"{path}/bundles"), 403, 19)
    assert_error(admin.get(f"{path}/bundles/{bundle_id}"), 403, 19)
    assert_error(admin.get(f"{path}/bundles/{bundle_id}/download"), 403, 19)
    assert_error(admin.delete(f"{path}/bundles/{spare}"), 403, 20)
    assert_error(admin.get(f"/content/{guid}/data.txt"), 403, 19)
    row = admin.get("/__api__/applications").json()["applications"][0]
    assert row["guid"] == guid and row["app_role"] == "none"  # listed all the same
    derek = admin.get("/__api__/v1/users?prefix=derek").json()["results"][0]
    r = api.post(
        f"{path}/permissions",
        json={"principal_guid": admin.me()["guid"], "principal_type": "user", "role": "owner"},
    )
    assert r.status_code == 200, derek
    assert admin.get(path).json()["role"] == "editor"  # a collaborator now
    assert admin.post(f"{path}/bundles", data=pin_bundle()).status_code == 200
    assert admin.delete(path).status_code == 204


def test_collaborators_and_viewers(api: Api) -> None:
    guid, _ = api.publish("shared")
    ellen, derek = api.as_user("ellen"), api.as_user("derek")
    path = f"/__api__/v1/content/{guid}"
    assert_error(derek.get(path), 403, 19)
    assert_error(derek.get(f"/content/{guid}/data.txt"), 403, 19)

    r = api.post(
        f"{path}/permissions",
        json={"principal_guid": derek.me()["guid"], "principal_type": "user", "role": "viewer"},
    )
    assert r.status_code == 200 and r.json()["role"] == "viewer"
    assert derek.get(path).status_code == 200
    assert derek.get(f"/content/{guid}/data.txt").text == "hello"
    assert_error(derek.patch(path, json={"title": "no"}), 403, 21)

    r = api.post(
        f"{path}/permissions",
        json={"principal_guid": ellen.me()["guid"], "principal_type": "user", "role": "owner"},
    )
    ellen_permission = r.json()["id"]
    assert ellen.patch(path, json={"title": "by ellen"}).json()["title"] == "by ellen"
    assert ellen.post(f"{path}/bundles", data=pin_bundle()).status_code == 200
    assert {p["role"] for p in api.get(f"{path}/permissions").json()} == {"owner", "viewer"}

    assert api.delete(f"{path}/permissions/{ellen_permission}").status_code == 204
    assert_error(ellen.get(path), 403, 19)
    assert_error(api.delete(f"{path}/permissions/{ellen_permission}"), 404, 4)


def test_access_types_on_the_api(api: Api) -> None:
    guid, _ = api.publish("levels")
    path = f"/__api__/v1/content/{guid}"
    derek = api.as_user("derek")
    assert_error(derek.get(path), 403, 19)
    api.patch(path, json={"access_type": "logged_in"})
    assert derek.get(path).status_code == 200
    assert_error(api.as_user(None).get(path), 401, 24)
