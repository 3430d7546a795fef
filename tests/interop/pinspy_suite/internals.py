"""Stand-ins for the pins-python internals that its test modules import at their top.

A module whose top-level import fails is not collected at all, which would hide every
test in it, also those that never touch the internal. So, in the suite's subprocess
only, each internal name this package does not have is put in place as a stand-in:

- ``pins.utils.fs_protocol``, the tests' way of asking which backend a board is on: it
  reads the protocol of ``board.fs``, as pins-python's does.
- the others (:data:`PLACEHOLDERS`) refuse to be used: calling them raises
  :class:`PinsPythonInternal`, so a test that needs one fails, with that reason.
- ``importlib_resources.files("pins")``, with which a test finds the example boards
  that ship inside pins-python's package, answers with the folder where the harness
  copied them (``PINS_PINSPY_SUITE_DATA``); other packages are importlib's answer.

A name this package has is never replaced.
"""

from __future__ import annotations

import importlib
import importlib.resources
import os
import sys
import types
from pathlib import Path
from typing import Any

#: Internals with no stand-in that works: (module, name).
PLACEHOLDERS = (("pins.meta", "MetaRaw"),)


class PinsPythonInternal(Exception):
    """The test used a part of pins-python's implementation that pins does not have."""


def fs_protocol(fs: Any) -> Any:
    """The protocol of an fsspec filesystem, or of the one a caching filesystem wraps."""
    return getattr(fs, "fs", fs).protocol


def _placeholder(module: str, name: str) -> type:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise PinsPythonInternal(f"{module}.{name} is internal to pins-python")

    return type(name, (), {"__init__": refuse, "__module__": module})


def files(anchor: Any) -> Any:
    """``importlib_resources.files``: pins-python's data files for ``pins``."""
    name = anchor if isinstance(anchor, str) else getattr(anchor, "__name__", "")
    if name == "pins":
        return Path(os.environ["PINS_PINSPY_SUITE_DATA"])
    return importlib.resources.files(anchor)


def install() -> None:
    """Put the stand-ins in place (in the suite's subprocess only)."""
    try:
        importlib.import_module("pins.utils")
    except ImportError:
        utils = types.ModuleType("pins.utils", "pins-python's helpers the tests use.")
        utils.fs_protocol = fs_protocol  # type: ignore[attr-defined]
        sys.modules["pins.utils"] = utils
    for module_name, name in PLACEHOLDERS:
        module = importlib.import_module(module_name)
        if not hasattr(module, name):
            setattr(module, name, _placeholder(module_name, name))
    resources = types.ModuleType("importlib_resources", "files() for pins-python's data.")
    resources.files = files  # type: ignore[attr-defined]
    sys.modules["importlib_resources"] = resources
