"""A Posit Connect emulator: ``ConnectServer`` serves the API subset in CONNECT_API.md.

It shares no code with the pins client, on purpose: a bug shared by both would hide itself.
"""

from __future__ import annotations

try:
    import werkzeug  # noqa: F401 - the emulator's one dependency, an extra of pins
except ImportError as exc:  # pragma: no cover - depends on what is installed
    raise ImportError(
        'The Posit Connect emulator (pins.testing) needs werkzeug: pip install "pins[testing]".'
    ) from exc

from .app import ConnectApp, RequestRecord
from .faults import Faults
from .server import ConnectServer, UserSpec
from .settings import Settings

__all__ = ["ConnectApp", "ConnectServer", "Faults", "RequestRecord", "Settings", "UserSpec"]
