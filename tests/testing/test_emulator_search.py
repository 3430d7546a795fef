"""The v0 ``applications`` search (used by pin_list and pin_search)."""

from __future__ import annotations

from .helpers import Api, tgz


def test_content_type_pin_filter_keeps_deployed_pins(api: Api) -> None:
    api.publish("a-pin", title="The Pin")
    api.create("not-deployed")
    site = api.create("a-site")["guid"]
    manifest = {"version": 1, "metadata": {"appmode": "static"}}
    api.deploy(site, api.upload(site, tgz({"index.html": "x"}, manifest))["id"])
    for query in ("filter=content_type:pin", "filter=content_type%3Apin"):
        body = api.get(f"/__api__/applications?{query}&count=1000").json()
        assert [row["name"] for row in body["applications"]] == ["a-pin"]
        assert body["count"] == 1 and body["total"] == 1
    every = api.get("/__api__/applications").json()
    assert every["total"] == 3


def test_rows_have_the_fields_clients_read(api: Api) -> None:
    guid, bundle_id = api.publish("a-pin", title="Title", description="Desc")
    row = api.get("/__api__/applications?filter=content_type:pin").json()["applications"][0]
    assert row["name"] == "a-pin"
    assert row["owner_username"] == "susan"
    assert row["bundle_id"] == int(bundle_id)
    assert row["title"] == "Title" and row["description"] == "Desc"
    assert row["guid"] == guid
    content = api.get(f"/__api__/v1/content/{guid}").json()
    assert row["url"] == f"{api.url}/content/{row['id']}/"  # the numeric id, as Connect's v0
    assert row["url"] != content["content_url"]
    assert row["content_category"] == "pin"
    assert isinstance(row["id"], int) and str(row["id"]) == content["id"]
    assert row["app_mode"] == 4 and row["access_type"] == "acl"  # 4 is static
    assert row["app_role"] == "owner"


def test_search_is_a_case_insensitive_substring_of_name_or_title(api: Api) -> None:
    api.publish("mtcars", title="Motor Trend cars")
    api.publish("iris", title="Flowers")
    api.publish("penguins", title="Palmer CARS? no")

    def names(search: str) -> list[str]:
        rows = api.get(
            "/__api__/applications", params={"filter": "content_type:pin", "search": search}
        ).json()
        return sorted(r["name"] for r in rows["applications"])

    assert names("CARS") == ["mtcars", "penguins"]
    assert names("flow") == ["iris"]
    assert names("zzz") == []


def test_repeated_filters_and_paging(api: Api) -> None:
    for i in range(5):
        api.publish(f"pin-{i}")
    api.as_user("ellen").publish("ellens-pin")
    q = "filter=content_type:pin&filter=account_id:susan"
    page = api.get(f"/__api__/applications?{q}&start=1&count=2").json()
    assert [r["name"] for r in page["applications"]] == ["pin-1", "pin-2"]
    assert page["count"] == 2 and page["total"] == 5 and page["continuation"] == 3
    last = api.get(f"/__api__/applications?{q}&start=4&count=2").json()
    assert [r["name"] for r in last["applications"]] == ["pin-4"]
    assert api.get(f"/__api__/applications?{q}&start=10").json()["applications"] == []


def test_only_visible_content_is_listed(api: Api) -> None:
    api.publish("private")
    api.publish("public", access_type="all")
    ellen = api.as_user("ellen")
    rows = ellen.get("/__api__/applications?filter=content_type:pin").json()["applications"]
    assert [r["name"] for r in rows] == ["public"]
    admin = api.as_user("admin").get("/__api__/applications").json()
    assert admin["total"] == 2
