from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pins.cli import cli

Run = Callable[..., Result]


@pytest.fixture
def board_dir(tmp_path: Path) -> Path:
    return tmp_path / "board"


@pytest.fixture
def run(board_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Run:
    """``run("list", "--json")``: the pins command in this process (click's runner), on
    a folder board given by PINS_BOARD, in a temporary working folder."""
    monkeypatch.setenv("PINS_BOARD", str(board_dir))
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke
