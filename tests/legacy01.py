"""Run the first Python pins package, ``pins==0.1.5`` (import name also ``pins``), in its
own virtual environment, to check that the 0.1 API still works both ways.

The environment is built once per machine under ``.cache/pins-0.1.5`` in the project (or
where ``PINS_TEST_PINS01_VENV`` says) and reused (:mod:`tests.peers`). Scripts run with
``python -I`` from a temporary folder, so they never import this project's ``pins``.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .peers import ROOT, ensure_venv

PINS01_VERSION = "0.1.5"
# 0.1.5 declares pandas, pyyaml and requests; they are named so that pip never skips them.
PINS01_REQUIREMENTS = [f"pins=={PINS01_VERSION}", "pandas", "pyyaml", "requests"]


def venv_dir() -> Path:
    default = ROOT / ".cache" / f"pins-{PINS01_VERSION}"
    return Path(os.environ.get("PINS_TEST_PINS01_VENV", default))


def ensure_pins01() -> Path:
    """The python of a virtual environment that has pins 0.1.5 installed (built on the
    first call, then reused). Raises :class:`~tests.peers.PeerUnavailable` when it cannot
    be built."""
    return ensure_venv(venv_dir(), PINS01_REQUIREMENTS, "PINS_TEST_PINS01_VENV")


@dataclass
class Result:
    """What a script under pins 0.1.5 did: its last JSON line, or the exception it raised."""

    value: Any
    error: str | None  # the exception's class name, or None when it succeeded
    message: str
    stdout: str
    stderr: str


class Pins01:
    """A handle on pins 0.1.5: run a script there and get its answer back."""

    def __init__(self, python: Path, workdir: Path) -> None:
        self.python = python
        self.workdir = workdir

    def run(self, script: str, timeout: float = 120) -> Result:
        """Run ``script`` under pins 0.1.5.

        The script's last printed line is parsed as JSON into ``Result.value``. An
        exception escaping the script is reported in ``Result.error`` (its class name) and
        ``Result.message``, so that a test can assert how the old package fails.
        """
        self.workdir.mkdir(parents=True, exist_ok=True)
        path = self.workdir / "pins01_script.py"
        body = textwrap.indent(textwrap.dedent(script), "    ")
        path.write_text(_WRAPPER.format(body=body))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        proc = subprocess.run(
            [str(self.python), "-I", str(path)],
            cwd=self.workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        if proc.returncode == 3:  # the wrapper caught an exception
            failure = json.loads(lines[-1])
            return Result(None, failure["error"], failure["message"], proc.stdout, proc.stderr)
        if proc.returncode != 0:
            raise AssertionError(f"pins 0.1.5 script crashed ({proc.returncode}):\n{proc.stderr}")
        value = json.loads(lines[-1]) if lines else None
        return Result(value, None, "", proc.stdout, proc.stderr)


# The script runs inside main(); an exception is printed as one JSON line and exit code 3.
_WRAPPER = """\
import json, sys, traceback


def main():
{body}


try:
    main()
except Exception as exc:
    traceback.print_exc()
    print(json.dumps({{"error": type(exc).__name__, "message": str(exc)}}))
    sys.exit(3)
"""
