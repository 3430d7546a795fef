"""Print the versions of pins' direct dependencies (its own and its ``test`` extra's).

Run by each session of ``noxfile.py`` so that a log says what was tested. It fails if
one of them has no ``>=`` bound in pyproject.toml, and with ``--lowest`` unless every
one of them is at that bound: the check that the lowest-versions session tests the
lower bounds and not something newer. The requirements are read from the installed
pins' metadata, which is pyproject.toml's, so nothing here repeats them.
"""

from __future__ import annotations

import importlib.metadata as md
import platform
import sys

from packaging.requirements import Requirement
from packaging.version import Version


def direct_requirements() -> list[Requirement]:
    """pins' own requirements and those of its ``test`` extra, without the other extras."""
    out = []
    for text in md.requires("pins") or []:
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate({"extra": "test"}):
            out.append(req)
    return out


def lower_bound(req: Requirement) -> Version | None:
    floors = [Version(spec.version) for spec in req.specifier if spec.operator == ">="]
    return max(floors) if floors else None


def main(argv: list[str]) -> int:
    lowest = "--lowest" in argv
    problems = []
    print(f"Python {platform.python_version()}")
    for req in sorted(direct_requirements(), key=lambda r: r.name.lower()):
        installed = Version(md.version(req.name))
        floor = lower_bound(req)
        print(f"  {req.name:<16} {installed!s:<22} bound {floor or 'none'}")
        if floor is None:
            problems.append(f"{req.name} has no lower bound in pyproject.toml")
        elif lowest and installed != floor:
            problems.append(f"{req.name} {installed} is not at its lower bound {floor}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
