"""Bundle archives: a careful extraction of gzip tars and the reading of ``manifest.json``.

The rules (CONNECT_API.md, "Archive rules"): a leading ``./`` is stripped, an empty-name root
member is ignored, a single wrapping folder is stripped when there is no top-level
``manifest.json``; absolute paths, ``..`` members, links that leave the bundle (also through a
chain of links, such as ``d/up -> ..``, ``d/up2 -> up/..``, checked once all are in place),
device files, archives that decompress to more than a limit (when one is set), more than
:data:`MAX_MEMBERS` members and paths of more than :data:`MAX_DEPTH` parts or
:data:`MAX_PATH` characters are refused.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHUNK = 1 << 16
#: Limits of an archive this server extracts.
MAX_MEMBERS = 10_000
MAX_DEPTH = 64
MAX_PATH = 1024


class ArchiveError(Exception):
    """The upload is not an archive this server extracts (Connect's code 135)."""


class ManifestError(Exception):
    """The bundle has no usable ``manifest.json``: its deploy fails."""


@dataclass(frozen=True)
class Manifest:
    """The parts of ``manifest.json`` that a deploy uses."""

    app_mode: str
    content_category: str
    primary_html: str | None


def _parts(name: str) -> list[str]:
    """The path components of a member name, refusing absolute and ``..`` names."""
    if name.startswith("/") or name.startswith("\\") or (len(name) > 1 and name[1] == ":"):
        raise ArchiveError(f"absolute member path {name!r}")
    if len(name) > MAX_PATH:
        raise ArchiveError(f"member path of {len(name)} characters (at most {MAX_PATH})")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise ArchiveError(f"member path {name!r} leaves the bundle")
    if len(parts) > MAX_DEPTH:
        raise ArchiveError(f"member path of {len(parts)} parts (at most {MAX_DEPTH})")
    return parts


def _plan(members: list[tarfile.TarInfo]) -> list[tuple[tarfile.TarInfo, list[str]]]:
    """Each member with its final path components (empty root members dropped)."""
    planned = [(member, _parts(member.name)) for member in members]
    planned = [(member, parts) for member, parts in planned if parts]
    tops = {parts[0] for _, parts in planned}
    has_manifest = any(parts == ["manifest.json"] for _, parts in planned)
    if not has_manifest and len(tops) == 1 and any(len(parts) > 1 for _, parts in planned):
        planned = [(member, parts[1:]) for member, parts in planned if len(parts) > 1]
    return planned


def _check_link(parts: list[str], target: str) -> None:
    if target.startswith("/") or not target:
        raise ArchiveError(f"link {'/'.join(parts)!r} points outside the bundle")
    resolved = posixpath.normpath(posixpath.join(*parts[:-1], target) if parts[:-1] else target)
    if resolved == ".." or resolved.startswith("../") or resolved.startswith("/"):
        raise ArchiveError(f"link {'/'.join(parts)!r} points outside the bundle")


def _inside(root: Path, path: Path) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)


def extract_bundle(archive: Path, dest: Path, max_size: int | None) -> None:
    """Extract the gzip tar ``archive`` into the new folder ``dest``.

    Raises ``ArchiveError`` (leaving ``dest`` for the caller to remove) when the archive is not a
    gzip tar or breaks a rule above.
    """
    try:
        tar = tarfile.open(archive, mode="r:gz")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveError("not a gzip tar archive") from exc
    dest.mkdir(parents=True)
    try:
        with tar:
            links = _extract_members(tar, dest, max_size)
        for link in links:  # all links are in place: a chain of them may now leave
            if not _inside(dest, link):
                raise ArchiveError(f"link {link.relative_to(dest)} points outside the bundle")
    except (tarfile.TarError, EOFError, OSError, RecursionError) as exc:
        raise ArchiveError(f"corrupt archive: {type(exc).__name__}") from None


def _members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The members of ``tar``, refusing an archive of more than MAX_MEMBERS."""
    members = []
    for member in tar:
        members.append(member)
        if len(members) > MAX_MEMBERS:
            raise ArchiveError(f"more than {MAX_MEMBERS} members")
    return members


def _extract_members(tar: tarfile.TarFile, dest: Path, max_size: int | None) -> list[Path]:
    """Extract every member; return the symbolic links made."""
    planned = _plan(_members(tar))
    links: list[Path] = []
    names: dict[str, list[str]] = {member.name: parts for member, parts in planned}
    total = 0
    for member, parts in planned:
        target = dest.joinpath(*parts)
        if not _inside(dest, target.parent):
            raise ArchiveError(f"member {member.name!r} is written through a link")
        if member.isdir():
            if target.is_symlink() or (target.exists() and not target.is_dir()):
                target.unlink()
            target.mkdir(parents=True, exist_ok=True)
            continue
        if member.isreg() or member.islnk() or member.issym():
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink() or target.is_file():
                target.unlink()
            elif target.exists():
                raise ArchiveError(f"member {member.name!r} replaces a folder")
        if member.isreg():
            total += member.size
            if max_size is not None and total > max_size:
                raise ArchiveError("the archive is larger than the size limit")
            source = tar.extractfile(member)
            if source is None:  # pragma: no cover - isreg members always have data
                raise ArchiveError(f"member {member.name!r} has no data")
            written = 0
            with source, open(target, "wb") as out:
                while chunk := source.read(CHUNK):
                    written += len(chunk)
                    if written > member.size:
                        raise ArchiveError("member data is longer than its header")
                    out.write(chunk)
        elif member.issym():
            _check_link(parts, member.linkname)
            os.symlink(member.linkname, target)
            links.append(target)
        elif member.islnk():
            linked = names.get(member.linkname)
            if linked is None:
                stripped = _parts(member.linkname)
                linked = next((p for m, p in planned if _parts(m.name) == stripped), None)
            source_path = dest.joinpath(*linked) if linked else None
            if source_path is None or not source_path.is_file() or source_path.is_symlink():
                raise ArchiveError(f"hard link {member.name!r} points outside the bundle")
            total += source_path.stat().st_size
            if max_size is not None and total > max_size:
                raise ArchiveError("the archive is larger than the size limit")
            shutil.copyfile(source_path, target)
        else:
            raise ArchiveError(f"member {member.name!r} is a device or special file")
    return links


def read_manifest(root: Path) -> Manifest:
    """Read ``root/manifest.json``; raise ``ManifestError`` when it is missing or invalid."""
    path = root / "manifest.json"
    if not path.is_file() or not _inside(root, path):
        raise ManifestError("The bundle has no manifest.json.")
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ManifestError(f"manifest.json is not valid JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise ManifestError("manifest.json is not a JSON object.")
    metadata = raw.get("metadata")
    if not isinstance(metadata, dict):
        raise ManifestError("manifest.json has no metadata object.")
    app_mode = metadata.get("appmode")
    if not isinstance(app_mode, str) or not app_mode:
        raise ManifestError("manifest.json has no metadata.appmode.")
    category = metadata.get("content_category") or ""
    primary = metadata.get("primary_html")
    if not isinstance(category, str) or not (primary is None or isinstance(primary, str)):
        raise ManifestError("manifest.json has an invalid content_category or primary_html.")
    files = raw.get("files")
    if not (files is None or isinstance(files, list | dict)):
        raise ManifestError("manifest.json files must be null, a list or an object.")
    return Manifest(app_mode=app_mode, content_category=category, primary_html=primary or None)
