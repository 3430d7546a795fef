"""``python -m pins.testing.connect_server``: serve the emulator until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from .faults import Faults
from .server import ConnectServer, UserSpec
from .settings import Settings


def parser(prog: str = "python -m pins.testing.connect_server") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=prog,
        description="Serve a Posit Connect emulator (for tests and demos) until interrupted.",
        epilog=f"Example: {prog} --port 3939 --data-dir /tmp/connect --user susan:publisher "
        "(prints each user's API key; export it as CONNECT_API_KEY).",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=3939, help="0 picks a free port (default 3939)")
    p.add_argument("--data-dir", help="keep the state here (default: a temporary folder)")
    p.add_argument(
        "--user",
        action="append",
        metavar="NAME:ROLE[:KEY]",
        help="a user to create (repeatable); default susan:publisher",
    )
    p.add_argument(
        "--max-bundle-size",
        type=int,
        default=None,
        metavar="BYTES",
        help="refuse larger uploads (code 135); default: no limit, as on Connect",
    )
    p.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    p.add_argument("--error-rate", type=float, default=0.0, help="share of 500 answers")
    p.add_argument("--drop-rate", type=float, default=0.0, help="share of dropped connections")
    p.add_argument("--task-polls", type=int, default=0, help="polls before a task finishes")
    p.add_argument("--fail-deploys", action="store_true", help="every deploy task fails")
    p.add_argument("--path-prefix", default="", help="serve below this path, e.g. /rsc")
    p.add_argument(
        "--viewers-can-only-see-themselves",
        action="store_true",
        help="Connect's Authorization.ViewersCanOnlySeeThemselves",
    )
    return p


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    args = (parser(prog) if prog else parser()).parse_args(argv)
    try:
        specs = [UserSpec.parse(text) for text in args.user or ["susan:publisher"]]
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    faults = Faults(
        latency=args.latency,
        error_rate=args.error_rate,
        drop_rate=args.drop_rate,
        task_polls=args.task_polls,
        fail_deploys=args.fail_deploys,
    )
    server = ConnectServer(
        specs,
        args.data_dir,
        host=args.host,
        port=args.port,
        max_bundle_size=args.max_bundle_size,
        faults=faults,
        settings=Settings(viewers_can_only_see_themselves=args.viewers_can_only_see_themselves),
        path_prefix=args.path_prefix,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with server:
        print(f"Connect emulator at {server.url}", flush=True)
        for spec in specs:
            role = next(
                u.user_role for u in server.state.users.values() if u.username == spec.username
            )
            print(f"user {spec.username} ({role}) key {server.api_key(spec.username)}", flush=True)
        print("Serving until interrupted (Ctrl+C).", flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
