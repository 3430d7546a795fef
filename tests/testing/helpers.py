"""Small helpers for the emulator tests: gzip tars built in memory and a keyed HTTP client."""

from __future__ import annotations

import io
import json
import tarfile
from typing import Any

import requests

from pins.testing import ConnectServer

PIN_MANIFEST: dict[str, Any] = {
    "version": 1,
    "locale": "en_US",
    "platform": "3.5.1",
    "metadata": {
        "appmode": "static",
        "primary_rmd": None,
        "primary_html": "index.html",
        "content_category": "pin",
        "has_parameters": False,
    },
    "packages": None,
    "files": ["data.txt", "index.html"],
    "users": None,
}


def tgz(files: dict[str, bytes | str], manifest: dict[str, Any] | None = PIN_MANIFEST) -> bytes:
    """A gzip tar with these members (a manifest.json at the root unless ``manifest=None``)."""
    members = dict(files)
    if manifest is not None:
        members.setdefault("manifest.json", json.dumps(manifest))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            raw = data.encode("utf-8") if isinstance(data, str) else data
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    return buf.getvalue()


def pin_bundle(text: str = "hello") -> bytes:
    return tgz({"data.txt": text, "index.html": f"<p>{text}</p>"})


class Api:
    """``requests`` against one emulator, as one user (or anonymously with ``user=None``), in
    a session of its own (which keeps the cookie a deploy sets, as clients must)."""

    def __init__(self, server: ConnectServer, user: str | None = "susan") -> None:
        self.server = server
        self.url = server.url
        self.headers = {"Authorization": f"Key {server.api_key(user)}"} if user else {}
        self.session = requests.Session()

    def as_user(self, user: str | None) -> Api:
        return Api(self.server, user)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        kwargs.setdefault("allow_redirects", False)
        return self.session.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    # shortcuts -----------------------------------------------------------------------------
    def create(self, name: str, **fields: Any) -> dict[str, Any]:
        r = self.post("/__api__/v1/content", json={"name": name, **fields})
        assert r.status_code == 200, r.text
        content: dict[str, Any] = r.json()
        return content

    def upload(self, guid: str, body: bytes) -> dict[str, Any]:
        r = self.post(f"/__api__/v1/content/{guid}/bundles", data=body)
        assert r.status_code == 200, r.text
        bundle: dict[str, Any] = r.json()
        return bundle

    def deploy(self, guid: str, bundle_id: str | None = None) -> dict[str, Any]:
        body = {} if bundle_id is None else {"bundle_id": bundle_id}
        r = self.post(f"/__api__/v1/content/{guid}/deploy", json=body)
        assert r.status_code == 202, r.text
        task: dict[str, Any] = self.get(f"/__api__/v1/tasks/{r.json()['task_id']}").json()
        return task

    def publish(self, name: str, text: str = "hello", **fields: Any) -> tuple[str, str]:
        """Create (or reuse) content ``name``, upload and deploy a pin bundle: (guid, bundle id)."""
        found = self.get("/__api__/v1/content", params={"name": name}).json()
        mine = [c for c in found if c["owner_guid"] == self.me()["guid"]]
        guid = mine[0]["guid"] if mine else self.create(name, **fields)["guid"]
        bundle = self.upload(guid, pin_bundle(text))
        task = self.deploy(guid, bundle["id"])
        assert task["finished"] and task["code"] == 0, task
        return guid, bundle["id"]

    def me(self) -> dict[str, Any]:
        user: dict[str, Any] = self.get("/__api__/v1/user").json()
        return user


def assert_error(r: requests.Response, status: int, code: int) -> dict[str, Any]:
    """A Connect error answer: the status, JSON content type and ``{code, error, payload}``."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("application/json")
    body: dict[str, Any] = r.json()
    assert body["code"] == code, body
    assert isinstance(body["error"], str) and body["error"]
    assert body["payload"] is None
    return body
