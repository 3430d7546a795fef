"""Worker processes of the reliability tests: ``python workers.py <role> <json arguments>``.

Each worker imports only pins (and the standard library), prints ``ready`` when it is
about to start, then one line per thing it did, and at the end one JSON line of counts.
The tests start them with :func:`start`, kill them or wait for them, and read their
lines with :func:`lines`.

Roles
-----
write
    Write ``count`` versions (or until ``seconds`` pass) of ``pin`` on the folder board
    ``board``, ``versioned`` or not, each a dict of about ``size`` bytes naming the
    writer; print ``wrote <pin> <version> <pin_hash>`` after each write returns. With
    ``go``, a path, start only once that file exists. With ``cache``, the board is
    ``board_fsspec("file://<board>")`` with that cache, which stages each version in the
    system's temporary folder, as object stores do.
crash-before-delete
    Write ``pin`` unversioned, but die (``os._exit``) at the moment the write would
    delete the version it replaces: a crash between the commit and the delete.
read
    Read ``pin`` (latest) on the folder board for ``seconds``: ``pin_read``,
    ``pin_exists`` and ``pin_list``; count reads and failures by error type.
read-cached
    The same through a cache (``board_fsspec("file://...")`` with ``cache``).
prune
    ``cache_prune(days=0, prompt=False)`` on ``cache`` for ``seconds``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()


def start(role: str, **arguments: Any) -> subprocess.Popen[str]:
    """Start a worker; it has printed ``ready`` when this returns."""
    env = {**os.environ, "PINS_QUIET": "1"}
    process = subprocess.Popen(
        [sys.executable, str(HERE), role, json.dumps(arguments)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    if first.strip() != "ready":
        process.kill()
        raise AssertionError(f"{role} did not start: {first!r} {process.communicate()[1]}")
    return process


def lines(process: subprocess.Popen[str], timeout: float = 120) -> list[str]:
    """What a worker printed after ``ready``, once it ended (killed or finished)."""
    out, err = process.communicate(timeout=timeout)
    if process.returncode not in (0, -9):
        raise AssertionError(f"worker failed ({process.returncode}): {err[-2000:]}")
    return out.splitlines()


def counts(process: subprocess.Popen[str], timeout: float = 120) -> dict[str, Any]:
    """The JSON counts a worker printed last."""
    result: dict[str, Any] = json.loads(lines(process, timeout)[-1])
    return result


# ---------------------------------------------------------------------- the roles
def _write(args: dict[str, Any]) -> None:
    import pins

    if args.get("cache"):
        board = pins.board_fsspec(f"file://{args['board']}", cache=args["cache"])
    else:
        board = pins.board_folder(args["board"])
    pad = "x" * args.get("size", 10)
    print("ready", flush=True)
    while args.get("go") and not os.path.exists(args["go"]):  # all writers start at once
        time.sleep(0.005)
    deadline = time.monotonic() + args.get("seconds", 1e9)
    written = 0
    for i in range(args.get("count", 10**9)):
        if time.monotonic() > deadline:
            break
        value = {"writer": os.getpid(), "i": i, "pad": pad}
        meta = board.pin_write(value, args["pin"], type="json", versioned=args["versioned"])
        assert meta.version is not None
        print(f"wrote {args['pin']} {meta.version.version} {meta.pin_hash}", flush=True)
        written += 1
    print(json.dumps({"writes": written}), flush=True)


def _crash_before_delete(args: dict[str, Any]) -> None:
    import pins
    from pins.boards.folder import FolderBoard

    def die(self: object, name: str, version: str) -> None:
        os._exit(17)  # the process dies here, as if killed: nothing is cleaned up

    FolderBoard._delete_version = die  # type: ignore[method-assign]
    print("ready", flush=True)
    pins.board_folder(args["board"]).pin_write(args["value"], args["pin"], versioned=False)


def _read_loop(board: Any, pin: str, seconds: float) -> None:
    from pins.errors import PinsError

    failures: Counter[str] = Counter()
    reads = checks = 0
    print("ready", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = board.pin_read(pin)
            reads += 1
            if not isinstance(value, dict) or "i" not in value:
                failures[f"read {value!r:.40}"] += 1
            exists = board.pin_exists(pin)
            listed = pin in board.pin_list()
            checks += 2
            failures["pin_exists said False"] += not exists
            failures["pin_list left it out"] += not listed
        except PinsError as exc:
            failures[type(exc).__name__] += 1
            if os.environ.get("PINS_TEST_DEBUG"):
                print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        except Exception as exc:
            failures[f"raw {type(exc).__name__}: {exc}"] += 1
    print(json.dumps({"reads": reads, "checks": checks, "failures": +failures}), flush=True)


def _read(args: dict[str, Any]) -> None:
    import pins

    _read_loop(pins.board_folder(args["board"]), args["pin"], args["seconds"])


def _read_cached(args: dict[str, Any]) -> None:
    import pins

    board = pins.board_fsspec(f"file://{args['board']}", cache=args["cache"])
    _read_loop(board, args["pin"], args["seconds"])


def _prune(args: dict[str, Any]) -> None:
    import pins

    print("ready", flush=True)
    deadline = time.monotonic() + args["seconds"]
    prunes = deleted = 0
    while time.monotonic() < deadline:
        deleted += len(pins.cache_prune(days=0, cache_root=args["cache"], prompt=False))
        prunes += 1
    print(json.dumps({"prunes": prunes, "deleted": deleted}), flush=True)


ROLES = {
    "write": _write,
    "crash-before-delete": _crash_before_delete,
    "read": _read,
    "read-cached": _read_cached,
    "prune": _prune,
}

if __name__ == "__main__":
    ROLES[sys.argv[1]](json.loads(sys.argv[2]))
