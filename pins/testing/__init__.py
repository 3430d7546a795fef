"""Testing helpers shipped with pins: a Posit Connect emulator and a pytest plugin.

``from pins.testing import ConnectServer`` (imported on first use, so that the pytest plugin,
which loads in every pytest run, stays cheap).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .connect_server import ConnectServer, Faults, RequestRecord, UserSpec

__all__ = ["ConnectServer", "Faults", "RequestRecord", "UserSpec"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import connect_server

        return getattr(connect_server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
