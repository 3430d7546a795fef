"""The pytest plugin of the suite's subprocess (``pytest -p tests.interop.pinspy_suite.plugin``).

It registers pins-python's markers, puts ``pins.tests`` (this package's modules) and the
stand-ins of :mod:`.internals` in place before the test modules are imported, skips the
tests that :mod:`.expected` says cannot run here, and writes every test's outcome to the
JSON file named by ``PINS_PINSPY_SUITE_REPORT``::

    {"<node id>": {"outcome": "passed", "message": "", "marks": ["fs_file"]}, ...}

Outcomes: passed, failed, error (in a fixture, or a module that could not be
collected), skipped, xfailed and xpassed (pins-python's own ``xfail`` marks).
"""

from __future__ import annotations

import json
import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from . import internals
from .expected import EXPECTED, reason_of, selects
from .servers import SERVERS

_MARKERS = {
    "fs_file": "a local folder board",
    "fs_s3": "an S3 board (moto on 127.0.0.1)",
    "fs_gcs": "a Google Cloud Storage board",
    "fs_abfs": "an Azure board",
    "fs_dbc": "a Databricks board",
    "fs_rsc": "a Posit Connect board (the emulator on 127.0.0.1)",
    "skip_on_github": "skipped by pins-python's CI on GitHub",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, text in _MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    internals.install()
    package = types.ModuleType("pins.tests", "pins-python's test package, as this harness has it.")
    package.__path__ = []
    sys.modules["pins.tests"] = package
    from . import connect_fixtures, fixtures, helpers

    for name, module in (
        ("helpers", helpers),
        ("conftest", fixtures),
        ("test_rsconnect_api", connect_fixtures),
    ):
        sys.modules[f"pins.tests.{name}"] = module
        setattr(package, name, module)
    config.pluginmanager.register(fixtures, "pinspy-suite-fixtures")
    config.pluginmanager.register(Recorder(Path(os.environ["PINS_PINSPY_SUITE_REPORT"])))


def pytest_unconfigure(config: pytest.Config) -> None:
    SERVERS.close()


def _marks(item: pytest.Item) -> list[str]:
    return sorted({mark.name for mark in item.iter_markers() if mark.name in _MARKERS})


def _message(report: Any) -> str:
    if hasattr(report, "wasxfail"):
        return str(report.wasxfail)
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):  # a skip: (file, line, reason)
        return str(longrepr[2])
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message)
    lines = [line for line in str(longrepr or "").splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("E ")]  # an import error's last words
    return (errors or lines or [""])[-1].removeprefix("E").strip()


class Recorder:
    """Collects each test's outcome and writes them all at the end of the session."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tests: dict[str, dict[str, Any]] = {}

    def _set(self, nodeid: str, outcome: str, message: str = "") -> None:
        entry = self.tests.setdefault(nodeid, {"marks": []})
        entry.update(outcome=outcome, message=message.strip()[:1000])

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            marks = _marks(item)
            self.tests[item.nodeid] = {"outcome": "not run", "message": "", "marks": marks}
            for selector, expect in EXPECTED.items():
                if expect.outcome == "skip" and selects(selector, item.nodeid, marks):
                    item.add_marker(pytest.mark.skip(reason=reason_of(expect)))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self._set(report.nodeid, "error", _message(report))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        xfail = hasattr(report, "wasxfail")
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if report.passed:
                outcome = "xpassed" if xfail else "passed"
            elif report.skipped:
                outcome = "xfailed" if xfail else "skipped"
            else:
                outcome = "failed" if report.when == "call" else "error"
            self._set(report.nodeid, outcome, _message(report))
        elif report.when == "teardown" and report.failed:
            before = self.tests.get(report.nodeid, {}).get("outcome")
            self._set(report.nodeid, "error", f"teardown (after {before}): {_message(report)}")

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.path.write_text(json.dumps(self.tests, indent=1, sort_keys=True))
