"""pins: publish, version and share data on boards."""

from __future__ import annotations

from . import errors
from .errors import (
    PinNotFoundError,
    PinsError,
    PinsInsecureReadError,
    PinsVersionError,
    PinVersionNotFoundError,
)
from .meta import Meta, Version

__version__ = "1.0.0.dev0"

__all__ = [
    "Meta",
    "PinNotFoundError",
    "PinVersionNotFoundError",
    "PinsError",
    "PinsInsecureReadError",
    "PinsVersionError",
    "Version",
    "errors",
]
