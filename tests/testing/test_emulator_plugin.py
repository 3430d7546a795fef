"""The pytest plugin: registered as an entry point, cheap to load, fixtures that work."""

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
    assert any(p.name == "pins" and p.value == "pins.testing.pytest_plugin" for p in points)


def test_loading_the_plugin_starts_and_imports_nothing_heavy() -> None:
    code = (
        "import sys, threading, pins.testing.pytest_plugin; "
        "print(sorted(m for m in sys.modules if m.startswith(('werkzeug', 'pins.testing.conn'))),"
        " threading.active_count())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] 1"


def test_connect_server_fixture(connect_server: ConnectServer) -> None:
    for user, role in (("susan", "publisher"), ("derek", "viewer"), ("admin", "administrator")):
        headers = {"Authorization": f"Key {connect_server.api_key(user)}"}
        me = requests.get(f"{connect_server.url}/__api__/v1/user", headers=headers, timeout=10)
        assert me.json()["user_role"] == role
    assert connect_server.data_dir.is_dir()


def test_fixtures_in_a_users_test_suite(tmp_path: Path) -> None:
    """A user's own suite gets the fixtures from the entry point, with no conftest."""
    (tmp_path / "test_user_suite.py").write_text(
        textwrap.dedent(
            """
            import requests

            def test_server(connect_server):
                r = requests.get(connect_server.url + "/__ping__", timeout=10)
                assert r.json() == {}

            def test_board(connect_board):
                connect_board.pin_write({"a": 1}, "user_suite_pin")
                assert connect_board.pin_read("susan/user_suite_pin") == {"a": 1}
            """
        )
    )
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert "2 passed" in out.stdout, out.stdout
    assert out.returncode == 0, out.stdout
