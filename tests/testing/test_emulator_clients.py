"""Each client's lookup sequence (CONNECT_API.md), replayed with plain requests, and counted."""

from __future__ import annotations

import io
import json
import tarfile

from pins.testing import ConnectServer

from .helpers import PIN_MANIFEST, Api


def _wrapped_tgz(folder: str, files: dict[str, str]) -> bytes:
    """A bundle like the 0.1 package makes: every file under one ``tmpXXXX/`` folder."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo(folder)
        info.type = tarfile.DIRTYPE
        tar.addfile(info)
        for name, text in files.items():
            raw = text.encode()
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    return buf.getvalue()


def test_pins_python_sequence(server: ConnectServer, api: Api) -> None:
    guid, first = api.publish("mtcars", text="v1")
    _, second = api.publish("mtcars", text="v2")
    server.clear_requests()
    users = api.get("/__api__/v1/users", params={"prefix": "susan"}).json()["results"]
    me = next(u for u in users if u["username"] == "susan")
    assert (
        api.get("/__api__/v1/users", params={"prefix": "susan", "page_number": 2}).json()["results"]
        == []
    )
    [content] = api.get(
        "/__api__/v1/content", params={"owner_guid": me["guid"], "name": "mtcars"}
    ).json()
    bundles = api.get(f"/__api__/v1/content/{content['guid']}/bundles").json()
    latest = max(bundles, key=lambda b: int(b["id"]))
    assert latest["id"] == second
    bundle = api.get(f"/__api__/v1/content/{guid}/bundles/{latest['id']}").json()
    assert api.get(f"/content/{guid}/_rev{bundle['id']}/data.txt").text == "v2"
    assert api.get(f"/content/{guid}/_rev{first}/data.txt").text == "v1"
    assert [r.status for r in server.requests] == [200] * 7


def test_r_pins_sequence(server: ConnectServer, api: Api) -> None:
    _, bundle_id = api.publish("mtcars", text="from R")
    api.as_user("ellen").publish("mtcars", text="ellen's", access_type="logged_in")
    assert api.get("/__api__/users/current/").json()["username"] == "susan"
    assert api.get("/__api__/server_settings").json()["version"]
    rows = api.get("/__api__/v1/content", params={"name": "mtcars"}).json()
    owners = {
        api.get(f"/__api__/v1/users/{row['owner_guid']}").json()["username"]: row for row in rows
    }
    assert set(owners) == {"susan", "ellen"}
    content = api.get(f"/__api__/v1/content/{owners['susan']['guid']}").json()
    assert content["bundle_id"] == bundle_id
    url = f"{content['content_url']}_rev{content['bundle_id']}/data.txt"
    assert url.startswith(server.url)
    assert api.get(url[len(server.url) :]).text == "from R"
    assert api.get("/__api__/applications/", params={"filter": "content_type:pin"}).ok


def test_0_1_writer_then_reader(server: ConnectServer) -> None:
    key = server.api_key("susan")
    writer = Api(server, None)
    writer.headers = {"Authorization": f"key {key}"}  # the 0.1 package's spelling
    assert writer.get("//__api__/v1/content", params={"name": "legacy"}).json() == []
    content = writer.post("//__api__/v1/content", json={"name": "legacy", "title": "Legacy"})
    guid = content.json()["guid"]
    data = json.dumps({"x": {"0": 1}, "y": {"0": "é"}})
    body = _wrapped_tgz(
        "tmpab12cd",
        {"data.txt": data, "index.html": "<p>x</p>", "manifest.json": json.dumps(PIN_MANIFEST)},
    )
    bundle = writer.post(f"//__api__/v1/content/{guid}/bundles", data=body).json()
    r = writer.post(f"//__api__/v1/content/{guid}/deploy", json={"bundle_id": bundle["id"]})
    assert r.status_code == 202  # the 0.1 writer never polls the task

    server.clear_requests()
    reader = writer
    assert reader.get("//__ping__").status_code == 200
    me = reader.get("//__api__/v1/user").json()
    users = reader.get("//__api__/v1/users", params={"prefix": "susan"}).json()["results"]
    assert len(users) == 1 and users[0]["guid"] == me["guid"]
    [row] = reader.get(
        "//__api__/v1/content", params={"owner_guid": me["guid"], "name": "legacy"}
    ).json()
    r = reader.get(f"{row['content_url'][len(server.url) :]}/data.txt")
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.json() == json.loads(data)
    assert len(server.requests) == 5
    assert server.requests[-1].raw_path.endswith("//data.txt")
    assert server.requests[-1].path == f"/content/{guid}/data.txt"
