"""The pytest plugin of pins (entry point ``pytest11: pins``): the fixtures
``pins_connect_server`` and ``pins_connect_board``.

pytest loads it in every run of every project where pins is installed, so it is a module
of its own, outside the ``pins`` package: loading it imports nothing but pytest, which is
loaded already. pins and its Posit Connect emulator (``pins[testing]``) are imported by
the first test that asks for a fixture. The fixtures' names start with ``pins_`` so that
they never take the place of a project's own fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pins.boards.connect import ConnectBoard
    from pins.testing import ConnectServer

#: The users of ``pins_connect_server`` (their keys are random; ask ``api_key(name)``).
DEFAULT_USERS = ("susan:publisher", "derek:viewer", "admin:administrator")


@pytest.fixture
def pins_connect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConnectServer]:
    """A running Posit Connect emulator on loopback, with a fresh data folder.

    Users: ``susan`` (publisher), ``derek`` (viewer) and ``admin`` (administrator). Stopped
    at the end of the test.
    """
    from pins.testing import ConnectServer

    data_dir = tmp_path_factory.mktemp("connect-emulator")
    with ConnectServer(users=DEFAULT_USERS, data_dir=data_dir) as server:
        yield server


@pytest.fixture
def pins_connect_board(
    pins_connect_server: ConnectServer, tmp_path_factory: pytest.TempPathFactory
) -> ConnectBoard:
    """pins' Connect board, as ``susan``, on the ``pins_connect_server`` emulator, with a
    cache of its own in a temporary folder."""
    import pins

    return pins.board_connect(
        server_url=pins_connect_server.url,
        api_key=pins_connect_server.api_key("susan"),
        cache=tmp_path_factory.mktemp("connect-board-cache"),
    )
