"""The file operations under the cache (:mod:`pins._cache_store`): its one error border
(:func:`os_errors`), what a folder vanishing under a write looks like
(:class:`CacheVanished`, :func:`settled`), and streaming bytes into a file.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

import xxhash

from .errors import PinsCacheError, PinsError
from .hashing import CHUNK_SIZE

__all__ = [
    "UNUSABLE",
    "CacheVanished",
    "cache_error",
    "chunks_of",
    "os_errors",
    "read_or_none",
    "settled",
    "touch",
    "write_all",
]

T = TypeVar("T")

#: The failures of a cache that cannot be written at all: read-only, no space, a quota.
UNUSABLE = frozenset(
    {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
)


class CacheVanished(PinsCacheError):
    """A folder of the cache vanished while it was written (another process's
    ``cache_prune`` removed the version): what was put is not cached."""


#: What an OSError is when a folder vanished under a write.
_VANISHING = (FileNotFoundError, FileExistsError)


@contextlib.contextmanager
def os_errors(what: str) -> Iterator[None]:
    """Turn an :class:`OSError` into :class:`PinsCacheError`, the one border of the cache
    (a :class:`~pins.errors.PinsError` passes unchanged)."""
    try:
        yield
    except PinsError:
        raise
    except OSError as exc:
        kind = CacheVanished if isinstance(exc, _VANISHING) else PinsCacheError
        raise kind(
            f"The pins cache could not {what}: {exc}. Check PINS_CACHE_DIR and its "
            "permissions and free space."
        ) from exc


def settled(step: Callable[[], T]) -> T:
    """``step()``, tried again when a folder it works in vanished meanwhile (a
    ``cache_prune`` in another process removed the version)."""
    for _ in range(3):
        with contextlib.suppress(*_VANISHING):
            return step()
    return step()


def touch(path: Path) -> None:
    """Mark a version as used now; best effort (a read-only cache still serves)."""
    with contextlib.suppress(OSError):
        path.touch()


def read_or_none(path: Path) -> bytes | None:
    """The bytes of a file, or None when it does not exist."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def cache_error(error: OSError, path: Path) -> PinsCacheError:
    """The :class:`PinsCacheError` of a failure to write ``path`` (chained)."""
    try:
        with os_errors(f"write {path}"):
            raise error
    except PinsCacheError as exc:
        return exc
    raise AssertionError("unreachable")  # pragma: no cover


def write_all(out: IO[bytes], chunks: Iterator[bytes]) -> tuple[str, tuple[OSError, bytes] | None]:
    """Write chunks to an unbuffered file; return their xxh64, and when a write failed,
    the error and the bytes of the chunk not written (the file holds what was)."""
    hasher = xxhash.xxh64()
    for chunk in chunks:
        hasher.update(chunk)
        view = memoryview(chunk)
        while view:
            try:
                view = view[out.write(view) or 0 :]
            except OSError as exc:
                return "", (exc, bytes(view))
    return str(hasher.hexdigest()), None


def chunks_of(source: str | os.PathLike[str] | bytes | Iterable[bytes]) -> Iterator[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            yield from iter(lambda: handle.read(CHUNK_SIZE), b"")
    else:
        yield from (chunk for chunk in source if chunk)
