"""Every timestamp form Posit Connect sends is parsed, on every Python pins supports
(``datetime.fromisoformat`` on 3.10 refuses trimmed fractions such as ``.3757Z``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pins.boards import _rfc3339
from pins.boards._rfc3339 import parse_rfc3339

UTC = timezone.utc
FORMS = {
    "2024-01-15T12:00:05Z": datetime(2024, 1, 15, 12, 0, 5, tzinfo=UTC),
    "2024-01-15T12:00:05.3757Z": datetime(2024, 1, 15, 12, 0, 5, 375700, tzinfo=UTC),
    "2024-01-15T12:00:05.5Z": datetime(2024, 1, 15, 12, 0, 5, 500000, tzinfo=UTC),
    "2024-01-15T12:00:05.123456789Z": datetime(2024, 1, 15, 12, 0, 5, 123456, tzinfo=UTC),
    "2024-01-15T12:00:05.000001Z": datetime(2024, 1, 15, 12, 0, 5, 1, tzinfo=UTC),
    "2024-01-15T12:00:05+02:00": datetime(2024, 1, 15, 10, 0, 5, tzinfo=UTC),
    "2024-01-15T12:00:05.25-05:30": datetime(2024, 1, 15, 17, 30, 5, 250000, tzinfo=UTC),
    "2024-01-15t12:00:05z": datetime(2024, 1, 15, 12, 0, 5, tzinfo=UTC),
    "2024-01-15T12:00:05": datetime(2024, 1, 15, 12, 0, 5, tzinfo=UTC),
}


@pytest.mark.parametrize(("text", "expected"), FORMS.items())
def test_every_form_connect_sends(text: str, expected: datetime) -> None:
    parsed = parse_rfc3339(text)
    assert parsed == expected and parsed is not None and parsed.utcoffset() is not None


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2024-02-30T00:00:00Z", "2024-01-15T25:00:00Z", "2024-01-15"]
)
def test_anything_else_is_none(text: str) -> None:
    assert parse_rfc3339(text) is None
    assert parse_rfc3339(None) is None and parse_rfc3339(1705320005) is None


def test_an_offset_keeps_its_zone() -> None:
    parsed = parse_rfc3339("2024-01-15T12:00:05.5-05:00")
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=-5)


def _pythons() -> list[str]:
    """The Pythons pins supports that this machine has, besides the one running."""
    found = []
    for version in ("3.10", "3.11", "3.12", "3.13"):
        candidates = [shutil.which(f"python{version}")]
        candidates += [str(p) for p in Path.home().glob(f".pyenv/versions/{version}*/bin/python")]
        for candidate in candidates:
            if (
                candidate
                and subprocess.run(
                    [candidate, "-c", "pass"], capture_output=True, check=False
                ).returncode
                == 0
            ):
                found.append(candidate)
                break
    return found


@pytest.mark.parametrize("python", _pythons() or ["none"])
def test_the_parser_on_each_python(python: str) -> None:
    """The parser imports only the standard library, so it runs as a file on each."""
    if python == "none":
        pytest.skip("no other Python 3.10 to 3.13 on this machine")
    script = (
        "import json, runpy, sys\n"
        f"parse = runpy.run_path({str(Path(_rfc3339.__file__))!r})['parse_rfc3339']\n"
        f"forms = {list(FORMS)!r}\n"
        "print(json.dumps([sys.version_info[:2], [parse(f).isoformat() for f in forms]]))\n"
    )
    out = subprocess.run([python, "-c", script], capture_output=True, text=True, check=True)
    version, parsed = json.loads(out.stdout)
    assert parsed == [d.isoformat() for d in map(parse_rfc3339, FORMS)], version
