"""Virtual environments for the other Python pins packages the tests run beside ours.

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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class PeerUnavailable(RuntimeError):
    """The peer's environment does not exist and could not be built."""


def python_in(where: Path) -> Path:
    return where / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def ensure_venv(where: Path, requirements: list[str], variable: str) -> Path:
    """The python of the virtual environment ``where`` with ``requirements`` installed.

    ``variable`` is the environment variable that points the tests at another folder; it
    is named in the :class:`PeerUnavailable` message.
    """
    ready = where / ".ready"
    where.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{where}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready.exists():
            venv.EnvBuilder(with_pip=True, clear=True).create(where)
            pip = [str(python_in(where)), "-m", "pip", "install", "--quiet", "--retries", "1"]
            proc = subprocess.run(
                [*pip, "--disable-pip-version-check", *requirements],
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                lines = [line for line in proc.stderr.splitlines() if line.strip()] or ["?"]
                tail = lines[-1].strip()
                raise PeerUnavailable(
                    f"pip could not install {' '.join(requirements)} into {where} ({tail}). "
                    f"Run the tests where PyPI is reachable, or set {variable} to a virtual "
                    "environment that has them and an empty .ready file."
                )
            ready.write_text(" ".join(requirements))
    return python_in(where)
