"""``pins.tests.test_rsconnect_api`` as ``test_boards.py`` imports it: the fixtures of the
emulator's users ``susan`` (her content emptied before and after each test) and
``admin``. ``fs_short``/``fs_admin`` are what a user of this package has for
pins-python's Connect filesystem: the ``fs`` of a Connect board made with the user's
key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .helpers import ConnectUser


@pytest.fixture(scope="session")
def rsc_admin() -> Iterator[ConnectUser]:
    admin = ConnectUser("admin")
    yield admin
    admin.delete_content()


@pytest.fixture
def rsc_short() -> Iterator[ConnectUser]:
    susan = ConnectUser("susan")
    susan.delete_content()
    yield susan
    susan.delete_content()


@pytest.fixture
def fs_admin(rsc_admin: ConnectUser) -> Any:
    return rsc_admin.board().fs


@pytest.fixture
def fs_short(rsc_short: ConnectUser) -> Any:
    return rsc_short.board().fs
