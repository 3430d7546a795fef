"""The servers the suite's backends use, started once per run on 127.0.0.1 and stopped
at its end: S3 (moto, with the bucket pins-python's tests write to), Posit Connect (our
emulator, with pins-python's test users) and the example board over plain HTTP."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from ...moto_s3 import moto_s3
from ...servers import MOTO_ENV, serve_folder

#: The bucket pins-python's S3 board builder writes below (``PINS_TEST_S3__PATH``).
S3_BUCKET = "pins-test-hadley"
#: pins-python's Connect test users: ``derek`` owns the boards, ``susan`` the short-name
#: tests, ``admin`` the administrator's.
CONNECT_USERS = ("derek:publisher", "susan:publisher", "admin:administrator")


class Servers:
    """Each server is started on first use and stopped by :meth:`close`."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._started: dict[str, Any] = {}

    def _get(self, name: str, start: Callable[[], Any]) -> Any:
        if name not in self._started:
            self._started[name] = start()
        return self._started[name]

    def s3_endpoint(self) -> str:
        """moto's endpoint; the AWS variables point every S3 client of the run at it."""

        def start() -> str:
            os.environ.update(MOTO_ENV)
            for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
                os.environ.pop(name, None)
            endpoint: str = self._stack.enter_context(moto_s3(S3_BUCKET))
            os.environ["AWS_ENDPOINT_URL"] = endpoint  # botocore 1.31 and newer
            # botocore before 1.31 (as s3fs 2023.1 has) ignores AWS_ENDPOINT_URL: fsspec's
            # configuration gives every S3 filesystem of the run the endpoint instead.
            import fsspec.config

            s3_conf = fsspec.config.conf.setdefault("s3", {})
            s3_conf.setdefault("client_kwargs", {})["endpoint_url"] = endpoint
            return endpoint

        result: str = self._get("s3", start)
        return result

    def connect(self) -> Any:
        """The Connect emulator (a :class:`pins.testing.ConnectServer`)."""

        def start() -> Any:
            from pins.testing import ConnectServer

            server = self._stack.enter_context(ConnectServer(users=CONNECT_USERS))
            os.environ["CONNECT_SERVER"] = server.url
            return server

        return self._get("connect", start)

    def http_folder(self, root: Path) -> str:
        """The URL of ``root`` served over HTTP, without a trailing slash."""

        def start() -> str:
            server = self._stack.enter_context(contextmanager(_serve)(root))
            url: str = server.url
            return url.rstrip("/")

        result: str = self._get(f"http:{root}", start)
        return result

    def close(self) -> None:
        self._stack.close()
        self._started.clear()


def _serve(root: Path) -> Iterator[Any]:
    yield from serve_folder(root)


SERVERS = Servers()
