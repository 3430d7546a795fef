"""How ``pins`` chooses its board, prints, fails and helps."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import pins
from pins.cli import cli

from .conftest import Run


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("words", [(), *_commands(cli)], ids=lambda w: " ".join(w) or "pins")
def test_every_command_has_help_with_an_example(run: Run, words: tuple[str, ...]) -> None:
    result = run(*words, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert "Usage:" in result.stdout or "usage:" in result.stdout


def test_the_board_comes_from_the_option_else_pins_board_else_board_local(
    run: Run, tmp_path: Path, board_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pins.board_folder(board_dir).pin_write([1], "from_env")
    other = tmp_path / "other"
    pins.board_folder(other).pin_write([2], "from_option")
    pins.board_local().pin_write([3], "from_local")
    assert run("list").stdout.split() == ["name", "from_env"]
    assert run("--board", str(other), "list").stdout.split() == ["name", "from_option"]
    assert run("list", "-b", f"file://{other}").stdout.split() == ["name", "from_option"]
    assert run("list", "-b", pins.board_deparse(pins.board_folder(other))).exit_code == 0
    monkeypatch.delenv("PINS_BOARD")
    assert run("list").stdout.split() == ["name", "from_local"]


def test_options_go_before_or_after_the_command(run: Run, board_dir: Path) -> None:
    pins.board_folder(board_dir).pin_write([1], "n")
    assert json.loads(run("--json", "list").stdout) == [{"name": "n"}]
    assert json.loads(run("list", "--json").stdout) == [{"name": "n"}]
    assert json.loads(run("-q", "versions", "n", "--json").stdout)[0]["hash"]


def test_a_pins_error_is_its_message_and_exit_code_1(run: Run, board_dir: Path) -> None:
    result = run("info", "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Pin nope does not exist")
    assert "Traceback" not in result.stderr and result.stdout == ""
    with pytest.raises(pins.errors.PinNotFoundError):  # --debug: the exception itself
        CliRunner().invoke(cli, ["--debug", "info", "nope"], catch_exceptions=False)
    bad = run("--board", "board_folder(__import__('os'))", "list")
    assert bad.exit_code == 1 and "not a literal" in bad.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("nosuchcommand",),
        ("info",),  # NAME missing
        ("prune", "sales"),  # neither --n nor --days
        ("prune", "sales", "--n", "1", "--days", "3"),
        ("prune", "sales", "--n", "0"),
        ("write", "missing.csv", "sales"),
        ("write", "data.txt", "sales"),  # not a format write reads
        ("write", "data.csv", "sales", "--metadata", "novalue"),
        ("read", "sales", "-o", "out.xlsx"),
        ("cache", "prune", "--days", "-1"),
    ],
)
def test_usage_errors_exit_2(run: Run, tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "data.txt").write_text("x", encoding="utf-8")
    (tmp_path / "data.csv").write_text("x\n1\n", encoding="utf-8")
    (tmp_path / "sales.csv").write_text("x\n1\n", encoding="utf-8")
    run("write", "sales.csv", "sales")
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Error" in result.stderr and "Traceback" not in result.stderr


def test_files_that_cannot_be_read(run: Run, tmp_path: Path) -> None:
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    (tmp_path / "broken.json").write_text("{nope", encoding="utf-8")
    for name in ("broken.parquet", "broken.json"):
        result = run("write", name, "x")
        assert result.exit_code == 1 and f"Cannot read {name}" in result.stderr


def test_quiet_silences_stderr(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n", encoding="utf-8")
    loud = run("write", "a.csv", "a")
    assert "wrote version" in loud.stderr
    (tmp_path / "a.csv").write_text("x\n2\n", encoding="utf-8")
    quiet = run("--quiet", "write", "a.csv", "a")
    assert quiet.exit_code == 0 and quiet.stderr == "" and "a " in quiet.stdout
    assert run("read", "a", "-o", "a.parquet", "-q").stderr == ""


def test_delete_a_version_then_the_pin(run: Run, board_dir: Path) -> None:
    board = pins.board_folder(board_dir)
    first = board.pin_write([1], "n").version
    board.pin_write([2], "n")
    assert first is not None
    result = run("delete", "n", "--version", first.version, "--json")
    assert json.loads(result.stdout) == {"name": "n", "version": first.version}
    assert len(board.pin_versions("n", as_df=False)) == 1
    assert "deleted" in run("delete", "n").stderr
    assert board.pin_list() == []
    assert run("delete", "n").exit_code == 1


def test_prune_by_days(run: Run, board_dir: Path) -> None:
    from datetime import datetime, timedelta, timezone

    board = pins.board_folder(board_dir)
    old = board.pin_write([1], "n", created=datetime.now(timezone.utc) - timedelta(days=10))
    board.pin_write([2], "n")
    assert old.version is not None
    result = run("prune", "n", "--days", "5", "--json")
    assert json.loads(result.stdout) == {"name": "n", "deleted": [old.version.version]}


def test_joblib_pins_are_not_unpickled(run: Run, board_dir: Path) -> None:
    pins.board_folder(board_dir).pin_write({1, 2}, "s", type="joblib")
    result = run("read", "s")
    assert result.exit_code == 1 and "pins download" in result.stderr


def test_manifest(run: Run, board_dir: Path) -> None:
    pins.board_folder(board_dir).pin_write([1], "n")
    listed = json.loads(run("manifest", "--json").stdout)
    assert list(listed) == ["n"] and (board_dir / "_pins.yaml").is_file()
    assert run("manifest").stdout.split() == ["name", "versions", "n", "1"]


def test_manifest_of_boards_without_one(run: Run, tmp_path: Path) -> None:
    from pins.testing import ConnectServer

    with ConnectServer(users=["susan:publisher:k"]) as server:
        result = run("--board", f"connect:{server.url}", "manifest")
    assert result.exit_code == 1 and "has no manifest" in result.stderr


def test_cache_info_and_prune(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pins.testing import ConnectServer

    with ConnectServer(users=["susan:publisher:the-key"]) as server:
        monkeypatch.setenv("CONNECT_API_KEY", "the-key")
        monkeypatch.setenv("PINS_BOARD", f"connect:{server.url}")
        (tmp_path / "a.csv").write_text("x\n1\n", encoding="utf-8")
        assert run("write", "a.csv", "sales").exit_code == 0
        assert run("read", "susan/sales").stdout == "x\n1\n"
    rows = json.loads(run("cache", "info", "--json").stdout)
    assert [(r["pin"], r["files"]) for r in rows] == [("susan/sales", 2)]
    assert set(rows[0]) == {"board", "pin", "version", "files", "size_bytes", "last_used"}
    assert run("cache", "info").stdout.split()[:6] == [
        "board", "pin", "version", "files", "size_bytes", "last_used",
    ]  # fmt: skip
    asked = run("cache", "prune", "--days", "0")  # standard input is no terminal: no
    assert asked.exit_code == 0 and "nothing deleted" in asked.stderr
    assert len(json.loads(run("cache", "info", "--json").stdout)) == 1
    deleted = json.loads(run("cache", "prune", "--days", "0", "--yes", "--json").stdout)
    assert len(deleted["deleted"]) == 1
    assert json.loads(run("cache", "info", "--json").stdout) == []


def test_the_api_key_is_never_an_option(run: Run) -> None:
    result = run("--board", "connect:http://127.0.0.1:9?api_key=secret", "list")
    assert result.exit_code == 1 and "not an option" in result.stderr
    assert run("list", "--api-key", "x").exit_code == 2


def test_emulator_help_is_the_emulators(run: Run) -> None:
    result = run("emulator", "--help")
    assert result.exit_code == 0
    assert "usage: pins emulator" in result.stdout and "--max-bundle-size" in result.stdout


def test_quiet_turns_the_progress_bars_off(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pins import _progress

    (tmp_path / "big.bin").write_bytes(b"\0" * (_progress.MIN_BYTES + 1))
    monkeypatch.setenv("PINS_PROGRESS", "1")
    shown = run("upload", "big.bin", "--name", "big")
    assert "hash big.bin: 100%" in shown.stderr.replace("\r", "\n")
    (tmp_path / "big.bin").write_bytes(b"\1" * (_progress.MIN_BYTES + 1))
    quiet = run("upload", "big.bin", "--name", "big", "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert os.environ["PINS_PROGRESS"] == "1"  # as it was before the command
