"""A 50 MB upload to Posit Connect (the emulator) through the ``pins`` console script:
in a real terminal (tmux) it shows a progress bar; piped, it prints none.

Without tmux the terminal test skips, unless ``PINS_TEST_TMUX=required`` (``.ci/run`` sets
it once ``.ci/ensure-tmux`` found or installed tmux): then it fails, so that CI runs it."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from pins.testing import ConnectServer

SCRIPT = Path(sys.executable).with_name("pins")
SIZE = 50 * 2**20


@pytest.fixture
def upload(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A 50 MB file, and the environment of a pins command that uploads to an emulator
    (started by the test that asks)."""
    big = tmp_path / "big.bin"
    with open(big, "wb") as handle:
        for _ in range(SIZE // 2**20):
            handle.write(os.urandom(2**20))  # random: compression does not shrink it
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PINS_", "CONNECT_"))}
    env = keep | {
        "PINS_CACHE_DIR": str(tmp_path / "cache"),
        "CONNECT_API_KEY": "the-key",
    }
    return big, env


def test_piped_no_bar(upload: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    big, env = upload
    with ConnectServer(users=["susan:publisher:the-key"]) as server:
        env["PINS_BOARD"] = f"connect:{server.url}"
        result = subprocess.run(
            [str(SCRIPT), "upload", str(big), "--name", "piped"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        line for line in result.stderr.splitlines() if line.startswith("Pin 'susan/piped'")
    ]
    assert "%" not in result.stderr and "\r" not in result.stderr


def tmux_or_skip() -> str:
    """The path of tmux; without it the test skips, or fails where it is required."""
    tmux = shutil.which("tmux")
    if tmux is None:
        why = "tmux is not installed (apt-get install tmux, or .ci/ensure-tmux)"
        if os.environ.get("PINS_TEST_TMUX") == "required":
            pytest.fail(f"{why}, and PINS_TEST_TMUX=required")
        pytest.skip(f"{why}: no terminal to look at")
    return tmux


def test_a_bar_in_a_terminal(upload: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    tmux = tmux_or_skip()
    big, env = upload
    done = tmp_path / "done"
    socket = f"pins-test-{uuid.uuid4().hex[:8]}"
    with ConnectServer(users=["susan:publisher:the-key"]) as server:
        env["PINS_BOARD"] = f"connect:{server.url}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if k.isidentifier())
        script = tmp_path / "run.sh"
        script.write_text(
            f"export {exports}\n"
            f"{shlex.quote(str(SCRIPT))} upload {shlex.quote(str(big))} --name terminal\n"
            f"echo $? > {shlex.quote(str(done))}\n"
            "sleep 120\n",
            encoding="utf-8",
        )
        command = [tmux, "-L", socket, "-f", os.devnull]
        subprocess.run(
            [*command, "new-session", "-d", "-x", "160", "-y", "40", f"bash {script}"],
            check=True,
            env={"PATH": os.environ.get("PATH", ""), "TERM": "xterm-256color"},
        )
        try:
            deadline = time.monotonic() + 240
            while not done.exists() and time.monotonic() < deadline:
                time.sleep(0.5)
            screen = subprocess.run(
                [*command, "capture-pane", "-p", "-J", "-S", "-100"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        finally:
            subprocess.run([*command, "kill-server"], capture_output=True)
    assert done.read_text().strip() == "0", screen
    bars = [line for line in screen.splitlines() if line.startswith("upload to http://127.0.0.1")]
    assert bars, screen
    assert "100%" in bars[-1] and "50.0M/50.0M" in bars[-1], screen
    assert any(line.startswith("hash big.bin: 100%") for line in screen.splitlines()), screen
