"""Streaming xxHash64 of pin files, as every pins implementation computes ``pin_hash``:
of a file on disk, or of bytes as they are written (:class:`HashingWriter`), so a file
written as a stream is hashed without being read again."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from typing import BinaryIO, TypeGuard

import xxhash

from . import _progress

__all__ = [
    "CHUNK_SIZE",
    "HashingWriter",
    "combine_hashes",
    "copy_hashed",
    "hash_file",
    "hash_files",
    "pin_hash_of",
]

CHUNK_SIZE = 1 << 20  # 1 MiB: the file is never held in memory whole


def hash_file(path: str | os.PathLike[str]) -> str:
    """The xxh64 (seed 0) of a file's bytes as 16 lowercase hex characters.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_bytes(b"hello")
    >>> hash_file(p)
    '26c7827d889f6da3'
    """
    hasher = xxhash.xxh64()
    with open(path, "rb") as handle:
        chunks = iter(lambda: handle.read(CHUNK_SIZE), b"")
        size = os.fstat(handle.fileno()).st_size
        for chunk in _progress.chunks(chunks, size, f"hash {os.path.basename(path)}"):
            hasher.update(chunk)
    return str(hasher.hexdigest())


def combine_hashes(digests: Sequence[str]) -> str:
    """The hash of a multi-file pin: xxh64 of the files' hex digests joined (utf-8).

    This is pins-python's scheme; R combines differently, so a multi-file hash
    written elsewhere is treated as opaque.
    """
    if len(digests) == 1:
        return digests[0]
    return str(xxhash.xxh64("".join(digests).encode("utf-8")).hexdigest())


def hash_files(paths: Sequence[str | os.PathLike[str]]) -> tuple[str, list[str]]:
    """The pin hash of some files and each file's own hash."""
    digests = [hash_file(p) for p in paths]
    return combine_hashes(digests), digests


def pin_hash_of(paths: Sequence[str | os.PathLike[str]], known: Sequence[str | None]) -> str:
    """The pin hash of some files, given the xxh64 of those already hashed as they were
    written (None, or anything that is not 16 lowercase hex characters: hashed here).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_bytes(b"hello")
    >>> pin_hash_of([p], [None]) == pin_hash_of([p], [hash_file(p)]) == hash_file(p)
    True
    """
    given = list(known) + [None] * (len(paths) - len(known))
    return combine_hashes(
        [
            digest if _is_digest(digest) else hash_file(path)
            for path, digest in zip(paths, given, strict=True)
        ]
    )


def _is_digest(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and re.fullmatch("[0-9a-f]{16}", value) is not None


class HashingWriter(io.RawIOBase):
    """A binary file open for writing that hashes every byte written to it.

    Give it to a writer that takes a file object (pyarrow's Parquet and IPC writers);
    :meth:`hexdigest` is then the xxh64 of the file, as :func:`hash_file` would say.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with HashingWriter(open(p, "wb")) as out:
    ...     _ = out.write(b"hel") + out.write(b"lo")
    >>> out.hexdigest() == hash_file(p)
    True
    """

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self._hasher = xxhash.xxh64()
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(data).cast("B")
        self._hasher.update(view)
        self._raw.write(view)
        self._written += len(view)
        return len(view)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        if not self._raw.closed:
            self._raw.flush()

    def close(self) -> None:
        if not self.closed:
            try:
                self._raw.close()
            finally:
                super().close()

    def hexdigest(self) -> str:
        """The xxh64 of every byte written so far, as 16 lowercase hex characters."""
        return str(self._hasher.hexdigest())


def copy_hashed(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> str:
    """Copy a file, hashing its bytes on the way: one read of the source, never held in
    memory whole. Returns the xxh64 of the bytes copied.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a").write_bytes(b"hello")
    >>> copy_hashed(folder / "a", folder / "b"), (folder / "b").read_bytes()
    ('26c7827d889f6da3', b'hello')
    """
    with open(source, "rb") as src, HashingWriter(open(target, "wb")) as out:
        chunks = iter(lambda: src.read(CHUNK_SIZE), b"")
        size = os.fstat(src.fileno()).st_size
        for chunk in _progress.chunks(chunks, size, f"hash {os.path.basename(source)}"):
            out.write(chunk)
        return out.hexdigest()
