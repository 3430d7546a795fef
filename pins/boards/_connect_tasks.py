"""Waiting for a Posit Connect task (a deploy) to finish: long polls, and a pause that
doubles between polls the server answered at once, never a hot loop."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..errors import PinsServerError

__all__ = ["FIRST_POLL_PAUSE", "MAX_POLL_PAUSE", "ConnectTaskFailed", "wait_for_task"]

#: The first pause (seconds) between polls of a deploy task that the server answered at
#: once; it doubles up to MAX_POLL_PAUSE.
FIRST_POLL_PAUSE = 0.05
MAX_POLL_PAUSE = 1.0


class ConnectTaskFailed(PinsServerError):
    """The task finished and failed: what it did is known (a failed deploy changes
    nothing)."""


def wait_for_task(poll: Callable[[int], dict[str, Any]], timeout: float) -> None:
    """Poll a task (``poll(first)`` answers ``GET /v1/tasks/{id}?first=&wait=1``) until it
    finishes; raise :class:`ConnectTaskFailed` if it failed, and a
    :class:`~pins.errors.PinsServerError` if it took over ``timeout`` seconds.

    Each poll asks the server to hold its answer up to a second while the task runs
    (``wait=1``, long polling). A server that answers at once anyway is polled after a
    pause that doubles from :data:`FIRST_POLL_PAUSE` up to :data:`MAX_POLL_PAUSE`
    seconds: never a hot loop, and never a pause after a poll that waited already.
    """
    deadline = time.monotonic() + timeout
    first = 0
    pause = FIRST_POLL_PAUSE
    while True:
        asked = time.monotonic()
        task = poll(first)
        last = task.get("last")
        first = last if isinstance(last, int) and last >= first else first
        if task.get("finished"):
            if task.get("code", 0) != 0 or task.get("error"):
                output = "\n".join(str(line) for line in task.get("output") or [])[-2000:]
                raise ConnectTaskFailed(
                    f"Posit Connect failed to deploy the pin: {task.get('error') or ''}\n"
                    f"{output}".strip()
                )
            return
        now = time.monotonic()
        if now > deadline:
            raise PinsServerError(
                f"Posit Connect did not finish deploying within {timeout:.0f} s "
                f"(task {task.get('id') or ''})."
            )
        rest = min(pause - (now - asked), deadline - now)
        if rest > 0:
            time.sleep(rest)
        pause = min(pause * 2, MAX_POLL_PAUSE)
