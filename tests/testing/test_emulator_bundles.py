"""Bundles (upload, list, get, delete, download), deploy and tasks."""

from __future__ import annotations

import base64
import hashlib
import json

from .helpers import PIN_MANIFEST, Api, assert_error, pin_bundle, tgz


def test_upload_returns_an_inactive_bundle_with_a_string_id(api: Api) -> None:
    guid = api.create("mtcars")["guid"]
    body = pin_bundle()
    r = api.post(
        f"/__api__/v1/content/{guid}/bundles",
        data=body,
        headers={"Content-Type": "application/x-tar"},
    )
    assert r.status_code == 200
    bundle = r.json()
    assert isinstance(bundle["id"], str) and bundle["id"].isdigit()
    assert bundle["content_guid"] == guid
    assert bundle["active"] is False
    assert bundle["size"] == len(body)
    assert bundle["metadata"]["archive_md5"] == hashlib.md5(body).hexdigest()
    assert bundle["created_time"].endswith("Z")
    path = f"/__api__/v1/content/{guid}/bundles"
    assert api.get(f"{path}/{bundle['id']}").json() == bundle
    assert api.get(path).json() == [bundle]


def test_bundle_ids_increase_across_the_server(api: Api) -> None:
    a = api.create("first")["guid"]
    b = api.create("second")["guid"]
    ids = [int(api.upload(guid, pin_bundle())["id"]) for guid in (a, b, a, b)]
    assert ids == sorted(ids) and len(set(ids)) == 4
    listed = [int(x["id"]) for x in api.get(f"/__api__/v1/content/{a}/bundles").json()]
    assert listed == [ids[0], ids[2]]


def test_upload_errors(api: Api) -> None:
    guid = api.create("mtcars")["guid"]
    path = f"/__api__/v1/content/{guid}/bundles"
    assert_error(api.post(path, data=b""), 400, 125)
    assert_error(api.post(path, data=b"not a tar at all"), 400, 135)
    body = pin_bundle()
    assert_error(api.post(path, data=body, headers={"X-Content-Checksum": "0" * 32}), 400, 104)
    good = hashlib.md5(body).hexdigest()
    assert api.post(path, data=body, headers={"X-Content-Checksum": good}).status_code == 200
    b64 = base64.b64encode(hashlib.md5(body).digest()).decode()
    assert api.post(path, data=body, headers={"X-Content-Checksum": b64}).status_code == 200
    assert_error(api.as_user("ellen").post(path, data=body), 403, 21)
    assert_error(api.post("/__api__/v1/content/nope/bundles", data=body), 400, 3)
    missing = "00000000-0000-4000-8000-000000000000"
    assert_error(api.post(f"/__api__/v1/content/{missing}/bundles", data=body), 404, 4)


def test_get_bundle_non_numeric_is_3_and_foreign_is_4(api: Api) -> None:
    a = api.create("first")["guid"]
    b = api.create("second")["guid"]
    foreign = api.upload(b, pin_bundle())["id"]
    body = assert_error(api.get(f"/__api__/v1/content/{a}/bundles/latest"), 400, 3)
    assert "latest" in body["error"]
    assert_error(api.get(f"/__api__/v1/content/{a}/bundles/{foreign}"), 404, 4)
    assert_error(api.get(f"/__api__/v1/content/{a}/bundles/999999"), 404, 4)


def test_download_is_byte_for_byte(api: Api) -> None:
    guid = api.create("mtcars")["guid"]
    body = pin_bundle("download me")
    bundle_id = api.upload(guid, body)["id"]
    r = api.get(f"/__api__/v1/content/{guid}/bundles/{bundle_id}/download")
    assert r.status_code == 200
    assert r.content == body


def test_delete_bundle(api: Api) -> None:
    guid, active = api.publish("mtcars")
    spare = api.upload(guid, pin_bundle("spare"))["id"]
    path = f"/__api__/v1/content/{guid}/bundles"
    body = assert_error(api.delete(f"{path}/{active}"), 400, 75)
    assert body["error"] == "You may not delete the active bundle for an application"
    assert_error(api.as_user("ellen").delete(f"{path}/{spare}"), 403, 20)
    r = api.delete(f"{path}/{spare}")
    assert r.status_code == 204 and r.content == b""
    assert [b["id"] for b in api.get(path).json()] == [active]
    assert_error(api.delete(f"{path}/{spare}"), 404, 4)


def test_deploy_activates_the_bundle(api: Api) -> None:
    guid = api.create("mtcars")["guid"]
    first = api.upload(guid, pin_bundle("one"))["id"]
    second = api.upload(guid, pin_bundle("two"))["id"]
    r = api.post(f"/__api__/v1/content/{guid}/deploy", json={"bundle_id": first})
    assert r.status_code == 202
    task_id = r.json()["task_id"]
    assert isinstance(task_id, str)
    task = api.get(f"/__api__/v1/tasks/{task_id}", params={"first": 0, "wait": 1}).json()
    assert task["finished"] is True and task["code"] == 0 and task["error"] == ""
    assert task["last"] == len(task["output"]) and task["result"] is None
    content = api.get(f"/__api__/v1/content/{guid}").json()
    assert content["bundle_id"] == first
    assert content["app_mode"] == "static"
    assert content["content_category"] == "pin"
    assert api.get(f"/content/{guid}/data.txt").text == "one"

    api.deploy(guid, int(second))  # an int id is accepted too
    bundles = api.get(f"/__api__/v1/content/{guid}/bundles").json()
    assert [(b["id"], b["active"]) for b in bundles] == [(first, False), (second, True)]
    assert api.get(f"/content/{guid}/data.txt").text == "two"


