"""The test matrix: every Python and every dependency version that pyproject.toml claims.

``make test-all`` (or ``.venv/bin/nox``) runs these sessions, each in a fresh virtual
environment made with uv:

- ``tests-3.10`` ... ``tests-3.13``: the whole pytest suite with the newest dependencies
  that each Python gets.
- ``lowest``: Python 3.10 with every direct dependency, of pins and of its ``test`` extra,
  at the lower bound that pyproject.toml gives it: ``uv pip install --resolution
  lowest-direct`` with a constraint ``name==bound`` for each, made from pyproject.toml
  when the session runs (without it, the newest of a test tool's own dependencies can
  pull a library above its bound: the newest ``responses`` wants requests 2.30). The
  session checks that each of them is at its bound, then runs ruff, ``mypy --strict``
  and the whole pytest suite with those versions.

Each session starts by printing the versions it tests. Every session runs the whole
suite, interop tests included: pins-python 0.9.2 and pins 0.1.5 live in their own
virtual environments under ``.cache/`` (built once by the first run that needs them, or
taken from ``PINS_TEST_PINSPY_VENV`` / ``PINS_TEST_PINS01_VENV``). Arguments after
``--`` go to pytest (``nox -s lowest -- tests/drivers -x``).

An interpreter that is not installed is skipped with a message, never downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nox
from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

nox.options.default_venv_backend = "uv"
nox.options.error_on_missing_interpreters = False  # on CI too: a missing Python is skipped
nox.options.download_python = "never"
nox.options.sessions = ["tests", "lowest"]

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
# The lowest pandas (2.0) and pyarrow (12) have wheels for Python 3.8 to 3.11, PyYAML 6.0
# for 3.6 to 3.10 only (on 3.11 it is built from source); 3.10 is also the oldest Python
# that pins supports, so the oldest of everything is tested together.
LOWEST_PYTHON = "3.10"
LINTED = ["pins", "tests", "benchmarks", "examples", "noxfile.py"]
VERSIONS = "tests/dependency_versions.py"


def let_pyenv_run_every_version() -> None:
    """Let pyenv's ``pythonX.Y`` shims run every Python that pyenv has installed.

    pyenv's shims run only the versions it selects (``pyenv global``); another one
    answers "command not found", and interpreter discovery stops at that shim. Selecting
    every installed version after the current ones (as ``pyenv shell 3.11.7 3.10.13 ...``
    would) changes no version that ``python`` or ``python3`` runs. An explicit
    ``PYENV_VERSION`` is left as it is.
    """
    pyenv = shutil.which("pyenv")
    if pyenv is None or "PYENV_VERSION" in os.environ:
        return
    root, current = (
        subprocess.run([pyenv, cmd], capture_output=True, text=True, check=False).stdout.strip()
        for cmd in ("root", "version-name")
    )
    if not root:
        return
    installed = []
    for path in Path(root, "versions").glob("*"):
        try:
            installed.append((Version(path.name), path.name))
        except InvalidVersion:
            continue  # a virtualenv, pypy, ...: never one of PYTHONS
    names = [name for _, name in sorted(installed, reverse=True)]
    selected = [name for name in current.split(":") if name]
    os.environ["PYENV_VERSION"] = ":".join(dict.fromkeys([*selected, *names]))


let_pyenv_run_every_version()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The whole pytest suite with the newest dependencies."""
    session.install("-e", ".[test]")
    session.run("python", VERSIONS)
    session.run("pytest", *session.posargs)


def lower_bounds(python: str) -> list[tuple[str, Version]]:
    """Each direct dependency of pins and of its ``test`` extra (with the extras of pins
    that it names, such as ``pins[testing]``) that applies on ``python``, with its
    ``>=`` bound."""
    project = nox.project.load_toml("pyproject.toml")["project"]
    extras = project["optional-dependencies"]
    todo, seen = [*project["dependencies"], *extras["test"]], set()
    out: dict[str, Version] = {}
    while todo:
        req = Requirement(todo.pop(0))
        if req.name == project["name"]:  # pins[testing]: that extra's requirements
            todo.extend(r for extra in sorted(req.extras - seen) for r in extras[extra])
            seen |= req.extras
            continue
        if req.marker is not None and not req.marker.evaluate({"python_version": python}):
            continue
        floors = [Version(spec.version) for spec in req.specifier if spec.operator == ">="]
        if not floors:
            raise ValueError(f"{str(req)!r} in pyproject.toml has no lower bound")
        out[req.name] = max([*floors, out.get(req.name, floors[0])])  # named twice: the higher
    return sorted(out.items())


@nox.session(python=LOWEST_PYTHON)
def lowest(session: nox.Session) -> None:
    """Every direct dependency at its lower bound: checked, then linted, typed and tested."""
    constraints = Path(session.create_tmp()) / "lowest-bounds.txt"
    bounds = lower_bounds(LOWEST_PYTHON)
    constraints.write_text("".join(f"{name}=={bound}\n" for name, bound in bounds))
    session.install("--resolution", "lowest-direct", "-c", str(constraints), "-e", ".[test]")
    session.run("python", VERSIONS, "--lowest")
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)
    session.run("mypy")
    session.run("pytest", *session.posargs)
