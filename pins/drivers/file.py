"""The ``file`` pin type: files uploaded as they are, with ``pin_upload``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PinsTypeError, PinsUnsupportedTypeError
from ._common import BuiltinDriver

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["FileDriver"]


class FileDriver(BuiltinDriver):
    """Copy a file given by its path; reading goes through ``pin_download`` instead."""

    type = "file"
    extension = ""

    def accepts(self, obj: object) -> bool:
        """A path (``str`` or ``os.PathLike``) to an existing regular file."""
        return isinstance(obj, (str, os.PathLike)) and os.path.isfile(obj)

    def save(self, obj: object, path: Path) -> None:
        """Copy the file at ``obj`` to ``path``, byte for byte."""
        if not isinstance(obj, (str, os.PathLike)) or not os.path.isfile(obj):
            raise PinsTypeError(
                f"The pin type 'file' needs the path of an existing file, not {obj!r}."
            )
        shutil.copyfile(obj, path)

    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Refuse: a file pin has no Python object to read."""
        name = meta.name or "<name>"
        raise PinsUnsupportedTypeError(
            f"The pin {name!r} is of type 'file': it holds files, not an object to read. "
            f"Use board.pin_download({name!r}) to get the paths of its files."
        )

    def describe(self, obj: object) -> str:
        """``"a pinned file"``."""
        return "a pinned file"
