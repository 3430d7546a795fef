"""The ``pins`` command: look at a board, read and write pins, tidy the cache, serve
the Connect emulator, from a shell or a CI job.

It only parses its arguments and calls the public API of :mod:`pins`; each command is
documented by ``pins COMMAND --help``.
"""

from __future__ import annotations

from . import cache_commands, pin_commands, write_commands  # noqa: F401 - they add commands
from .app import cli, main

__all__ = ["cli", "main"]
