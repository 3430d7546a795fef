"""The examples in docstrings run, against temporary boards."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pins",
    "pins._cache_store",
    "pins._frozen",
    "pins._yaml",
    "pins.boards._bundle",
    "pins.boards._finding",
    "pins.boards._layout",
    "pins.boards._reading",
    "pins.boards.base",
    "pins.boards.constructors",
    "pins.boards.deparse",
    "pins.boards.object_stores",
    "pins.cache",
    "pins.drivers",
    "pins.hashing",
    "pins.meta",
    "pins.names",
]


def test_every_public_board_method_has_raises_and_examples() -> None:
    """numpy-style Raises and Examples sections on every public method of Board (the
    examples run above, against temporary boards)."""
    import inspect

    from pins.boards.folder import FolderBoard

    names = [n for n, _ in inspect.getmembers(FolderBoard, callable) if not n.startswith("_")]
    assert {"pin_write", "pin_read", "write_board_manifest"} <= set(names)
    for name in names:
        doc = inspect.getdoc(getattr(FolderBoard, name)) or ""
        assert "\nRaises\n------\n" in doc, name
        assert "\nExamples\n--------\n" in doc, name


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name: str) -> None:
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, extraglobs={})
    assert result.attempted > 0, f"{module_name} has no examples"
    assert result.failed == 0
