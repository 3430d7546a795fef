"""Testing helpers shipped with pins: a Posit Connect emulator and the board contract
(:mod:`pins.testing.contract`).

``from pins.testing import ConnectServer`` imports the emulator on first use; it needs the
``testing`` extra (``pip install "pins[testing]"``, which brings werkzeug). The pytest
plugin that pins registers (fixtures ``pins_connect_server`` and ``pins_connect_board``) is
the top-level module ``_pins_pytest_plugin``, which imports nothing, not even pins, until
a test asks for one of its fixtures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .connect_server import ConnectServer, Faults, RequestRecord, Settings, UserSpec

__all__ = ["ConnectServer", "Faults", "RequestRecord", "Settings", "UserSpec"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import connect_server

        return getattr(connect_server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
