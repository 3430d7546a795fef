"""Bundle, deploy and task endpoints.

Bundles are read (listed, fetched) by whoever may view the content, and uploaded, deployed,
deleted and downloaded by its owner and collaborators only (administrators too need to be
collaborators). Deploys answer with a cookie naming the node that runs the task, as a
high-availability Connect does: a task poll that does not send it back is answered 404
(the task is on another node).
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import shutil
import time

from werkzeug.utils import send_file
from werkzeug.wrappers import Response

from .archive import ArchiveError, ManifestError, extract_bundle, read_manifest
from .context import Ctx, Handler, int_arg, json_response
from .entities import bundle_json, can_change, can_view, task_json
from .errors import ApiError
from .routes_api import content_for
from .state import Bundle, Content, State, Task, now

CHUNK = 1 << 16
#: The cookie a deploy answer sets and task polls must send back.
TASK_COOKIE = "connect-task-node"


def parse_bundle_id(value: object) -> int:
    """A bundle id from a path or a body (string or int); code 3 when it is not numeric."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise ApiError(3, text)
    return int(text)


def find_bundle(ctx: Ctx, content: Content, bundle_id: str) -> Bundle:
    bundle = ctx.state.bundles.get(parse_bundle_id(bundle_id))
    if bundle is None or bundle.content_guid != content.guid:
        raise ApiError(4)
    return bundle


def _checksum_matches(header: str, md5: bytes) -> bool:
    header = header.strip()
    return header.lower() == md5.hex() or header == base64.b64encode(md5).decode("ascii")


def upload_bundle(ctx: Ctx, guid: str) -> Response:
    _, content = content_for(ctx, guid, can_change, 21)
    if ctx.request.content_length == 0:
        raise ApiError(125)
    scratch = ctx.state.scratch("upload-")
    try:
        archive = scratch / "bundle.tar.gz"
        md5, sha1, size = hashlib.md5(), hashlib.sha1(), 0
        with open(archive, "wb") as out:
            while chunk := ctx.request.stream.read(CHUNK):
                size += len(chunk)
                if ctx.max_bundle_size is not None and size > ctx.max_bundle_size:
                    raise ApiError(135, "the upload is larger than the size limit")
                md5.update(chunk)
                sha1.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ApiError(125)
        checksum = ctx.request.headers.get("X-Content-Checksum")
        if checksum is not None and not _checksum_matches(checksum, md5.digest()):
            raise ApiError(104)
        try:
            extract_bundle(archive, scratch / "files", ctx.max_bundle_size)
        except ArchiveError:
            raise ApiError(135) from None
        with ctx.state.lock:
            if content.guid not in ctx.state.contents:
                raise ApiError(4)
            bundle = Bundle(
                id=ctx.state.next_bundle_id,
                content_guid=content.guid,
                created_time=now(),
                size=size,
                md5=md5.hexdigest(),
                sha1=sha1.hexdigest(),
            )
            ctx.state.next_bundle_id += 1
            os.replace(archive, ctx.state.archive_path(bundle.id))
            os.replace(scratch / "files", ctx.state.files_path(bundle.id))
            ctx.state.bundles[bundle.id] = bundle
            ctx.state.save(bundle)
            return json_response(bundle_json(bundle, content))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def list_bundles(ctx: Ctx, guid: str) -> Response:
    content = content_for(ctx, guid, can_view, 19)[1]
    with ctx.state.lock:
        return json_response([bundle_json(b, content) for b in ctx.state.bundles_of(content.guid)])


def get_bundle(ctx: Ctx, guid: str, bundle_id: str) -> Response:
    content = content_for(ctx, guid, can_view, 19)[1]
    return json_response(bundle_json(find_bundle(ctx, content, bundle_id), content))


def delete_bundle(ctx: Ctx, guid: str, bundle_id: str) -> Response:
    _, content = content_for(ctx, guid, can_change, 20)
    with ctx.state.lock:
        bundle = find_bundle(ctx, content, bundle_id)
        if content.bundle_id == bundle.id:
            raise ApiError(75)
        ctx.state.remove_bundle(bundle)
    return Response(status=204)


def download_bundle(ctx: Ctx, guid: str, bundle_id: str) -> Response:
    content = content_for(ctx, guid, can_change, 19)[1]  # collaborators only
    bundle = find_bundle(ctx, content, bundle_id)
    return send_file(
        ctx.state.archive_path(bundle.id),
        ctx.request.environ,
        mimetype="application/gzip",
        as_attachment=True,
        download_name=f"bundle-{bundle.id}.tar.gz",
        conditional=True,
        max_age=None,
    )


