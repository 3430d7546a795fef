"""Peak memory of a process, for the benchmarks: a child process that reports its own
peak RSS above a baseline, and the Connect emulator in a process of its own.

Linux only: the peak is ``VmHWM`` of ``/proc/<pid>/status``, reset to the current
resident size by writing 5 to ``/proc/<pid>/clear_refs``.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Code a child runs first: ``start()`` sets the baseline, ``report(**fields)`` prints
#: them with ``peak_extra_mb`` as one JSON line.
PEAK_HELPERS = """
import json, sys, time
def _kb(field, pid="self"):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
_base = 0
def start():
    global _base
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    _base = _kb("VmRSS")
def report(**fields):
    fields["peak_extra_mb"] = (_kb("VmHWM") - _base) / 1024
    print(json.dumps(fields))
"""


def run_child(code: str, *args: str) -> dict[str, Any]:
    """Run ``code`` in a fresh Python and return the JSON line it reported last."""
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


@dataclass
class EmulatorProcess:
    """The Connect emulator running in a process of its own."""

    process: subprocess.Popen[str]
    url: str
    key: str
    _base_kb: int = 0

    def start_peak(self) -> None:
        """Reset the server's peak to its current resident size (the baseline)."""
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")
        self._base_kb = _kb(self.process.pid, "VmRSS")

    def peak_extra_mb(self) -> float:
        return (_kb(self.process.pid, "VmHWM") - self._base_kb) / 1024


@contextmanager
def start_connect_server(data_dir: Path) -> Iterator[EmulatorProcess]:
    """``python -m pins.testing.connect_server`` on a free port of 127.0.0.1, with the
    publisher susan and no limit on the size of a bundle (its default, as on Connect);
    stopped on exit."""
    key = secrets.token_hex(16)
    process = subprocess.Popen(
        [sys.executable, "-m", "pins.testing.connect_server", "--port", "0",
         "--data-dir", str(data_dir), "--user", f"susan:publisher:{key}"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = ""
        for line in process.stdout:
            if line.startswith("Connect emulator at "):
                url = line.split(" at ", 1)[1].strip()
            if line.startswith("Serving until"):
                break
        if not url:
            raise RuntimeError("the Connect emulator did not start")
        yield EmulatorProcess(process, url, key)
    finally:
        process.terminate()
        process.wait(30)
