"""The one list of pins-python 0.9.2 tests that are expected to fail, or are skipped,
when its suite runs against this package; each with the reason a pins-python user
would accept.

``EXPECTED`` maps a selector to an :class:`Expect`. A selector is a test's node id,
where ``*`` stands for any text (``test_boards.py::test_x[*rsc*]``), or ``mark:<name>``
for every test with that marker (the backend of a parametrized test is one:
``fs_file``, ``fs_s3``, ``fs_rsc``, ...). ``test_suite.py`` alone names a module that
cannot be collected.

- ``fail``: every test the selector picks must fail (or error); one that passes fails
  the check, so the list stays honest.
- ``skip``: the harness skips these tests before they run (services that cannot be
  reached from here).

Any test not in the list must pass (or end as pins-python's own tests say: its own
``skip`` and ``xfail``). Every entry must select at least one test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Expect:
    outcome: str  # "fail" or "skip"
    reason: str  # a key of REASONS


REASONS = {
    "unreachable": (
        "Needs a service that cannot be reached from the test machine (Google Cloud "
        "Storage, Azure, Databricks, GitHub): these boards are tested here with stand-ins "
        "of their filesystems (tests/test_more_constructors.py)."
    ),
}


def _fail(reason: str) -> Expect:
    return Expect("fail", reason)


def _skip(reason: str) -> Expect:
    return Expect("skip", reason)


EXPECTED: dict[str, Expect] = {
    "mark:fs_gcs": _skip("unreachable"),
    "mark:fs_abfs": _skip("unreachable"),
    "mark:fs_dbc": _skip("unreachable"),
    "test_constructors.py::test_constructor_board_github": _skip("unreachable"),
    "test_boards.py::test_board_manual_http_file_download": _skip("unreachable"),
    "test_boards.py::test_board_manual_pin_read": _skip("unreachable"),
}


def reason_of(expect: Expect) -> str:
    return f"{expect.reason}: {REASONS[expect.reason]}"


def selects(selector: str, nodeid: str, marks: list[str]) -> bool:
    """Whether ``selector`` picks the test ``nodeid`` (with these markers)."""
    if selector.startswith("mark:"):
        return selector[len("mark:") :] in marks
    pattern = ".*".join(re.escape(part) for part in selector.split("*"))
    return re.fullmatch(pattern, nodeid) is not None