# deploy and tasks -----------------------------------------------------------------------------
def finish_task(state: State, task: Task) -> list[Content | Bundle]:
    """Apply a deploy: read the manifest, make the bundle active (or fail and change nothing).
    Returns what changed besides the task."""
    bundle = state.bundles.get(task.bundle_id)
    content = state.contents.get(task.content_guid)
    task.finished = True
    try:
        if bundle is None or content is None:
            raise ManifestError("The bundle no longer exists.")
        if task.fail:
            raise ManifestError("Deployment failed (injected fault).")
        manifest = read_manifest(state.files_path(bundle.id))
    except ManifestError as exc:
        task.code, task.error = 1, str(exc)
        task.output.append(f"Error: {exc}")
        changed: list[Content | Bundle] = []
    else:
        content.bundle_id = bundle.id
        content.app_mode = manifest.app_mode
        content.content_category = manifest.content_category
        content.primary_html = manifest.primary_html
        content.last_deployed_time = now()
        bundle.deployed = True
        task.output.append(f"Bundle {bundle.id} deployed as {manifest.app_mode} content.")
        changed = [content, bundle]
    state.changed.notify_all()
    return changed


def deploy(ctx: Ctx, guid: str) -> Response:
    _, content = content_for(ctx, guid, can_change, 21)
    requested = ctx.json_body().get("bundle_id")
    faults = ctx.faults
    with ctx.state.lock:
        if requested is None or requested == "":
            bundles = ctx.state.bundles_of(content.guid)
            if not bundles:
                raise ApiError(28)
            bundle = bundles[-1]
        else:
            found = ctx.state.bundles.get(parse_bundle_id(requested))
            if found is None:
                raise ApiError(4)
            if found.content_guid != content.guid:
                raise ApiError(82)
            bundle = found
        task = Task(
            id=secrets.token_hex(8),
            content_guid=content.guid,
            bundle_id=bundle.id,
            output=[f"Deploying bundle {bundle.id} for content {content.guid}"],
            polls_left=max(0, faults.task_polls),
            finish_at=time.time() + max(0.0, faults.task_seconds),
            fail=faults.fail_deploys,
        )
        ctx.state.add_task(task)
        changed = []
        if task.polls_left == 0 and faults.task_seconds <= 0:
            changed = finish_task(ctx.state, task)
        ctx.state.save(task, *changed)
    response = json_response({"task_id": task.id}, status=202)
    response.set_cookie(TASK_COOKIE, ctx.state.node, path=ctx.prefix + "/", httponly=True)
    return response


def get_task(ctx: Ctx, task_id: str) -> Response:
    ctx.require_user()
    wait = int_arg(ctx, "wait", 0, 0, 20)
    state = ctx.state
    if ctx.request.cookies.get(TASK_COOKIE) != state.node:
        raise ApiError(4, f"task {task_id} is not on this node: send the {TASK_COOKIE} cookie back")
    with state.lock:
        task = state.tasks.get(task_id)
        if task is None:
            raise ApiError(4)
        if not task.finished:
            changed: list[Content | Bundle] = []
            if task.polls_left > 0:
                task.polls_left -= 1
                task.output.append(f"Still deploying ({task.polls_left} polls to go)")
            else:
                remaining = task.finish_at - time.time()
                if remaining > 0 and wait > 0:
                    state.changed.wait(min(wait, remaining))
                if time.time() >= task.finish_at and not task.finished:
                    changed = finish_task(state, task)
            state.save(task, *changed)
        first = int_arg(ctx, "first", 0, 0)
        if first > len(task.output):
            raise ApiError(13, f"first={first} is past the end ({len(task.output)} lines)")
        return json_response(task_json(task, first))


RULES: list[tuple[str, list[str], Handler]] = [
    ("/__api__/v1/content/<guid>/bundles", ["POST"], upload_bundle),
    ("/__api__/v1/content/<guid>/bundles", ["GET"], list_bundles),
    ("/__api__/v1/content/<guid>/bundles/<bundle_id>", ["GET"], get_bundle),
    ("/__api__/v1/content/<guid>/bundles/<bundle_id>", ["DELETE"], delete_bundle),
    ("/__api__/v1/content/<guid>/bundles/<bundle_id>/download", ["GET"], download_bundle),
    ("/__api__/v1/content/<guid>/deploy", ["POST"], deploy),
    ("/__api__/v1/tasks/<task_id>", ["GET"], get_task),
]