def test_deploy_without_bundle_id_takes_the_latest(api: Api) -> None:
    guid = api.create("mtcars")["guid"]
    assert_error(api.post(f"/__api__/v1/content/{guid}/deploy", json={}), 404, 28)
    api.upload(guid, pin_bundle("one"))
    latest = api.upload(guid, pin_bundle("two"))["id"]
    api.deploy(guid)
    assert api.get(f"/__api__/v1/content/{guid}").json()["bundle_id"] == latest


def test_deploy_errors(api: Api) -> None:
    a = api.create("first")["guid"]
    b = api.create("second")["guid"]
    foreign = api.upload(b, pin_bundle())["id"]
    deploy = f"/__api__/v1/content/{a}/deploy"
    assert_error(api.post(deploy, json={"bundle_id": foreign}), 400, 82)
    assert_error(api.post(deploy, json={"bundle_id": "abc"}), 400, 3)
    assert_error(api.post(deploy, json={"bundle_id": "999999"}), 404, 4)
    assert_error(api.as_user("ellen").post(f"/__api__/v1/content/{b}/deploy", json={}), 403, 21)


def test_a_bundle_without_a_valid_manifest_fails_its_task(api: Api) -> None:
    guid, good = api.publish("mtcars")
    for body in (
        tgz({"data.txt": "x"}, manifest=None),
        tgz({"data.txt": "x", "manifest.json": "{not json"}, manifest=None),
        tgz({"data.txt": "x"}, manifest={"metadata": {}}),
    ):
        bad = api.upload(guid, body)["id"]
        task = api.deploy(guid, bad)
        assert task["finished"] is True
        assert task["code"] != 0 and task["error"]
        content = api.get(f"/__api__/v1/content/{guid}").json()
        assert content["bundle_id"] == good
        assert_error(api.get(f"/content/{guid}/_rev{bad}/data.txt"), 404, 4)


def test_manifest_files_and_locale_variants(api: Api) -> None:
    guid = api.create("variants")["guid"]
    for files, locale_key in (
        (None, "locale"),
        (["data.txt", "sub/"], "local"),
        ({"data.txt": {"checksum": "abc"}}, "locale"),
    ):
        manifest = {**PIN_MANIFEST, "files": files}
        manifest.pop("locale")
        manifest[locale_key] = "en_US"
        bundle_id = api.upload(guid, tgz({"data.txt": json.dumps(files)}, manifest=manifest))["id"]
        assert api.deploy(guid, bundle_id)["code"] == 0
        assert api.get(f"/content/{guid}/data.txt").json() == files


def test_tasks_report_output_from_first(api: Api) -> None:
    guid = api.create("mtcars")["guid"]
    bundle_id = api.upload(guid, pin_bundle())["id"]
    task_id = api.post(f"/__api__/v1/content/{guid}/deploy", json={"bundle_id": bundle_id}).json()[
        "task_id"
    ]
    whole = api.get(f"/__api__/v1/tasks/{task_id}").json()
    assert whole["id"] == task_id and len(whole["output"]) >= 2
    tail = api.get(f"/__api__/v1/tasks/{task_id}", params={"first": whole["last"]}).json()
    assert tail["output"] == [] and tail["last"] == whole["last"]
    assert_error(api.get("/__api__/v1/tasks/unknown-task"), 404, 4)
    assert_error(api.as_user(None).get(f"/__api__/v1/tasks/{task_id}"), 401, 24)


def test_success_bodies_never_carry_a_non_zero_code(api: Api) -> None:
    guid, bundle_id = api.publish("mtcars")
    for path in (
        "/__api__/v1/user",
        "/__api__/v1/users",
        f"/__api__/v1/content/{guid}",
        f"/__api__/v1/content/{guid}/bundles/{bundle_id}",
        "/__api__/applications",
        "/__api__/server_settings",
    ):
        body = api.get(path).json()
        assert not isinstance(body, dict) or body.get("code", 0) == 0, path


def test_upload_takes_any_content_type_and_chunked_bodies(api: Api) -> None:
    guid = api.create("mtcars")["guid"]
    path = f"/__api__/v1/content/{guid}/bundles"
    for content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/octet-stream",
        "application/gzip",
    ):
        r = api.post(path, data=pin_bundle(), headers={"Content-Type": content_type})
        assert r.status_code == 200, (content_type, r.text)
    body = pin_bundle("chunks")
    r = api.post(path, data=iter([body[:10], body[10:]]))  # Transfer-Encoding: chunked
    assert r.status_code == 200
    assert r.json()["size"] == len(body)
    assert_error(api.post(path, data=iter([])), 400, 125)
