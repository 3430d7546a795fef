from __future__ import annotations

from collections.abc import Iterator

import pytest

from pins.testing import ConnectServer

from .helpers import Api

USERS = (
    "susan:publisher",
    "ellen:publisher",
    "derek:viewer",
    "admin:administrator",
)


@pytest.fixture
def server() -> Iterator[ConnectServer]:
    with ConnectServer(users=USERS) as running:
        yield running


@pytest.fixture
def api(server: ConnectServer) -> Api:
    return Api(server, "susan")
