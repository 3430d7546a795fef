"""Server, user, content, permission and v0 search endpoints."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from urllib.parse import unquote

from werkzeug.wrappers import Response

from .context import Ctx, Handler, int_arg, json_response
from .entities import (
    JSON,
    application_json,
    can_configure,
    can_see,
    content_json,
    owner_json,
    permission_json,
    role_of,
    user_json,
)
from .errors import ApiError
from .state import ACCESS_TYPES, Content, User

NAME_RULE = re.compile(r"[A-Za-z0-9_-]{3,64}")
SERVER_VERSION = "2024.08.0"


def parse_guid(value: str) -> str:
    """A canonical UUID string, or code 3 for a malformed one."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ApiError(3, value) from None


def find_content(ctx: Ctx, guid: str) -> Content:
    content = ctx.state.contents.get(parse_guid(guid))
    if content is None:
        raise ApiError(4)
    return content


def content_for(
    ctx: Ctx, guid: str, allowed: Callable[[User, Content], bool], code: int
) -> tuple[User, Content]:
    """The caller and the content ``guid``, when ``allowed(caller, content)`` (an access rule
    of :mod:`.entities`); Connect's error ``code`` otherwise."""
    user = ctx.require_user()
    content = find_content(ctx, guid)
    if not allowed(user, content):
        raise ApiError(code)
    return user, content


def with_owner(ctx: Ctx, row: JSON, content: Content) -> JSON:
    """``row`` with ``owner`` added when the request asks ``include=owner``."""
    include = ",".join(ctx.request.args.getlist("include")).split(",")
    if "owner" in (part.strip() for part in include):
        row["owner"] = owner_json(ctx.state.users.get(content.owner_guid))
    return row


# server and users -----------------------------------------------------------------------------
def server_settings(ctx: Ctx) -> Response:
    return json_response(
        {
            "version": SERVER_VERSION,
            "hostname": "connect-emulator",
            "build": "pins.testing",
            "authentication": {"name": "API keys", "handles_credentials": True},
            "license": {"expiration": None, "tier": "emulator"},
        }
    )


def current_user(ctx: Ctx) -> Response:
    return json_response(user_json(ctx.require_user()))


def _similarity(user: User, prefix: str) -> tuple[int, int, str]:
    """How well a user matches a prefix search: the exact username first, then usernames
    that start with it (shorter first), then first or last names."""
    name = user.username.lower()
    rank = 0 if name == prefix else 1 if name.startswith(prefix) else 2
    return (rank, len(name), name)


def list_users(ctx: Ctx) -> Response:
    """Users; with ``prefix``, only the first page, sorted by similarity (Connect's
    documented behaviour); a viewer sees only itself under ViewersCanOnlySeeThemselves."""
    caller = ctx.require_user()
    prefix = ctx.request.args.get("prefix", "").lower()
    page = int_arg(ctx, "page_number", 1, 1)
    size = int_arg(ctx, "page_size", 20, 1, 500)
    with ctx.state.lock:
        users = list(ctx.state.users.values())
        if ctx.settings.viewers_can_only_see_themselves and caller.user_role == "viewer":
            users = [caller]
        if prefix:
            users = [
                u
                for u in users
                if any(
                    n.lower().startswith(prefix) for n in (u.username, u.first_name, u.last_name)
                )
            ]
            users.sort(key=lambda u: _similarity(u, prefix))
            users = users[:size] if page == 1 else []
            rows = [user_json(u) for u in users]
            return json_response({"results": rows, "current_page": page, "total": len(rows)})
        users.sort(key=lambda u: (u.first_name.lower(), u.last_name.lower(), u.username.lower()))
        rows = [user_json(u) for u in users[(page - 1) * size : page * size]]
    return json_response({"results": rows, "current_page": page, "total": len(users)})


def get_user(ctx: Ctx, guid: str) -> Response:
    ctx.require_user()
    user = ctx.state.users.get(parse_guid(guid))
    if user is None:
        raise ApiError(4)
    return json_response(user_json(user))


# content --------------------------------------------------------------------------------------
def _check_name(ctx: Ctx, name: object, owner_guid: str, guid: str | None = None) -> str:
    if not isinstance(name, str) or NAME_RULE.fullmatch(name) is None:
        raise ApiError(5)
    for other in ctx.state.contents.values():
        if other.owner_guid == owner_guid and other.name == name and other.guid != guid:
            raise ApiError(26)
    return name


def _check_access(value: object) -> str:
    if value not in ACCESS_TYPES:
        raise ApiError(117)
    return str(value)


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise ApiError(3, f"{field} must be a string")
    return value


def list_content(ctx: Ctx) -> Response:
    user = ctx.require_user()
    name = ctx.request.args.get("name")
    owner = ctx.request.args.get("owner_guid")
    with ctx.state.lock:
        rows = [
            with_owner(ctx, content_json(c, ctx.base, role_of(user, c)), c)
            for c in sorted(ctx.state.contents.values(), key=lambda c: c.id)
            if (name is None or c.name == name)
            and (owner is None or c.owner_guid == owner)
            and can_see(user, c)
        ]
    return json_response(rows)


def create_content(ctx: Ctx) -> Response:
    from .state import now

    user = ctx.require_user()
    if user.user_role == "viewer":
        raise ApiError(22)
    body = ctx.json_body()
    with ctx.state.lock:
        name = _check_name(ctx, body.get("name"), user.guid)
        access = _check_access(body.get("access_type") or "acl")
        title = body.get("title")
        content = Content(
            guid=str(uuid.uuid4()),
            id=ctx.state.next_content_id,
            name=name,
            title=None if title is None else _text(title, "title"),
            description=_text(body.get("description") or "", "description"),
            access_type=access,
            owner_guid=user.guid,
            created_time=now(),
        )
        ctx.state.next_content_id += 1
        ctx.state.contents[content.guid] = content
        ctx.state.save(content)
        return json_response(content_json(content, ctx.base, "owner"))


