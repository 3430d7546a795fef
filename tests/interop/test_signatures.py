"""Signature parity with pins-python 0.9.2: every public name a pins-python script can
call is here, takes every parameter name pins-python's takes, in the same positional
order, unless the difference is listed (with its reason) in ``pinspy_api_differences``.

pins-python's signatures are read with ``inspect`` in its own virtual environment:
``pins.*`` functions, every public method of its board classes (``BaseBoard``, the
Connect board, the URL board), ``Meta``'s constructor, methods and attributes, and its
error classes.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import pins
from pins.boards.connect import ConnectBoard
from pins.boards.url import UrlBoard

from ..pinspy import PinsPy
from .pinspy_api_differences import DIFFERENCES

pytestmark = pytest.mark.interop

INTROSPECT = """
import dataclasses, inspect, json
import pins
from pins import boards, errors, meta

def params(f):
    out = [[p.name, p.kind.name] for p in inspect.signature(f).parameters.values()]
    return out[1:] if out and out[0][0] in ("self", "cls") else out

found = {}
for name in dir(pins):
    obj = getattr(pins, name)
    if not name.startswith("_") and inspect.isfunction(obj):
        found["pins." + name] = params(obj)
for label, cls in (("Board", boards.BaseBoard), ("ConnectBoard", boards.BoardRsConnect),
                   ("UrlBoard", boards.BoardManual)):
    for name, member in inspect.getmembers(cls):  # decorated methods are not functions
        if not name.startswith("_") and callable(member) and not isinstance(member, type):
            found[label + "." + name] = params(member)
found["Meta"] = params(meta.Meta)
for name, member in inspect.getmembers(meta.Meta):
    if name.startswith("_"):
        continue
    if callable(member) and not isinstance(member, type):
        found["Meta." + name] = params(member)
attributes = sorted({f.name for f in dataclasses.fields(meta.Meta)} | {
    n for n in dir(meta.Meta) if not n.startswith("_")})
errors_ = sorted(n for n in dir(errors) if n.endswith("Error"))
print(json.dumps({"signatures": found, "meta_attributes": attributes, "errors": errors_}))
"""

#: pins-python methods that take ``*args, **kwargs`` and hand them to the base method.
_POSITIONAL = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")


def _ours(target: str) -> Any:
    """Our object for a pins-python target name, or None when we have none."""
    owner, _, name = target.rpartition(".")
    holder: Any = {
        "pins": pins,
        "Board": pins.Board,
        "ConnectBoard": ConnectBoard,
        "UrlBoard": UrlBoard,
        "Meta": pins.Meta,
        "": pins,
    }[owner]
    if target == "Meta":
        return pins.Meta
    return getattr(holder, name, None)


def _their_params(target: str, signatures: dict[str, list[list[str]]]) -> list[list[str]]:
    """pins-python's parameters, with ``*args, **kwargs`` that forward to the base method
    (or ``board_urls`` to ``board_url``) replaced by the parameters they forward to."""
    theirs = signatures[target]
    kinds = {kind for _, kind in theirs}
    if "VAR_POSITIONAL" not in kinds:
        return theirs
    base = "pins.board_url" if target == "pins.board_urls" else "Board." + target.split(".")[-1]
    if base == target or base not in signatures:
        return theirs
    forwarded = signatures[base]  # positional arguments reach the base method by place
    known = {name for name, _ in forwarded}
    return forwarded + [p for p in theirs if p[1] == "KEYWORD_ONLY" and p[0] not in known]


def _differences(target: str, theirs: list[list[str]], ours: Any) -> list[tuple[str, str]]:
    """(target, parameter) for each way ours does not take a call theirs takes."""
    if ours is None:
        return [(target, "*")]
    mine = list(inspect.signature(ours).parameters.values())
    if mine and mine[0].name in ("self", "cls"):
        mine = mine[1:]
    positional = [p.name for p in mine if p.kind.name in _POSITIONAL]
    by_name = {p.name for p in mine if p.kind.name in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY")}
    var_positional = any(p.kind.name == "VAR_POSITIONAL" for p in mine)
    var_keyword = any(p.kind.name == "VAR_KEYWORD" for p in mine)
    takes_anything = var_positional and var_keyword
    found = []
    their_positional = [name for name, kind in theirs if kind in _POSITIONAL]
    for slot, name in enumerate(their_positional):
        same_place = slot < len(positional) and positional[slot] == name
        if not same_place and not takes_anything:
            found.append((target, name))
    for name, kind in theirs:
        if kind.startswith("VAR_") or (target, name) in found:
            continue
        if kind != "POSITIONAL_ONLY" and name not in by_name and not var_keyword:
            found.append((target, name))
    return found


def test_signatures_match_pinspy(pinspy: PinsPy) -> None:
    report = pinspy.run(INTROSPECT)
    signatures: dict[str, list[list[str]]] = report["signatures"]
    for target in ("pins.board_connect", "Board.pin_write", "ConnectBoard.pin_write", "Meta"):
        assert target in signatures, target
    assert ["access_type", "KEYWORD_ONLY"] in signatures["ConnectBoard.pin_write"]

    found: set[tuple[str, str]] = set()
    for target in sorted(signatures):
        theirs = _their_params(target, signatures)
        found.update(_differences(target, theirs, _ours(target)))
    for attribute in report["meta_attributes"]:
        if not hasattr(pins.Meta, attribute) and attribute not in pins.Meta.__dataclass_fields__:
            found.add(("Meta", attribute))
    for error in report["errors"]:
        if not hasattr(pins.errors, error):
            found.add(("pins.errors", error))

    unlisted = sorted(found - set(DIFFERENCES))
    assert not unlisted, f"differences from pins-python that are not listed: {unlisted}"
    stale = sorted(set(DIFFERENCES) - found)
    assert not stale, f"listed differences that are no longer differences: {stale}"
    assert all(len(reason) > 40 for reason in DIFFERENCES.values())


def test_the_checker_finds_differences() -> None:
    """The comparison itself: a missing name, a moved parameter and a missing target."""

    def moved(a: int, c: int, b: int = 0) -> None: ...

    def catch_all(*args: Any, **kwargs: Any) -> None: ...

    def key_second(a: int, *args: Any, b: int = 0, c: int = 0) -> None: ...

    theirs = [["a", "POSITIONAL_OR_KEYWORD"], ["b", "POSITIONAL_OR_KEYWORD"]]
    assert _differences("f", theirs, moved) == [("f", "b")]
    assert _differences("f", [*theirs, ["d", "KEYWORD_ONLY"]], moved) == [("f", "b"), ("f", "d")]
    assert _differences("f", theirs, catch_all) == []
    assert _differences("f", theirs, key_second) == [("f", "b")]
    assert _differences("f", theirs, None) == [("f", "*")]
    assert _differences("f", theirs, lambda a, b, c=1: None) == []
