"""A Posit Connect bundle that holds a pin version (or a 0.1 "pin", :mod:`pins.legacy`),
and Connect's rule for content names: the one home of both, for the Connect board and the
0.1 API.

A bundle is a gzip tar with ``data.txt``, the data files, an ``index.html`` and a static
``manifest.json`` at its root; the manifest lists every other file with its MD5
checksum, as R pins and Connect's own publishers write it.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import tarfile
from collections.abc import Mapping
from pathlib import Path

from ..meta import Meta
from ..names import META_FILE, format_created

__all__ = [
    "CONTENT_NAME",
    "MANIFEST",
    "content_name_problem",
    "manifest",
    "md5",
    "index_html",
    "write_archive",
    "write_bundle",
]

MANIFEST = {
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
    "files": {},
    "users": None,
}

#: Connect's rule for a content name, in words.
CONTENT_NAME = "3 to 64 letters, digits, '-' or '_'"
_CONTENT_NAME = re.compile(r"^[A-Za-z0-9_-]{3,64}$")


def content_name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a Connect content name, or None when it can.

    >>> content_name_problem("ab")
    "a Posit Connect content name has 3 to 64 letters, digits, '-' or '_'"
    """
    if isinstance(name, str) and _CONTENT_NAME.match(name):
        return None
    return f"a Posit Connect content name has {CONTENT_NAME}"


def md5(member: Path | bytes) -> str:
    """The hex MD5 of a file or of bytes (Connect's checksum of bundles and their files)."""
    digest = hashlib.md5(usedforsecurity=False)
    if isinstance(member, bytes):
        digest.update(member)
    else:
        with open(member, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def manifest(members: Mapping[str, Path | bytes]) -> bytes:
    """The ``manifest.json`` of a static pin bundle holding ``members``."""
    files = {name: {"checksum": md5(member)} for name, member in members.items()}
    return json.dumps({**MANIFEST, "files": files}, indent=2).encode("utf-8")


#: Extensions of files that are compressed already. A bundle of only such files is a gzip
#: stream of stored (level 0) blocks, written at disk speed; any other takes level 1.
#: Measured on a 1,000,000-row frame: parquet shrinks 12% at level 1 and 13% at level 9,
#: at 33 and 11 MB/s, against 1,000 MB/s stored; csv shrinks 55% at level 1 (84 MB/s) and
#: 60% at level 9 (8 MB/s), the level tarfile uses by default.
COMPRESSED = frozenset(
    {".parquet", ".arrow", ".feather", ".rds", ".qs", ".gz", ".tgz", ".zip", ".bz2", ".xz",
     ".zst", ".7z", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp4"}
)  # fmt: skip


def write_archive(
    archive: Path, members: Mapping[str, Path | bytes], page: str, *, level: int = 1
) -> None:
    """A bundle: ``members`` (a file to copy, or bytes) then ``index.html`` (``page``) and
    ``manifest.json`` (listing the others with their MD5), each at the root of a gzip tar
    (of gzip ``level``), written as it streams."""
    blobs: dict[str, Path | bytes] = {**members, "index.html": page.encode("utf-8")}
    blobs["manifest.json"] = manifest(blobs)
    with tarfile.open(archive, "w:gz", compresslevel=level) as tar:
        for name, member in blobs.items():
            if isinstance(member, Path):
                tar.add(member, arcname=name)
                continue
            info = tarfile.TarInfo(name)
            info.size = len(member)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(member))


def write_bundle(staged: Path, meta: Meta, name: str, archive: Path) -> None:
    """The bundle of a staged pin version: its data.txt and data files."""
    members = {f: staged / f for f in [META_FILE, *meta.file_names]}
    level = 0 if all(Path(f).suffix.lower() in COMPRESSED for f in meta.file_names) else 1
    write_archive(archive, members, index_html(meta, name), level=level)


def index_html(meta: Meta, name: str) -> str:
    esc = html.escape
    files = "".join(f'<li><a href="{esc(f)}">{esc(f)}</a></li>' for f in meta.file_names)
    created = format_created(meta.created) if meta.created is not None else ""
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>{esc(meta.title or name)}</title></head><body>\n"
        f"<h1>{esc(meta.title or name)}</h1>\n"
        f"<p>{esc(meta.description or '')}</p>\n"
        f"<p>Pin <code>{esc(name)}</code>, type <code>{esc(meta.type)}</code>, "
        f"created {esc(created)}, hash <code>{esc(meta.pin_hash)}</code>.</p>\n"
        f'<ul><li><a href="data.txt">data.txt</a></li>{files}</ul>\n'
        "<p>Read it with pins: <code>board.pin_read(&quot;"
        f"{esc(name)}&quot;)</code></p>\n</body></html>\n"
    )
