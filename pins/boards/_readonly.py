"""Boards that can only be read (a URL board, a GitHub repository): every write and
delete is refused with :class:`~pins.errors.PinsReadOnlyError` before anything is done."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from ..errors import PinsReadOnlyError
from ..meta import Meta

__all__ = ["ReadOnly"]


class ReadOnly:
    """A mixin, listed before :class:`~pins.boards.base.Board`, that refuses writes."""

    def _read_only_advice(self) -> str:
        """What to do instead, added to the error message."""
        return ""

    def _refuse(self, what: str) -> NoReturn:
        advice = self._read_only_advice()
        raise PinsReadOnlyError(
            f"{self!r} is read-only: it cannot {what}." + (f" {advice}" if advice else "")
        )

    def pin_write(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: the board is read-only."""
        self._refuse("write pins")

    def pin_upload(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: the board is read-only."""
        self._refuse("upload files")

    def pin_delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: the board is read-only."""
        self._refuse("delete pins")

    def pin_version_delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: the board is read-only."""
        self._refuse("delete versions")

    def pin_versions_prune(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: the board is read-only."""
        self._refuse("prune versions")

    def write_board_manifest(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused: the board is read-only."""
        self._refuse("write a manifest")

    def _store_version(self, name: str, staged: Path, version: str, meta: Meta) -> str:
        self._refuse("store versions")

    def _delete_version(self, name: str, version: str) -> None:
        self._refuse("delete versions")

    def _delete_pin(self, name: str) -> None:
        self._refuse("delete pins")
