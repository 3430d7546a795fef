"""The installed ``pins`` console script, run in a subprocess as a shell runs it: the
session the documentation shows, on a folder board and on the emulator that
``pins emulator`` serves."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

#: The console script pip made for this environment (``make test`` installs pins).
SCRIPT = Path(sys.executable).with_name("pins")


def pins_command(
    *args: str, env: dict[str, str], cwd: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.is_file(), f"no console script at {SCRIPT}: pip install -e . makes it"
    result = subprocess.run(
        [str(SCRIPT), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PINS_", "CONNECT_"))}
    return keep | {
        "PINS_CACHE_DIR": str(tmp_path / "cache"),
        "PINS_DATA_DIR": str(tmp_path / "data"),
    }


def test_help_and_python_dash_m(env: dict[str, str], tmp_path: Path) -> None:
    shown = pins_command("--help", env=env, cwd=tmp_path).stdout
    for command in ("list", "info", "versions", "read", "write", "upload", "download",
                    "delete", "prune", "manifest", "cache", "emulator"):  # fmt: skip
        assert f"\n  {command} " in shown
    module = subprocess.run(
        [sys.executable, "-m", "pins", "--help"], env=env, capture_output=True, text=True
    )
    assert module.returncode == 0 and module.stdout == shown
    failed = pins_command("info", "nope", env=env, cwd=tmp_path, check=False)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert pins_command("nope", env=env, cwd=tmp_path, check=False).returncode == 2


def _session(env: dict[str, str], cwd: Path, name: str) -> None:
    """list, write a csv file as a pin, read it back to parquet, versions, prune."""
    assert pins_command("list", "--json", env=env, cwd=cwd).stdout.strip() == "[]"
    (cwd / "sales.csv").write_text("month,amount\njan,10\nfeb,12\n", encoding="utf-8")
    first = json.loads(
        pins_command("write", "sales.csv", "sales", "--json", env=env, cwd=cwd).stdout
    )
    assert first["name"] == name and first["type"] == "csv"
    listed = pins_command("list", env=env, cwd=cwd).stdout.split()
    assert listed == ["name", name]
    pins_command("read", "sales", "-o", "sales.parquet", env=env, cwd=cwd)
    frame = pd.read_parquet(cwd / "sales.parquet")
    assert frame.to_dict("list") == {"month": ["jan", "feb"], "amount": [10, 12]}
    (cwd / "sales.csv").write_text("month,amount\njan,10\nfeb,12\nmar,9\n", encoding="utf-8")
    pins_command("write", "sales.csv", "sales", env=env, cwd=cwd)
    versions = json.loads(pins_command("versions", "sales", "--json", env=env, cwd=cwd).stdout)
    assert versions[0]["version"] == first["version"] and len(versions) == 2
    table = pins_command("versions", "sales", env=env, cwd=cwd).stdout.splitlines()
    assert table[0].split() == ["version", "created", "hash"] and len(table) == 3
    pruned = pins_command("prune", "sales", "--n", "1", env=env, cwd=cwd)
    assert pruned.stdout.split() == [first["version"]]
    assert "deleted 1 old version" in pruned.stderr
    left = json.loads(pins_command("versions", "sales", "--json", env=env, cwd=cwd).stdout)
    assert [v["version"] for v in left] == [versions[1]["version"]]
    assert pins_command("read", "sales", env=env, cwd=cwd).stdout.count("\n") == 4


def test_a_session_on_a_folder_board(env: dict[str, str], tmp_path: Path) -> None:
    env["PINS_BOARD"] = str(tmp_path / "board")
    _session(env, tmp_path, "sales")


@pytest.fixture
def emulator(env: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``pins emulator`` in a subprocess on a free port: its URL and susan's key."""
    key = secrets.token_hex(16)
    process = subprocess.Popen(
        [str(SCRIPT), "emulator", "--port", "0", "--user", f"susan:publisher:{key}"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Connect emulator at http://127.0.0.1:"), first
        assert key in process.stdout.readline()
        yield first.split(" at ", 1)[1].strip(), key
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0


def test_a_session_on_the_emulator(
    env: dict[str, str], tmp_path: Path, emulator: tuple[str, str]
) -> None:
    url, key = emulator
    env |= {"PINS_BOARD": f"connect:{url}", "CONNECT_API_KEY": key}
    _session(env, tmp_path, "susan/sales")
    info = json.loads(pins_command("info", "susan/sales", "--json", env=env, cwd=tmp_path).stdout)
    assert info["type"] == "csv" and key not in json.dumps(info)