def get_content(ctx: Ctx, guid: str) -> Response:
    user, content = content_for(ctx, guid, can_see, 19)
    return json_response(
        with_owner(ctx, content_json(content, ctx.base, role_of(user, content)), content)
    )


def patch_content(ctx: Ctx, guid: str) -> Response:
    user, content = content_for(ctx, guid, can_configure, 21)
    body = ctx.json_body()
    with ctx.state.lock:
        name = content.name
        if "name" in body:
            name = _check_name(ctx, body["name"], content.owner_guid, content.guid)
        access = _check_access(body.get("access_type") or content.access_type)
        title = body.get("title", content.title)
        description = body.get("description", content.description)
        content.title = None if title is None else _text(title, "title")
        content.description = _text(description or "", "description")
        content.name = name
        content.access_type = access
        ctx.state.save(content)
        return json_response(content_json(content, ctx.base, role_of(user, content)))


def delete_content(ctx: Ctx, guid: str) -> Response:
    _, content = content_for(ctx, guid, can_configure, 20)
    ctx.state.remove_content(content)
    return Response(status=204)


# permissions (owners share content with collaborators and viewers) ----------------------------
def list_permissions(ctx: Ctx, guid: str) -> Response:
    _, content = content_for(ctx, guid, can_see, 19)
    rows = [permission_json(content, g, "owner") for g in content.collaborators]
    rows += [permission_json(content, g, "viewer") for g in content.viewers]
    return json_response(rows)


def add_permission(ctx: Ctx, guid: str) -> Response:
    _, content = content_for(ctx, guid, can_configure, 21)
    body = ctx.json_body()
    principal = parse_guid(str(body.get("principal_guid", "")))
    role = body.get("role")
    if principal not in ctx.state.users:
        raise ApiError(4)
    if role not in ("owner", "viewer") or body.get("principal_type", "user") != "user":
        raise ApiError(3, f"role {role!r}")
    with ctx.state.lock:
        for group in (content.collaborators, content.viewers):
            if principal in group:
                group.remove(principal)
        (content.collaborators if role == "owner" else content.viewers).append(principal)
        ctx.state.save(content)
    return json_response(permission_json(content, principal, str(role)))


def delete_permission(ctx: Ctx, guid: str, permission_id: str) -> Response:
    _, content = content_for(ctx, guid, can_configure, 21)
    with ctx.state.lock:
        for group in (content.collaborators, content.viewers):
            for principal in group:
                if permission_id == f"{content.id}-{principal}":
                    group.remove(principal)
                    ctx.state.save(content)
                    return Response(status=204)
    raise ApiError(4)


# v0 search ------------------------------------------------------------------------------------
def _filters(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for raw in values:
        for part in re.split(r"[&,]", unquote(raw)):
            key, sep, value = part.partition(":")
            if sep:
                pairs.append((key.strip(), value.strip()))
    return pairs


def _keep(content: Content, owner: User | None, key: str, value: str) -> bool:
    if key == "content_type":
        return content.content_category == value
    if key == "account_id" and owner is not None:
        return value in (owner.guid, owner.username)
    return True


def applications(ctx: Ctx) -> Response:
    """The v0 search: ``count`` 1 to 1000 (R and pins-python ask 1000), ``start`` from 0."""
    user = ctx.user()
    filters = _filters(ctx.request.args.getlist("filter"))
    search = ctx.request.args.get("search", "").lower()
    start = int_arg(ctx, "start", 0, 0)
    count = int_arg(ctx, "count", 1000, 1, 1000)
    with ctx.state.lock:
        rows: list[JSON] = []
        for content in sorted(ctx.state.contents.values(), key=lambda c: c.id):
            owner = ctx.state.users.get(content.owner_guid)
            if not can_see(user, content):
                continue
            if not all(_keep(content, owner, key, value) for key, value in filters):
                continue
            if search and search not in content.name.lower() + "\0" + (content.title or "").lower():
                continue
            rows.append(application_json(content, ctx.state, ctx.base, role_of(user, content)))
    page = rows[start : start + count]
    return json_response(
        {
            "applications": page,
            "count": len(page),
            "total": len(rows),
            "continuation": start + len(page),
        }
    )


RULES: list[tuple[str, list[str], Handler]] = [
    ("/__api__/server_settings", ["GET"], server_settings),
    ("/__api__/v1/user", ["GET"], current_user),
    ("/__api__/users/current", ["GET"], current_user),
    ("/__api__/me", ["GET"], current_user),
    ("/__api__/v1/users", ["GET"], list_users),
    ("/__api__/v1/users/<guid>", ["GET"], get_user),
    ("/__api__/v1/content", ["GET"], list_content),
    ("/__api__/v1/content", ["POST"], create_content),
    ("/__api__/v1/content/<guid>", ["GET"], get_content),
    ("/__api__/v1/content/<guid>", ["PATCH"], patch_content),
    ("/__api__/v1/content/<guid>", ["DELETE"], delete_content),
    ("/__api__/v1/content/<guid>/permissions", ["GET"], list_permissions),
    ("/__api__/v1/content/<guid>/permissions", ["POST"], add_permission),
    ("/__api__/v1/content/<guid>/permissions/<permission_id>", ["DELETE"], delete_permission),
    ("/__api__/applications", ["GET"], applications),
]
