"""pytest plugin of pins (entry point ``pytest11: pins``): fixtures ``connect_server`` and
``connect_board``.

It loads in every pytest run of an environment where pins is installed, so it imports nothing
heavy and starts nothing until a test asks for a fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ..boards.connect import ConnectBoard
    from .connect_server import ConnectServer

#: The users of the ``connect_server`` fixture (their keys are random; ask ``api_key(name)``).
DEFAULT_USERS = ("susan:publisher", "derek:viewer", "admin:administrator")


@pytest.fixture
def connect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConnectServer]:
    """A running Posit Connect emulator on loopback, with a fresh data folder.

    Users: ``susan`` (publisher), ``derek`` (viewer) and ``admin`` (administrator). Stopped at
    the end of the test.
    """
    from .connect_server import ConnectServer

    data_dir = tmp_path_factory.mktemp("connect-emulator")
    with ConnectServer(users=DEFAULT_USERS, data_dir=data_dir) as server:
        yield server


@pytest.fixture
def connect_board(
    connect_server: ConnectServer, tmp_path_factory: pytest.TempPathFactory
) -> ConnectBoard:
    """This package's Connect board, as ``susan``, on the ``connect_server`` emulator, with
    a cache of its own in a temporary folder."""
    from ..boards import board_connect

    return board_connect(
        server_url=connect_server.url,
        api_key=connect_server.api_key("susan"),
        cache=tmp_path_factory.mktemp("connect-board-cache"),
    )
