from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .peers import PeerUnavailable
from .pinspy import PinsPy, ensure_pinspy

pytest_plugins = ["pytester"]  # runs the README's pytest example

#: Boards written by pins-python 0.9.2 and R pins 1.1.0, and what they hold (see its README).
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_pins_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the user's real cache, data dir and credentials."""
    base = tmp_path_factory.mktemp("pins-env")
    monkeypatch.setenv("PINS_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("PINS_DATA_DIR", str(base / "data"))
    for name in ("PINS_ALLOW_PICKLE_READ", "PINS_OFFLINE", "CONNECT_SERVER", "CONNECT_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def pinspy_python() -> Path:
    """The python of a virtual environment with pins-python 0.9.2 (built once, cached)."""
    try:
        return ensure_pinspy()
    except PeerUnavailable as exc:
        pytest.skip(f"pins-python 0.9.2 unavailable: {exc}")


@pytest.fixture
def pinspy(pinspy_python: Path, tmp_path: Path) -> PinsPy:
    return PinsPy(pinspy_python, tmp_path / "pinspy-work")


@pytest.fixture
def fixture_board(tmp_path: Path) -> Iterator[callable]:  # type: ignore[valid-type]
    """Copy a fixture board (tests/fixtures, never written to) into a temporary folder."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(FIXTURES / name, dest)
        for path in dest.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        return dest

    yield copy
