"""When pins shows a progress bar, and the thin wrappers that transfers put around their
bytes.

A bar (tqdm, on standard error) is shown for an upload, a download or a hash of more
than :data:`MIN_BYTES`, and only when standard error is a terminal, so that logs and
pipes stay clean. ``PINS_PROGRESS=1`` shows the bars even when it is not a terminal,
``PINS_PROGRESS=0`` never (the command line's ``--quiet`` sets it). Each wrapper gives
back what it was handed, untouched, when no bar is due.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from . import config

if TYPE_CHECKING:
    from fsspec.callbacks import Callback
    from tqdm import tqdm

__all__ = ["MIN_BYTES", "chunks", "enabled", "fsspec_callback", "reading"]

#: Transfers of this many bytes or fewer show no bar: they are over before it would help.
MIN_BYTES = 10 * 2**20


def enabled(total: int | None) -> bool:
    """Whether a transfer of ``total`` bytes (None: unknown) shows a bar."""
    forced = config.progress()
    if forced is False or total is None or total <= MIN_BYTES:
        return False
    return forced is True or _stderr_is_terminal()


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced by an object without isatty, or closed
        return False


def _bar(total: int, desc: str) -> tqdm[Any]:
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        file=sys.stderr,
        dynamic_ncols=True,
        mininterval=0.2,
    )


def chunks(source: Iterable[bytes], total: int | None, desc: str) -> Iterable[bytes]:
    """``source`` (chunks of bytes, ``total`` in all), counted by a bar when one is due."""
    if not enabled(total):
        return source
    assert total is not None
    return _counted(source, total, desc)


def _counted(source: Iterable[bytes], total: int, desc: str) -> Iterator[bytes]:
    with _bar(total, desc) as bar:
        for chunk in source:
            bar.update(len(chunk))
            yield chunk


class _Reading:
    """A file opened for reading whose reads move a bar; ``len()`` is its size, so that
    an HTTP client still sends a ``Content-Length``."""

    def __init__(self, handle: IO[bytes], total: int, bar: tqdm[Any]) -> None:
        self._handle, self._total, self._bar = handle, total, bar

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._bar.update(len(data))
        return data

    def __len__(self) -> int:
        return self._total


@contextmanager
def reading(handle: IO[bytes], total: int, desc: str) -> Iterator[IO[bytes]]:
    """``handle`` for an upload of ``total`` bytes; its reads move a bar when one is due."""
    if not enabled(total):
        yield handle
        return
    with _bar(total, desc) as bar:
        yield _Reading(handle, total, bar)  # type: ignore[misc]


@contextmanager
def fsspec_callback(desc: str) -> Iterator[Callback]:
    """An fsspec callback for ``put_file``/``get_file``: a bar once the filesystem says
    the size and it is large enough (a local copy, which reports nothing, shows none)."""
    from fsspec.callbacks import Callback

    bars: list[tqdm[Any]] = []

    class _Bar(Callback):  # type: ignore[misc]
        def call(self, *args: Any, **kwargs: Any) -> None:
            if not bars and enabled(self.size):
                bars.append(_bar(int(self.size), desc))
            if bars:
                bars[0].update(int(self.value) - bars[0].n)

    try:
        yield _Bar()
    finally:
        for bar in bars:
            bar.close()
