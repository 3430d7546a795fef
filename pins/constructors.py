"""The board constructors, under the module name pins-python gives them
(``from pins.constructors import board_folder``): the names of :mod:`pins.boards`."""

from __future__ import annotations

from .boards import *  # noqa: F403
from .boards import __all__ as __all__
