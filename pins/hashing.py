"""Streaming xxHash64 of pin files, as every pins implementation computes ``pin_hash``."""

from __future__ import annotations

import os
from collections.abc import Sequence

import xxhash

from . import _progress

__all__ = ["CHUNK_SIZE", "combine_hashes", "hash_file", "hash_files"]

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
