"""The pytest plugin: registered as an entry point, free to load, fixtures that work and
cannot take the place of a project's own."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
from pathlib import Path

import requests

from pins.testing import ConnectServer


def test_the_plugin_is_a_pytest11_entry_point() -> None:
    points = importlib.metadata.entry_points(group="pytest11")
    assert any(p.name == "pins" and p.value == "_pins_pytest_plugin" for p in points)


def test_loading_the_plugin_imports_nothing_but_itself() -> None:
    """pytest loads the plugin in every run of every project where pins is installed: it
    imports no module besides itself (pytest is loaded already), not even pins."""
    code = (
        "import sys, threading, pytest; before = set(sys.modules); import _pins_pytest_plugin; "
        "print(sorted(set(sys.modules) - before), threading.active_count())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['_pins_pytest_plugin'] 1"


def test_the_emulator_without_its_extra_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['werkzeug'] = None\n"
        "try:\n    from pins.testing import ConnectServer\n"
        "except ImportError as exc:\n    print(exc)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 'pip install "pins[testing]"' in out.stdout


def test_connect_server_fixture(pins_connect_server: ConnectServer) -> None:
    server = pins_connect_server
    for user, role in (("susan", "publisher"), ("derek", "viewer"), ("admin", "administrator")):
        headers = {"Authorization": f"Key {server.api_key(user)}"}
        me = requests.get(f"{server.url}/__api__/v1/user", headers=headers, timeout=10)
        assert me.json()["user_role"] == role
    assert server.data_dir.is_dir()


def test_fixtures_in_a_users_test_suite(tmp_path: Path) -> None:
    """A user's own suite gets the fixtures from the entry point, with no conftest."""
    (tmp_path / "test_user_suite.py").write_text(
        textwrap.dedent(
            """
            import pytest
            import requests

            @pytest.fixture
            def connect_server():  # the project's own fixture of that name is its own
                return "the project's own"

            def test_own_fixture_untouched(connect_server):
                assert connect_server == "the project's own"

            def test_server(pins_connect_server):
                r = requests.get(pins_connect_server.url + "/__ping__", timeout=10)
                assert r.json() == {}

            def test_board(pins_connect_board):
                pins_connect_board.pin_write({"a": 1}, "user_suite_pin")
                assert pins_connect_board.pin_read("susan/user_suite_pin") == {"a": 1}
            """
        )
    )
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert "3 passed" in out.stdout, out.stdout
    assert out.returncode == 0, out.stdout
