"""The layout of a Posit Connect bundle that holds a pin version: a gzip tar with
``data.txt``, the data files, an ``index.html`` and a static ``manifest.json``."""

from __future__ import annotations

import html
import io
import json
import tarfile
from pathlib import Path

from ..meta import Meta

__all__ = ["MANIFEST", "index_html", "write_bundle"]

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
    "files": None,
    "users": None,
}


def write_bundle(staged: Path, meta: Meta, name: str, archive: Path) -> None:
    """A gzip tar with data.txt, the data files, index.html and manifest.json at its root."""
    with tarfile.open(archive, "w:gz") as tar:
        for file_name in ["data.txt", *meta.file_names]:
            tar.add(staged / file_name, arcname=file_name)
        for file_name, text in (
            ("index.html", index_html(meta, name)),
            ("manifest.json", json.dumps(MANIFEST, indent=2)),
        ):
            data = text.encode("utf-8")
            info = tarfile.TarInfo(file_name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))


def index_html(meta: Meta, name: str) -> str:
    esc = html.escape
    files = "".join(f'<li><a href="{esc(f)}">{esc(f)}</a></li>' for f in meta.file_names)
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>{esc(meta.title or name)}</title></head><body>\n"
        f"<h1>{esc(meta.title or name)}</h1>\n"
        f"<p>{esc(meta.description or '')}</p>\n"
        f"<p>Pin <code>{esc(name)}</code>, type <code>{esc(meta.type)}</code>, "
        f"created {esc(meta.created)}, hash <code>{esc(meta.pin_hash)}</code>.</p>\n"
        f'<ul><li><a href="data.txt">data.txt</a></li>{files}</ul>\n'
        "<p>Read it with pins: <code>board.pin_read(&quot;"
        f"{esc(name)}&quot;)</code></p>\n</body></html>\n"
    )
