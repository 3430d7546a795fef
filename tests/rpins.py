"""Run R pins 1.1.0 from the tests, through ``Rscript``.

R and the R package pins 1.1.0 are found in an R library folder: ``PINS_TEST_R_LIBS``,
else ``.cache/r-lib`` in the project (ignored by git), where ``.ci/run`` installs them
with ``../shared/tools/install-r-pins`` when that script is beside the checkout. Without
them the ``r_interop`` tests skip, and the reason says how to install them.

A script's answer is the JSON it prints on its last line (``emit(x)`` in the prelude).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .peers import ROOT, PeerUnavailable

R_PINS_VERSION = "1.1.0"
HOW_TO_INSTALL = (
    f"install R and R pins {R_PINS_VERSION} with `../shared/tools/install-r-pins "
    ".cache/r-lib` (what .ci/run does when that script is present) or with `R CMD INSTALL "
    f"-l .cache/r-lib` on the pins {R_PINS_VERSION} source (rstudio/pins-r at tag "
    f"v{R_PINS_VERSION}), or set PINS_TEST_R_LIBS to an R library folder that has it"
)

# Every script starts with this: R pins, quiet, and emit() for the answer.
PRELUDE = """
suppressMessages(library(pins))
options(pins.quiet = TRUE)
emit <- function(x) {
  cat(jsonlite::toJSON(x, auto_unbox = TRUE, null = "null", na = "null", digits = NA), "\\n")
}
"""


def r_library() -> Path:
    return Path(os.environ.get("PINS_TEST_R_LIBS", ROOT / ".cache" / "r-lib"))


def r_str(value: str | os.PathLike[str]) -> str:
    """A Python string as an R string literal (JSON's escapes are R's)."""
    return json.dumps(os.fspath(value))


@dataclass
class RPins:
    """A handle on R pins: run a script in ``workdir``, get its answer back."""

    rscript: str
    library: Path
    packages: frozenset[str]  # the optional R packages the library or R can load
    workdir: Path

    def run(self, script: str, timeout: float = 120) -> Any:
        """Run ``script`` after the prelude; a failing script fails the test with R's
        error output."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        path = self.workdir / "script.R"
        path.write_text(PRELUDE + textwrap.dedent(script), encoding="utf-8")
        proc = subprocess.run(
            [self.rscript, "--vanilla", str(path)],
            cwd=self.workdir,
            env=r_env(self.library, self.workdir),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise AssertionError(f"R script failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else None


def r_env(library: Path, home: Path) -> dict[str, str]:
    """The environment of an R run: our library first, R's caches in the test's folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("R_")}
    env.update(
        R_LIBS=str(library),
        R_USER_CACHE_DIR=str(home / "r-cache"),
        R_USER_DATA_DIR=str(home / "r-data"),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    return env


def find_r_pins(workdir: Path) -> RPins:
    """R pins, checked once: ``Rscript`` on PATH and pins 1.1.0 loading from the library.

    Raises :class:`~tests.peers.PeerUnavailable`, with how to install them, otherwise.
    """
    rscript = shutil.which("Rscript")
    library = r_library()
    if rscript is None:
        raise PeerUnavailable(f"Rscript is not on PATH: {HOW_TO_INSTALL}.")
    probe = (
        'v <- tryCatch(as.character(packageVersion("pins")), error = function(e) "none")\n'
        'extra <- c("arrow")\n'
        "have <- extra[vapply(extra, requireNamespace, logical(1), quietly = TRUE)]\n"
        'cat(v, have, sep = "\\n")\n'
    )
    workdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [rscript, "--vanilla", "-e", probe],
        env=r_env(library, workdir),
        capture_output=True,
        text=True,
        timeout=60,
    )
    found = proc.stdout.split()
    version = found[0] if found else f"none (Rscript failed: {proc.stderr.strip()[-300:]})"
    if version != R_PINS_VERSION:
        raise PeerUnavailable(
            f"R pins {R_PINS_VERSION} is not in the R library {library} (found: {version}): "
            f"{HOW_TO_INSTALL}."
        )
    return RPins(rscript, library, frozenset(found[1:]), workdir)
