"""Run pins-python 0.9.2 (import name also ``pins``) in its own virtual environment.

The environment is made once per machine under ``.cache/`` in the project (or where
``PINS_TEST_PINSPY_VENV`` says) and reused (:mod:`tests.peers`). Scripts run with
``python -I`` from a temporary folder, so they never see this project's ``pins``.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path
from typing import Any

from .peers import ROOT, ensure_target, ensure_venv

PINSPY_VERSION = "0.9.2"
PINSPY_REQUIREMENTS = [f"pins=={PINSPY_VERSION}", "pyarrow", "joblib"]


def venv_dir() -> Path:
    default = ROOT / ".cache" / f"pinspy-{PINSPY_VERSION}"
    return Path(os.environ.get("PINS_TEST_PINSPY_VENV", default))


def ensure_pinspy() -> Path:
    """The python of a virtual environment that has pins-python installed.

    Raises :class:`~tests.peers.PeerUnavailable` when it cannot be built.
    """
    return ensure_venv(venv_dir(), PINSPY_REQUIREMENTS, "PINS_TEST_PINSPY_VENV")


#: What pins-python's own test suite needs beside pins (tests/interop/test_pinspy_suite.py).
#: pytest-cases does not load with pytest 9, so the suite runs on pytest 8, from a folder
#: put first on ``PYTHONPATH`` of the suite's interpreter (never installed into ``.venv``,
#: where pytest-cases would break every pytest run).
SUITE_RUNNER_REQUIREMENTS = ["pytest>=8,<9", "pytest-cases>=3.8.5"]


def ensure_suite_runner() -> Path:
    """A folder with pytest 8 and pytest-cases, for this interpreter (built once, under
    ``.cache/`` or where ``PINS_TEST_PINSPY_SUITE_RUNNER`` says).

    Raises :class:`~tests.peers.PeerUnavailable` when it cannot be built.
    """
    default = ROOT / ".cache" / "pinspy-suite-runner"
    where = Path(os.environ.get("PINS_TEST_PINSPY_SUITE_RUNNER", default))
    return ensure_target(where, SUITE_RUNNER_REQUIREMENTS, "PINS_TEST_PINSPY_SUITE_RUNNER")


class PinsPy:
    """A handle on pins-python: run a script there and get its JSON answer back."""

    def __init__(self, python: Path, workdir: Path) -> None:
        self.python = python
        self.workdir = workdir

    def run(self, script: str, env: dict[str, str] | None = None, timeout: float = 300) -> Any:
        """Run ``script`` under pins-python. Whatever it prints on its last line as JSON
        is returned; a failing script fails the test with its stderr."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        path = self.workdir / "pinspy_script.py"
        path.write_text(textwrap.dedent(script))
        full_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        full_env.update(env or {})
        proc = subprocess.run(
            [str(self.python), "-I", str(path)],
            cwd=self.workdir,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise AssertionError(
                f"pins-python script failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
            )
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else None
