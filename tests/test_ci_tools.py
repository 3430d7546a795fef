"""The tools ``.ci/run`` makes sure of before the tests: tmux, for the test of progress bars
in a real terminal (``.ci/ensure-tmux``), which then fails rather than skips without it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .test_progress_terminal import tmux_or_skip

ROOT = Path(__file__).resolve().parents[1]
ENSURE = ROOT / ".ci" / "ensure-tmux"
BASH = shutil.which("bash")


def _ensure(path: str) -> subprocess.CompletedProcess[str]:
    assert BASH is not None
    env = {k: v for k, v in os.environ.items() if k != "PATH"} | {"PATH": path}
    return subprocess.run([BASH, str(ENSURE)], env=env, capture_output=True, text=True)


@pytest.mark.skipif(BASH is None, reason="no bash")
def test_ensure_tmux_finds_it_or_says_why(tmp_path: Path) -> None:
    tmux = shutil.which("tmux")
    if tmux is not None:
        found = _ensure(os.environ["PATH"])
        assert (found.returncode, found.stdout) == (0, f"tmux: ok {tmux}\n")
    empty = tmp_path / "bin"
    empty.mkdir()  # no tmux and no apt-get: nothing to install it with, and no failure
    missing = _ensure(str(empty))
    assert missing.returncode == 0, missing.stderr
    assert missing.stdout.startswith("tmux: not installed and no apt-get")
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "ensure-tmux" in run and "PINS_TEST_TMUX=required" in run


def test_the_terminal_test_fails_without_tmux_where_it_is_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PINS_TEST_TMUX", "required")
    with pytest.raises(pytest.fail.Exception, match="PINS_TEST_TMUX=required"):
        tmux_or_skip()
    monkeypatch.delenv("PINS_TEST_TMUX")
    with pytest.raises(pytest.skip.Exception, match="no terminal"):
        tmux_or_skip()
