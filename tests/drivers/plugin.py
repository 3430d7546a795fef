"""A third-party driver, as a plugin package would ship it (used by the registry tests)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pins.drivers.base import Driver
from pins.meta import Meta


class TextDriver(Driver):
    """Pins a ``str`` as a UTF-8 text file."""

    type = "text"
    extension = "txt"

    def accepts(self, obj: object) -> bool:
        return isinstance(obj, str)

    def save(self, obj: object, path: Path) -> None:
        path.write_text(str(obj), encoding="utf-8")

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        return paths[0].read_text(encoding="utf-8")


class NotADriver:
    """Something an entry point might wrongly name."""
