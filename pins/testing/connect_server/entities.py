"""One serializer per entity (POST results, GET results and list rows are the same dicts),
and the access rules.

The access rules are Connect's (its API reference, "role"): a caller's role on a content item
is ``owner``, ``editor`` (a collaborator), ``viewer`` (on the ACL, or anyone logged in for
``logged_in`` content, anyone at all for ``all``) or ``none``. Administrators are no
exception: on content they are not on the ACL of, their role is ``none``; they see it in
listings and may change its settings (title, access, permissions) or delete it, but may not
read its files or bundles, upload or deploy.
"""

from __future__ import annotations

from typing import Any

from .state import Bundle, Content, State, Task, User

JSON = dict[str, Any]


def user_json(user: User) -> JSON:
    return {
        "guid": user.guid,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "user_role": user.user_role,
        "created_time": user.created_time,
        "updated_time": user.created_time,
        "active_time": user.created_time,
        "confirmed": True,
        "locked": user.locked,
    }


#: v0 ``app_mode`` numbers, as Connect sends them in ``applications`` rows.
APP_MODES = {
    "unknown": 0,
    "shiny": 1,
    "rmd-shiny": 2,
    "rmd-static": 3,
    "static": 4,
    "api": 5,
    "tensorflow-saved-model": 6,
    "jupyter-static": 7,
    "python-api": 8,
    "python-dash": 9,
    "python-streamlit": 10,
    "python-bokeh": 11,
    "python-fastapi": 12,
    "quarto-shiny": 13,
    "quarto-static": 14,
}


def content_url(base: str, content: Content) -> str:
    return f"{base}/content/{content.guid}/"


def owner_json(user: User | None) -> JSON | None:
    """The ``owner`` of a content item, with ``include=owner``."""
    if user is None:
        return None
    return {k: getattr(user, k) for k in ("guid", "username", "first_name", "last_name")}


def content_json(content: Content, base: str, role: str) -> JSON:
    return {
        "guid": content.guid,
        "name": content.name,
        "title": content.title,
        "description": content.description,
        "access_type": content.access_type,
        "connection_timeout": None,
        "read_timeout": None,
        "init_timeout": None,
        "idle_timeout": None,
        "max_processes": None,
        "min_processes": None,
        "max_conns_per_process": None,
        "load_factor": None,
        "created_time": content.created_time,
        "last_deployed_time": content.last_deployed_time or content.created_time,
        "bundle_id": None if content.bundle_id is None else str(content.bundle_id),
        "app_mode": content.app_mode,
        "content_category": content.content_category,
        "parameterized": False,
        "cluster_name": "Local",
        "image_name": None,
        "r_version": None,
        "py_version": None,
        "quarto_version": None,
        "run_as": None,
        "run_as_current_user": False,
        "owner_guid": content.owner_guid,
        "content_url": content_url(base, content),
        "dashboard_url": f"{base}/connect/#/apps/{content.guid}",
        "role": role,
        "id": str(content.id),
        "locked": False,
    }


def bundle_json(bundle: Bundle, content: Content) -> JSON:
    return {
        "id": str(bundle.id),
        "content_guid": bundle.content_guid,
        "created_time": bundle.created_time,
        "cluster_name": "Local",
        "image_name": None,
        "r_version": None,
        "py_version": None,
        "quarto_version": None,
        "active": content.bundle_id == bundle.id,
        "size": bundle.size,
        "metadata": {
            "source": None,
            "source_repo": None,
            "source_branch": None,
            "source_commit": None,
            "archive_md5": bundle.md5,
            "archive_sha1": bundle.sha1,
        },
    }


def task_json(task: Task, first: int) -> JSON:
    return {
        "id": task.id,
        "output": task.output[first:],
        "result": None,
        "finished": task.finished,
        "code": task.code,
        "error": task.error,
        "last": len(task.output),
        "user_id": 0,
    }


def application_json(content: Content, state: State, base: str, role: str) -> JSON:
    """A row of the v0 ``applications`` search: ``url`` by the numeric id, ``app_mode`` a
    number, and the caller's ``app_role``."""
    owner = state.users.get(content.owner_guid)
    return {
        "id": content.id,
        "guid": content.guid,
        "name": content.name,
        "title": content.title,
        "description": content.description,
        "url": f"{base}/content/{content.id}/",
        "owner_guid": content.owner_guid,
        "owner_username": owner.username if owner else None,
        "owner_first_name": owner.first_name if owner else None,
        "owner_last_name": owner.last_name if owner else None,
        "owner_email": owner.email if owner else None,
        "owner_locked": False,
        "access_type": content.access_type,
        "app_mode": APP_MODES.get(content.app_mode, 0),
        "app_role": role,
        "content_category": content.content_category,
        "bundle_id": content.bundle_id,
        "created_time": content.created_time,
        "last_deployed_time": content.last_deployed_time or content.created_time,
        "has_parameters": False,
        "is_scheduled": False,
    }


def permission_json(content: Content, user_guid: str, role: str) -> JSON:
    return {
        "id": f"{content.id}-{user_guid}",
        "content_guid": content.guid,
        "principal_guid": user_guid,
        "principal_type": "user",
        "role": role,
    }


# access rules ---------------------------------------------------------------------------------
def role_of(user: User | None, content: Content) -> str:
    """The caller's role on a content item: owner, editor, viewer or none."""
    if user is not None:
        if user.guid == content.owner_guid:
            return "owner"
        if user.guid in content.collaborators:
            return "editor"
        if user.guid in content.viewers or content.access_type == "logged_in":
            return "viewer"
    return "viewer" if content.access_type == "all" else "none"


def can_view(user: User | None, content: Content) -> bool:
    """May read the content's files and bundles."""
    return role_of(user, content) != "none"


def can_change(user: User, content: Content) -> bool:
    """May upload, deploy, delete or download bundles: the owner and collaborators."""
    return role_of(user, content) in ("owner", "editor")


def can_configure(user: User, content: Content) -> bool:
    """May change the settings, the permissions, or delete the content item."""
    return can_change(user, content) or user.user_role == "administrator"


def can_see(user: User | None, content: Content) -> bool:
    """Is shown the content item in listings and by guid (administrators see all)."""
    return can_view(user, content) or (user is not None and user.user_role == "administrator")
