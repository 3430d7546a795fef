"""pins-python 0.9.2's own test suite, run unmodified against this package.

Its test modules and data folders are copied from its wheel (in the pins-python virtual
environment) into a temporary folder and run by pytest in a subprocess with this
package's ``pins``, on a local folder, on S3 (moto) and on Posit Connect (our emulator),
all on 127.0.0.1. The harness (``tests/interop/pinspy_suite``) provides what that suite
takes from pins-python's own test package. Each test's outcome is compared with the one
list of expected failures and skips, ``pinspy_suite/expected.py``: any other failure
fails this test, and so does an expected failure that passes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ..peers import ROOT, PeerUnavailable
from ..pinspy import ensure_suite_runner
from .pinspy_suite.expected import EXPECTED, Expect, selects

pytestmark = pytest.mark.interop

#: What a test may end as when the list does not name it.
_UNLISTED_OK = ("passed", "skipped", "xfailed", "xpassed")
_FAILED = ("failed", "error")


Report = dict[str, dict[str, Any]]


def _entry_for(
    nodeid: str, marks: list[str], expected: dict[str, Expect]
) -> tuple[str, Expect] | None:
    for selector, expect in expected.items():
        if selects(selector, nodeid, marks):
            return selector, expect
    return None


def problems(report: Report, expected: dict[str, Expect] = EXPECTED) -> list[str]:
    """How the outcomes in ``report`` differ from the expected list (empty: none)."""
    found: list[str] = []
    used: set[str] = set()
    for nodeid, test in sorted(report.items()):
        outcome, message = test["outcome"], test["message"]
        entry = _entry_for(nodeid, test["marks"], expected)
        if entry is None:
            if outcome not in _UNLISTED_OK:
                found.append(f"{nodeid}: {outcome} (not in the expected list): {message}")
            continue
        selector, expect = entry
        used.add(selector)
        if expect.outcome == "fail" and outcome not in _FAILED:
            found.append(
                f"{nodeid}: listed as failing ({expect.reason}) but {outcome}: remove it from "
                f"the list ({selector!r})"
            )
        elif expect.outcome == "skip" and outcome != "skipped":
            found.append(f"{nodeid}: listed as skipped ({expect.reason}) but {outcome}")
    for selector in expected:
        if selector not in used:
            found.append(f"{selector!r} is in the expected list but selects no test")
    return found


def backend_of(test: dict[str, Any]) -> str:
    marks = [m for m in test["marks"] if m.startswith("fs_")]
    return marks[0][len("fs_") :] if len(marks) == 1 else "none"


def counts(report: Report) -> dict[str, Counter[str]]:
    """Outcomes per backend (``none``: tests of no board)."""
    out: dict[str, Counter[str]] = {}
    for test in report.values():
        out.setdefault(backend_of(test), Counter())[test["outcome"]] += 1
    return out


def _pinspy_package(python: Path) -> Path:
    code = "import os, pins; print(os.path.dirname(pins.__file__))"
    proc = subprocess.run(
        [str(python), "-I", "-c", code], capture_output=True, text=True, check=True
    )
    return Path(proc.stdout.strip())


def _copy_suite(package: Path, suite: Path, data: Path) -> None:
    """pins-python's test modules into ``suite``, its data folders into ``data/tests``."""
    suite.mkdir()
    for module in sorted((package / "tests").glob("test_*.py")):
        shutil.copy(module, suite / module.name)
    (suite / "pytest.ini").write_text("[pytest]\n")  # no configuration of ours applies
    for folder in (package / "tests").iterdir():
        if folder.is_dir() and folder.name != "__pycache__":
            shutil.copytree(folder, data / "tests" / folder.name)


def run_suite(pinspy_python: Path, runner: Path, work: Path) -> Report:
    """Run pins-python's suite (from the environment of ``pinspy_python``) with pytest
    and pytest-cases from ``runner``; return each test's outcome."""
    suite, data = work / "suite", work / "data"
    _copy_suite(_pinspy_package(pinspy_python), suite, data)
    report = work / "report.json"
    for home in ("xdg-data", "xdg-cache"):  # a user's home has them
        (work / home).mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "CONNECT_", "PYTEST_")) and k != "PYTHONPATH"
    }
    env.update(
        PYTHONPATH=os.pathsep.join([str(runner), str(ROOT)]),
        PINS_PINSPY_SUITE_DATA=str(data),
        PINS_PINSPY_SUITE_REPORT=str(report),
        PINS_CACHE_DIR=str(work / "cache"),
        PINS_DATA_DIR=str(work / "pins-data"),
        XDG_DATA_HOME=str(work / "xdg-data"),
        XDG_CACHE_HOME=str(work / "xdg-cache"),
        PINS_ALLOW_RSC_SHORT_NAME="1",  # as pins-python's CI runs its Connect tests
    )
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "tests.interop.pinspy_suite.plugin",
        "-p",
        "no:cacheprovider",
        "-q",
        "--no-header",
        "-rN",
        "--continue-on-collection-errors",
        str(suite),
    ]
    proc = subprocess.run(command, cwd=suite, env=env, capture_output=True, text=True, timeout=900)
    if not report.exists():
        raise AssertionError(
            f"the suite did not run ({proc.returncode}):\n{proc.stdout[-3000:]}"
            f"\n{proc.stderr[-3000:]}"
        )
    result: Report = json.loads(report.read_text())
    return result


@pytest.fixture(scope="session")
def suite_runner() -> Path:
    try:
        return ensure_suite_runner()
    except PeerUnavailable as exc:
        pytest.skip(f"pytest 8 and pytest-cases for pins-python's suite unavailable: {exc}")


def test_pinspy_suite_runs_as_expected(
    pinspy_python: Path, suite_runner: Path, tmp_path: Path
) -> None:
    report = run_suite(pinspy_python, suite_runner, tmp_path)
    summary = {backend: dict(c) for backend, c in sorted(counts(report).items())}
    print(json.dumps(summary))
    assert summary.get("file", {}).get("passed", 0) > 0, summary
    found = problems(report)
    assert not found, "\n".join(found)


def test_the_comparison_reports_every_difference() -> None:
    expected = {
        "m.py::known[*]": Expect("fail", "internals"),
        "mark:fs_gcs": Expect("skip", "unreachable"),
        "m.py::stale": Expect("fail", "internals"),
    }

    def test(outcome: str, *marks: str) -> dict[str, Any]:
        return {"outcome": outcome, "message": "why", "marks": list(marks)}

    report = {
        "m.py::known[file]": test("failed", "fs_file"),
        "m.py::known[s3]": test("passed", "fs_s3"),  # listed as failing: now passes
        "m.py::ok[gcs]": test("skipped", "fs_gcs"),
        "m.py::ok[file]": test("passed", "fs_file"),
        "m.py::own_skip[file]": test("skipped", "fs_file"),
        "m.py::broken[file]": test("error", "fs_file"),  # not listed
        "n.py": test("error"),  # a module not collected, not listed
    }
    found = problems(report, expected)
    assert len(found) == 4, found
    assert any(f.startswith("m.py::known[s3]: listed as failing") for f in found)
    assert any(f.startswith("m.py::broken[file]: error (not in") for f in found)
    assert any(f.startswith("n.py: error (not in") for f in found)
    assert any("'m.py::stale' is in the expected list but selects no test" in f for f in found)
    report["m.py::ok[gcs]"] = test("passed", "fs_gcs")  # a skip that ran
    assert any("listed as skipped" in f for f in problems(report, expected))
    assert counts(report)["file"] == {"failed": 1, "passed": 1, "skipped": 1, "error": 1}
