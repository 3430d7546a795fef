"""Boards that can only be read (a URL board, a GitHub repository).

:class:`~pins.boards.base.Board` refuses every public write and delete of a board whose
``read_only`` is true, before anything is done; this mixin declares it, and refuses the
storage primitives too, so that no path reaches the storage.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ..meta import Meta
from .base import Board

__all__ = ["ReadOnly"]


class ReadOnly(Board):
    """A board that cannot be written; listed before the storage's board class."""

    read_only: ClassVar[bool] = True

    def _store_version(self, name: str, staged: Path, version: str, meta: Meta) -> str:
        self._check_writable("store versions")
        raise AssertionError("unreachable: the board is read-only")

    def _delete_version(self, name: str, version: str) -> None:
        self._check_writable("delete versions")

    def _delete_pin(self, name: str) -> None:
        self._check_writable("delete pins")
