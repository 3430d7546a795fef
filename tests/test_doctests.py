"""The examples in docstrings run, against temporary boards."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pins",
    "pins.boards.constructors",
    "pins.boards.deparse",
    "pins.drivers",
    "pins.hashing",
    "pins.meta",
    "pins.names",
]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name: str) -> None:
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{module_name} has no examples"
    assert result.failed == 0
