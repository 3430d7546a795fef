"""Virtual environments for the other Python pins packages the tests run beside ours
(and a folder of test runners for pins-python's own suite, :func:`ensure_target`).

Each is built once per machine from PyPI (under ``.cache/`` in the project, or where an
environment variable says) and reused; a lock file keeps parallel test runs from building
it twice, and ``.ready`` marks a finished build. When it cannot be built (no network, no
PyPI), :class:`PeerUnavailable` says how to provide it; the tests' fixtures turn that into
a skip, so a machine without PyPI still runs everything else.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class PeerUnavailable(RuntimeError):
    """The peer's environment does not exist and could not be built."""


def python_in(where: Path) -> Path:
    return where / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def _built_once(
    where: Path,
    pip: list[str],
    requirements: list[str],
    variable: str,
    prepare: Callable[[], None] = lambda: None,
) -> None:
    """Run ``prepare`` then the pip install command ``pip`` once per machine: a lock keeps
    parallel test runs from running it twice, and ``where/.ready`` marks it done."""
    ready = where / ".ready"
    where.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{where}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ready.exists():
            return
        prepare()
        proc = subprocess.run(
            [*pip, "--quiet", "--retries", "1", "--disable-pip-version-check", *requirements],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            lines = [line for line in proc.stderr.splitlines() if line.strip()] or ["?"]
            tail = lines[-1].strip()
            raise PeerUnavailable(
                f"pip could not install {' '.join(requirements)} into {where} ({tail}). "
                f"Run the tests where PyPI is reachable, or set {variable} to a folder "
                "that has them and an empty .ready file."
            )
        ready.write_text(" ".join(requirements))


def ensure_venv(where: Path, requirements: list[str], variable: str) -> Path:
    """The python of the virtual environment ``where`` with ``requirements`` installed.

    ``variable`` is the environment variable that points the tests at another folder; it
    is named in the :class:`PeerUnavailable` message.
    """
    pip = [str(python_in(where)), "-m", "pip", "install"]

    def create() -> None:
        venv.EnvBuilder(with_pip=True, clear=True).create(where)

    _built_once(where, pip, requirements, variable, create)
    return python_in(where)


def ensure_target(where: Path, requirements: list[str], variable: str) -> Path:
    """The folder ``where`` with ``requirements`` installed into it (``pip --target``),
    for this interpreter: put it first on ``PYTHONPATH`` to use them over its own."""
    pip = [sys.executable, "-m", "pip", "install", "--target", str(where)]
    _built_once(where, pip, requirements, variable)
    return where
