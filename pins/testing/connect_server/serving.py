"""Content URLs: the files of a content item's active bundle and of ``_rev<id>`` bundles."""

from __future__ import annotations

import mimetypes
import os
import uuid
from pathlib import Path

from werkzeug.utils import redirect, send_file
from werkzeug.wrappers import Response

from .context import Ctx
from .entities import can_view
from .errors import ApiError
from .state import Bundle, Content, User

TYPES = {
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".json": "application/json",
    ".yaml": "text/yaml",
    ".yml": "text/yaml",
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".md": "text/markdown",
    ".parquet": "application/vnd.apache.parquet",
    ".arrow": "application/vnd.apache.arrow.file",
    ".feather": "application/vnd.apache.arrow.file",
}
TEXT_TYPES = ("application/json", "application/javascript", "application/xml")


def content_type(name: str) -> str:
    """The Content-Type by file extension, with ``charset=utf-8`` for text."""
    suffix = os.path.splitext(name)[1].lower()
    mimetype = TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if mimetype.startswith("text/") or mimetype in TEXT_TYPES:
        return f"{mimetype}; charset=utf-8"
    return mimetype


def _caller(ctx: Ctx, content: Content) -> User | None:
    """Check the access rules of a content URL; the same key header as the API authorises."""
    if content.access_type == "all":
        try:
            return ctx.user()
        except ApiError:
            return None
    user = ctx.require_user()
    if not can_view(user, content):
        raise ApiError(19)
    return user


def _redirect_with_slash(ctx: Ctx, path: str) -> Response:
    query = ctx.request.query_string.decode("latin-1")
    return redirect(f"{ctx.base}{path}/" + (f"?{query}" if query else ""), code=302)


def _inside(root: Path, path: Path) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)


def serve_content(ctx: Ctx, path: str) -> Response:
    parts = path.split("/")[2:]  # after "", "content"
    if not parts or not parts[0]:
        raise ApiError(2)
    try:
        guid = str(uuid.UUID(parts[0]))
    except ValueError:
        raise ApiError(4) from None
    state = ctx.state
    with state.lock:
        content = state.contents.get(guid)
        if content is None:
            raise ApiError(4)
        if len(parts) == 1:
            return _redirect_with_slash(ctx, path)
        _caller(ctx, content)
        rest = parts[1:]
        bundle: Bundle | None
        if rest[0].startswith("_rev"):
            number = rest[0][4:]
            found = state.bundles.get(int(number)) if number.isdigit() else None
            ok = found is not None and found.content_guid == guid and found.deployed
            bundle = found if ok else None
            if bundle is not None and len(rest) == 1:
                return _redirect_with_slash(ctx, path)
            rest = rest[1:]
        else:
            bundle = state.bundles.get(content.bundle_id) if content.bundle_id else None
        if bundle is None:
            raise ApiError(4)
        root = state.files_path(bundle.id)
        index = content.primary_html if bundle.id == content.bundle_id else None
    if ".." in rest:
        raise ApiError(4)
    target = root.joinpath(*[p for p in rest if p])
    if not _inside(root, target):
        raise ApiError(4)
    if target.is_dir():
        if rest and rest[-1] and target != root:
            return _redirect_with_slash(ctx, path)
        target = target / (index if target == root and index else "index.html")
    if not target.is_file() or not _inside(root, target):
        raise ApiError(4)
    response = send_file(
        target,
        ctx.request.environ,
        mimetype=content_type(target.name),
        conditional=True,
        etag=True,
        max_age=None,
    )
    response.headers["Content-Type"] = content_type(target.name)
    response.headers["Cache-Control"] = "no-cache"
    for header in ("Content-Disposition", "Date"):  # the server adds its own Date
        response.headers.pop(header, None)
    return response
