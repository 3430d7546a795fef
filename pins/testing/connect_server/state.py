"""The emulator's state: users, keys, content, bundles and tasks.

Every change is committed as one line of a journal (:mod:`.store`), folded now and then into
the ``state.json`` snapshot, so a server killed at any moment restarts from the last complete
change, and a change costs the same with 10 versions or 10,000. Bundle archives and their
extracted files are moved into place (with ``os.replace``) before the change that refers to
them is committed; leftovers that nothing refers to are removed at start. Finished tasks are
kept for a while (the newest :data:`KEEP_TASKS`), not forever.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .store import Store, write_json

ROLES = ("administrator", "publisher", "viewer")
ACCESS_TYPES = ("acl", "logged_in", "all")
STATE_VERSION = 1
#: Tasks kept (finished ones go first, oldest first) so that memory stays bounded.
KEEP_TASKS = 200


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


Entity = User | Content | Bundle | Task
_KINDS: dict[type, str] = {User: "users", Content: "contents", Bundle: "bundles", Task: "tasks"}


class State:
    """All the data of one server, guarded by ``lock`` and persisted in ``root``.

    A handler changes entities under ``lock`` and then commits them with :meth:`save`
    (``save(content, bundle)``); removals are committed by the ``remove_*`` methods.
    """

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
        self.node = secrets.token_hex(8)  # the server's name in task cookies; kept on restart
        self._store = Store(root, durable)
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
                write_json(
                    self.root / "keys.json", self.plain_keys, durable=self.durable, private=True
                )
            self.save(user)
            return user

    def add_task(self, task: Task) -> None:
        """Keep a new task; forget the oldest ones (finished first) beyond KEEP_TASKS."""
        with self.lock:
            self.tasks[task.id] = task
            excess = len(self.tasks) - KEEP_TASKS
            if excess > 0:
                order = sorted(self.tasks.values(), key=lambda t: not t.finished)  # stable
                for old in order[:excess]:
                    del self.tasks[old.id]
                self.save(dropped={"tasks": [old.id for old in order[:excess]]})

    def remove_content(self, content: Content) -> None:
        with self.lock:
            bundles = self.bundles_of(content.guid)
            for bundle in bundles:
                self.remove_bundle(bundle, save=False)
            tasks = [t.id for t in self.tasks.values() if t.content_guid == content.guid]
            for task_id in tasks:
                del self.tasks[task_id]
            del self.contents[content.guid]
            self.save(
                dropped={
                    "contents": [content.guid],
                    "bundles": [b.id for b in bundles],
                    "tasks": tasks,
                }
            )

    def remove_bundle(self, bundle: Bundle, save: bool = True) -> None:
        with self.lock:
            del self.bundles[bundle.id]
            if save:
                self.save(dropped={"bundles": [bundle.id]})
        self.archive_path(bundle.id).unlink(missing_ok=True)
        shutil.rmtree(self.files_path(bundle.id), ignore_errors=True)

    # persistence -----------------------------------------------------------------------------
    def save(self, *changed: Entity, dropped: dict[str, list[Any]] | None = None) -> None:
        """Commit ``changed`` (entities added or changed, whole) and ``dropped`` (ids by
        kind: ``contents``, ``bundles``, ``tasks``): one line of the journal."""
        with self.lock:
            put: dict[str, list[dict[str, Any]]] = {}
            for entity in changed:
                put.setdefault(_KINDS[type(entity)], []).append(dataclasses.asdict(entity))
            self._store.append(
                {
                    "next_content_id": self.next_content_id,
                    "next_bundle_id": self.next_bundle_id,
                    "put": put,
                    "drop": dropped or {},
                }
            )
            entities = len(self.users) + len(self.contents) + len(self.bundles) + len(self.tasks)
            if self._store.due(entities):
                self.snapshot()

    def snapshot(self) -> None:
        """Write the whole state to ``state.json`` and empty the journal."""
        with self.lock:
            self._store.snapshot(
                {
                    "version": STATE_VERSION,
                    "node": self.node,
                    "next_content_id": self.next_content_id,
                    "next_bundle_id": self.next_bundle_id,
                    "users": [dataclasses.asdict(u) for u in self.users.values()],
                    "contents": [dataclasses.asdict(c) for c in self.contents.values()],
                    "bundles": [dataclasses.asdict(b) for b in self.bundles.values()],
                    "tasks": [dataclasses.asdict(t) for t in self.tasks.values()],
                }
            )

    def close(self) -> None:
        """Fold the journal into the snapshot and close it (the server stopped)."""
        with self.lock:
            self.snapshot()
            self._store.close()

    def _load(self) -> None:
        snapshot, changes = self._store.load()
        if snapshot is not None:
            self._apply(snapshot, {})
            self.node = str(snapshot.get("node") or self.node)
        for change in changes:
            self._apply(change.get("put") or {}, change.get("drop") or {})
            self.next_content_id = int(change["next_content_id"])
            self.next_bundle_id = int(change["next_bundle_id"])
        keys = self.root / "keys.json"
        if keys.exists():
            self.plain_keys = json.loads(keys.read_text(encoding="utf-8"))

    def _apply(self, put: dict[str, Any], drop: dict[str, list[Any]]) -> None:
        if "next_content_id" in put:
            self.next_content_id = int(put["next_content_id"])
            self.next_bundle_id = int(put["next_bundle_id"])
        for raw in put.get("users", []):
            self.users[raw["guid"]] = User(**raw)
        for raw in put.get("contents", []):
            self.contents[raw["guid"]] = Content(**raw)
        for raw in put.get("bundles", []):
            self.bundles[int(raw["id"])] = Bundle(**raw)
        for raw in put.get("tasks", []):
            self.tasks[raw["id"]] = Task(**raw)
        for guid in drop.get("contents", []):
            self.contents.pop(guid, None)
        for bundle_id in drop.get("bundles", []):
            self.bundles.pop(int(bundle_id), None)
        for task_id in drop.get("tasks", []):
            self.tasks.pop(task_id, None)

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
        self.snapshot()
