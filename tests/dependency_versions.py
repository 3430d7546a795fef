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
    """pins' own requirements and those of its ``test`` extra (with the extras of pins it
    names, such as ``pins[testing]``) that apply to this Python, without other extras."""
    declared = [Requirement(text) for text in md.requires("pins") or []]
    wanted, out = {"test"}, []
    grew = True
    while grew:  # the extras that the wanted ones name, as pins[testing]
        grew = False
        for req in declared:
            if req.name == "pins" and _applies(req, wanted) and not req.extras <= wanted:
                wanted |= req.extras
                grew = True
    for req in declared:
        if req.name != "pins" and _applies(req, wanted):
            out.append(req)
    # a package named twice (pytest by the test and the testing extras): the higher bound
    by_name: dict[str, Requirement] = {}
    for req in out:
        known = by_name.get(req.name.lower())
        if known is None or _floor(req) > _floor(known):
            by_name[req.name.lower()] = req
    return list(by_name.values())


def _floor(req: Requirement) -> Version:
    return lower_bound(req) or Version("0")


def _applies(req: Requirement, extras: set[str]) -> bool:
    if req.marker is None:
        return True
    return any(req.marker.evaluate({"extra": extra}) for extra in extras)


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
