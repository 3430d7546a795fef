"""A Griffe extension for this site: the reStructuredText roles of pins' docstrings
(``:func:`pins.board_url```, ``:class:`~pins.errors.PinsError```) become links.

A role naming a public object of pins becomes a cross-reference that must resolve: a
reference to an object the site does not document is a warning, and ``mkdocs build
--strict`` fails on it. A role naming a private object (a ``_`` in its path) or
another library is shown as code.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|exc|obj):`(?P<body>[^`]+)`")
_TITLED = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^>]+)>$")


class RoleLinks(griffe.Extension):
    """Rewrite the roles of every docstring once the package is loaded."""

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if obj.docstring is None or ":`" not in obj.docstring.value:
            return
        docstring = obj.docstring

        def link(match: re.Match[str]) -> str:
            return _link(match["body"], obj, loader)

        docstring.value = _ROLE.sub(link, docstring.value)


def _link(body: str, obj: griffe.Object, loader: griffe.GriffeLoader) -> str:
    titled = _TITLED.match(body)
    target = titled["target"] if titled else body
    short = target.startswith("~")
    target = target.lstrip("~")
    shown = titled["title"] if titled else (target.rsplit(".", 1)[-1] if short else target)
    path = _resolve(target, obj, loader)
    if path is None or not path.startswith("pins") or "._" in path or path.startswith("pins._"):
        return f"`{shown}`"
    return f"[`{shown}`][{path}]"


def _resolve(target: str, obj: griffe.Object, loader: griffe.GriffeLoader) -> str | None:
    candidates = [target, f"pins.{target}"]
    head, dot, rest = target.partition(".")
    with contextlib.suppress(griffe.NameResolutionError, AttributeError, KeyError):
        candidates.insert(0, obj.resolve(head) + dot + rest)  # a name in the object's scope
    if obj.parent is not None:
        candidates.append(f"{obj.parent.path}.{target}")
    for candidate in candidates:
        try:
            found = loader.modules_collection[candidate]
        except (KeyError, AttributeError, ValueError, griffe.AliasResolutionError):
            continue
        return str(found.path if not getattr(found, "is_alias", False) else candidate)
    return None
