"""A Posit Connect emulator: ``ConnectServer`` serves the API subset in CONNECT_API.md.

It shares no code with the pins client, on purpose: a bug shared by both would hide itself.
"""

from __future__ import annotations

from .app import ConnectApp, RequestRecord
from .faults import Faults
from .server import ConnectServer, UserSpec

__all__ = ["ConnectApp", "ConnectServer", "Faults", "RequestRecord", "UserSpec"]
