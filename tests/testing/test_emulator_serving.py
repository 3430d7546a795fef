"""Content URLs: the active bundle, ``_rev<id>``, redirects, types, HEAD, Range, ETag, access."""

from __future__ import annotations

import uuid

import pytest

from .helpers import Api, assert_error, pin_bundle, tgz


def test_bare_content_url_redirects_to_the_slash_form(api: Api) -> None:
    guid, _ = api.publish("mtcars")
    r = api.get(f"/content/{guid}", params={"a": "1"})
    assert r.status_code in (301, 302, 307, 308)
    assert r.headers["Location"].endswith(f"/content/{guid}/?a=1")


def test_root_serves_index_html_and_files_of_the_active_bundle(api: Api) -> None:
    guid, _ = api.publish("mtcars", text="first")
    r = api.get(f"/content/{guid}/")
    assert r.status_code == 200 and r.text == "<p>first</p>"
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert api.get(f"/content/{guid}/data.txt").text == "first"
    api.publish("mtcars", text="second")
    assert api.get(f"/content/{guid}/data.txt").text == "second"


def test_rev_urls_serve_each_deployed_bundle(api: Api) -> None:
    guid, first = api.publish("mtcars", text="first")
    _, second = api.publish("mtcars", text="second")
    assert api.get(f"/content/{guid}/_rev{first}/data.txt").text == "first"
    assert api.get(f"/content/{guid}/_rev{second}/data.txt").text == "second"
    assert api.get(f"/content/{guid}/_rev{first}/").text == "<p>first</p>"
    redirect = api.get(f"/content/{guid}/_rev{first}")
    assert redirect.status_code == 302
    assert redirect.headers["Location"].endswith(f"/_rev{first}/")
    never_deployed = api.upload(guid, pin_bundle("third"))["id"]
    assert_error(api.get(f"/content/{guid}/_rev{never_deployed}/data.txt"), 404, 4)
    _, foreign = api.publish("other")
    assert_error(api.get(f"/content/{guid}/_rev{foreign}/data.txt"), 404, 4)


def test_double_slashes_in_content_urls(api: Api) -> None:
    guid, bundle_id = api.publish("mtcars", text="x")
    assert api.get(f"/content/{guid}//data.txt").text == "x"
    assert api.get(f"//content/{guid}/_rev{bundle_id}//data.txt").text == "x"


def test_text_is_served_as_utf8(api: Api) -> None:
    guid, _ = api.publish("mtcars", text="naïve café ✓")
    r = api.get(f"/content/{guid}/data.txt")
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.text == "naïve café ✓"
    assert int(r.headers["Content-Length"]) == len("naïve café ✓".encode())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("data.csv", "text/csv; charset=utf-8"),
        ("data.json", "application/json; charset=utf-8"),
        ("data.parquet", "application/vnd.apache.parquet"),
        ("data.joblib", "application/octet-stream"),
    ],
)
def test_content_type_by_extension(api: Api, name: str, expected: str) -> None:
    guid = api.create("typed")["guid"]
    bundle_id = api.upload(guid, tgz({name: "1", "index.html": "i", "data.txt": "d"}))["id"]
    api.deploy(guid, bundle_id)
    assert api.get(f"/content/{guid}/{name}").headers["Content-Type"] == expected


def test_missing_things_are_404(api: Api) -> None:
    guid, _ = api.publish("mtcars")
    assert_error(api.get(f"/content/{guid}/nope.txt"), 404, 4)
    assert_error(api.get(f"/content/{uuid.uuid4()}/data.txt"), 404, 4)
    assert_error(api.get("/content/not-a-guid/data.txt"), 404, 4)
    assert_error(api.get(f"/content/{guid}/_revabc/data.txt"), 404, 4)
    empty = api.create("empty")["guid"]
    assert_error(api.get(f"/content/{empty}/"), 404, 4)
    assert_error(api.get(f"/content/{guid}/%2e%2e/%2e%2e/state.json"), 404, 4)


def test_head_range_and_etag(api: Api) -> None:
    guid, _ = api.publish("mtcars", text="0123456789")
    url = f"/content/{guid}/data.txt"
    head = api.request("HEAD", url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Length"] == "10"
    part = api.get(url, headers={"Range": "bytes=2-5"})
    assert part.status_code == 206
    assert part.content == b"2345"
    assert part.headers["Content-Range"] == "bytes 2-5/10"
    etag = api.get(url).headers["ETag"]
    assert api.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_access_type_all_needs_no_key(api: Api) -> None:
    guid, _ = api.publish("open", access_type="all")
    anonymous = api.as_user(None)
    assert anonymous.get(f"/content/{guid}/data.txt").text == "hello"
    wrong_key = {"Authorization": "Key wrong"}
    assert anonymous.get(f"/content/{guid}/data.txt", headers=wrong_key).status_code == 200


def test_logged_in_needs_any_valid_key(api: Api) -> None:
    guid, _ = api.publish("members", access_type="logged_in")
    url = f"/content/{guid}/data.txt"
    assert_error(api.as_user(None).get(url), 401, 24)
    assert_error(api.get(url, headers={"Authorization": "Key wrong"}), 401, 30)
    assert api.as_user("derek").get(url).text == "hello"


def test_acl_needs_the_owner_a_collaborator_or_a_viewer_not_an_admin(api: Api) -> None:
    guid, _ = api.publish("private")
    url = f"/content/{guid}/data.txt"
    assert api.get(url).status_code == 200
    assert_error(api.as_user("admin").get(url), 403, 19)  # role none: no content read
    assert_error(api.as_user("ellen").get(url), 403, 19)
    assert_error(api.as_user(None).get(url), 401, 24)
    assert api.get(url, headers={"Authorization": f"key {api.server.api_key('susan')}"}).ok


def test_primary_html_and_folders(api: Api) -> None:
    manifest = {"version": 1, "metadata": {"appmode": "static", "primary_html": "main.html"}}
    body = tgz({"main.html": "main", "sub/index.html": "sub", "sub/x.txt": "x"}, manifest)
    guid = api.create("site")["guid"]
    bundle_id = api.upload(guid, body)["id"]
    api.deploy(guid, bundle_id)
    assert api.get(f"/content/{guid}/").text == "main"
    assert api.get(f"/content/{guid}/sub").status_code == 302
    assert api.get(f"/content/{guid}/sub/").text == "sub"
    assert api.get(f"/content/{guid}/sub/x.txt").text == "x"
    content = api.get(f"/__api__/v1/content/{guid}").json()
    assert content["app_mode"] == "static" and content["content_category"] == ""


def test_non_ascii_file_names(api: Api) -> None:
    guid = api.create("unicode")["guid"]
    bundle_id = api.upload(guid, tgz({"café.txt": "ok", "data.txt": "d", "index.html": "i"}))["id"]
    api.deploy(guid, bundle_id)
    assert api.get(f"/content/{guid}/café.txt").text == "ok"
    assert api.server.requests[-1].path.endswith("/café.txt")
    assert api.server.requests[-1].raw_path.endswith("/caf%C3%A9.txt")


def test_a_request_too_broken_for_the_application_still_gets_json(api: Api) -> None:
    r = api.get("/__ping__", headers={"X-Huge": "x" * 70_000})
    assert r.status_code == 431
    assert r.headers["Content-Type"] == "application/json"
    assert r.json()["payload"] is None
