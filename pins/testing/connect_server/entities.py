"""One serializer per entity (POST results, GET results and list rows are the same dicts),
and the access rules."""

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


def content_url(base: str, content: Content) -> str:
    return f"{base}/content/{content.guid}/"


def content_json(content: Content, base: str) -> JSON:
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
        "role": "owner",
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


def application_json(content: Content, state: State, base: str) -> JSON:
    """A row of the v0 ``applications`` search."""
    owner = state.users.get(content.owner_guid)
    return {
        "id": content.id,
        "guid": content.guid,
        "name": content.name,
        "title": content.title,
        "description": content.description,
        "url": content_url(base, content),
        "owner_guid": content.owner_guid,
        "owner_username": owner.username if owner else None,
        "owner_first_name": owner.first_name if owner else None,
        "owner_last_name": owner.last_name if owner else None,
        "owner_email": owner.email if owner else None,
        "owner_locked": False,
        "access_type": content.access_type,
        "app_mode": content.app_mode,
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
def can_view(user: User | None, content: Content) -> bool:
    if content.access_type == "all":
        return True
    if user is None:
        return False
    if content.access_type == "logged_in" or user.user_role == "administrator":
        return True
    return user.guid == content.owner_guid or user.guid in (
        *content.collaborators,
        *content.viewers,
    )


def can_change(user: User, content: Content) -> bool:
    return (
        user.user_role == "administrator"
        or user.guid == content.owner_guid
        or user.guid in content.collaborators
    )
