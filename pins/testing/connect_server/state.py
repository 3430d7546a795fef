"""The emulator's state: users, keys, content, bundles and tasks, kept in one JSON file.

Every change is written to ``state.json`` through a temporary file and ``os.replace``, so a
server killed at any moment restarts from the last complete state. Bundle archives and their
extracted files are moved into place (also with ``os.replace``) before the state that refers to
them is written; leftovers that no state refers to are removed at start.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROLES = ("administrator", "publisher", "viewer")
ACCESS_TYPES = ("acl", "logged_in", "all")
STATE_VERSION = 1


def now() -> str:
    """An RFC 3339 timestamp, ``YYYY-MM-DDTHH:MM:SSZ``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass
class User:
    guid: str
    username: str
    first_name: str
    last_name: str
    email: str
    user_role: str
    created_time: str
    key_hashes: list[str] = field(default_factory=list)
    locked: bool = False


@dataclass
class Content:
    guid: str
    id: int
    name: str
    title: str | None
    description: str
    access_type: str
    owner_guid: str
    created_time: str
    last_deployed_time: str | None = None
    app_mode: str = "unknown"
    content_category: str = ""
    primary_html: str | None = None
    bundle_id: int | None = None
    collaborators: list[str] = field(default_factory=list)
    viewers: list[str] = field(default_factory=list)


@dataclass
class Bundle:
    id: int
    content_guid: str
    created_time: str
    size: int
    md5: str
    sha1: str
    deployed: bool = False


@dataclass
class Task:
    id: str
    content_guid: str
    bundle_id: int
    output: list[str]
    finished: bool = False
    code: int = 0
    error: str = ""
    polls_left: int = 0
    finish_at: float = 0.0
    fail: bool = False


class State:
    """All the data of one server, guarded by ``lock`` and persisted in ``root``."""

    def __init__(self, root: Path, durable: bool = False) -> None:
        self.root = root
        self.durable = durable
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.users: dict[str, User] = {}
        self.contents: dict[str, Content] = {}
        self.bundles: dict[int, Bundle] = {}
        self.tasks: dict[str, Task] = {}
        self.plain_keys: dict[str, list[str]] = {}
        self.next_content_id = 1
        self.next_bundle_id = 1
        for sub in ("archives", "files", "uploads"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        self._load()
        self._clean()

    # paths -----------------------------------------------------------------------------------
    def archive_path(self, bundle_id: int) -> Path:
        return self.root / "archives" / f"{bundle_id}.tar.gz"

    def files_path(self, bundle_id: int) -> Path:
        return self.root / "files" / str(bundle_id)

    def scratch(self, prefix: str) -> Path:
        """A new, unique path in the scratch folder (removed at every start)."""
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.root / "uploads"))

    # lookups ---------------------------------------------------------------------------------
    def user_by_key(self, key: str) -> User | None:
        digest = hash_key(key)
        for user in self.users.values():
            if digest in user.key_hashes and not user.locked:
                return user
        return None

    def user_by_name(self, username: str) -> User | None:
        return next((u for u in self.users.values() if u.username == username), None)

    def bundles_of(self, content_guid: str) -> list[Bundle]:
        return sorted(
            (b for b in self.bundles.values() if b.content_guid == content_guid),
            key=lambda b: b.id,
        )

    # changes ---------------------------------------------------------------------------------
    def add_user(self, username: str, role: str, key: str, first: str = "", last: str = "") -> User:
        with self.lock:
            user = self.user_by_name(username)
            if user is None:
                user = User(
                    guid=str(uuid.uuid4()),
                    username=username,
                    first_name=first or username.capitalize(),
                    last_name=last,
                    email=f"{username}@example.com",
                    user_role=role,
                    created_time=now(),
                )
                self.users[user.guid] = user
            user.user_role = role
            if hash_key(key) not in user.key_hashes:
                user.key_hashes.append(hash_key(key))
                self.plain_keys.setdefault(username, []).append(key)
            self.save()
            return user

    def remove_content(self, content: Content) -> None:
        with self.lock:
            for bundle in self.bundles_of(content.guid):
                self.remove_bundle(bundle, save=False)
            for task_id in [t.id for t in self.tasks.values() if t.content_guid == content.guid]:
                del self.tasks[task_id]
            del self.contents[content.guid]
            self.save()

    def remove_bundle(self, bundle: Bundle, save: bool = True) -> None:
        with self.lock:
            del self.bundles[bundle.id]
            if save:
                self.save()
        self.archive_path(bundle.id).unlink(missing_ok=True)
        shutil.rmtree(self.files_path(bundle.id), ignore_errors=True)

    # persistence -----------------------------------------------------------------------------
    def save(self) -> None:
        """Write the whole state atomically (temporary file, then ``os.replace``)."""
        with self.lock:
            data = {
                "version": STATE_VERSION,
                "next_content_id": self.next_content_id,
                "next_bundle_id": self.next_bundle_id,
                "users": [dataclasses.asdict(u) for u in self.users.values()],
                "contents": [dataclasses.asdict(c) for c in self.contents.values()],
                "bundles": [dataclasses.asdict(b) for b in self.bundles.values()],
                "tasks": [dataclasses.asdict(t) for t in self.tasks.values()],
            }
            self._write_json(self.root / "state.json", data)
            self._write_json(self.root / "keys.json", self.plain_keys, private=True)

    def _write_json(self, path: Path, data: Any, private: bool = False) -> None:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            if private:
                os.chmod(tmp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1)
                if self.durable:
                    out.flush()
                    os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _load(self) -> None:
        path = self.root / "state.json"
        if not path.exists():
            return
        data = json.loads(path.read_text(encoding="utf-8"))
        self.next_content_id = int(data["next_content_id"])
        self.next_bundle_id = int(data["next_bundle_id"])
        self.users = {u["guid"]: User(**u) for u in data["users"]}
        self.contents = {c["guid"]: Content(**c) for c in data["contents"]}
        self.bundles = {int(b["id"]): Bundle(**b) for b in data["bundles"]}
        self.tasks = {t["id"]: Task(**t) for t in data["tasks"]}
        keys = self.root / "keys.json"
        if keys.exists():
            self.plain_keys = json.loads(keys.read_text(encoding="utf-8"))

    def _clean(self) -> None:
        """Remove what an interrupted write left behind; drop bundles whose files are gone."""
        shutil.rmtree(self.root / "uploads", ignore_errors=True)
        (self.root / "uploads").mkdir()
        for leftover in self.root.glob(".*.json.*"):
            leftover.unlink(missing_ok=True)
        for archive in (self.root / "archives").iterdir():
            stem = archive.name.split(".")[0]
            if not stem.isdigit() or int(stem) not in self.bundles:
                archive.unlink()
        for folder in (self.root / "files").iterdir():
            if not folder.name.isdigit() or int(folder.name) not in self.bundles:
                shutil.rmtree(folder, ignore_errors=True)
        missing = [
            b
            for b in self.bundles.values()
            if not self.archive_path(b.id).is_file() or not self.files_path(b.id).is_dir()
        ]
        for bundle in missing:
            del self.bundles[bundle.id]
            content = self.contents.get(bundle.content_guid)
            if content is not None and content.bundle_id == bundle.id:
                content.bundle_id = None
        if missing:
            self.save()
