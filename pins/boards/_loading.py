"""What can go wrong between a version's data.txt and the object read from its files,
and the one border a driver's (or a scan's) errors cross (:func:`reading_as_type`).

* A file that data.txt lists may be missing: the version is broken, or it vanished
  under the reader (an unversioned write or a prune deleted the version just listed as
  the latest, a ``cache_prune`` the file just found). Both raise :class:`MissingFile`, a
  :class:`~pins.errors.PinsMetadataError`, which the board's read loop tries again
  (:data:`ATTEMPTS` times at most) before letting it through.
* A file that does not hold what its ``type`` says (JSON that does not parse, parquet
  that is not parquet, an rds file ``rdata`` cannot read) makes the driver raise
  whatever its library raises; :func:`reading_as_type` turns that into a
  :class:`~pins.errors.PinsTypeError` naming the pin, the version and the file.

A lazy scan (``pin_scan``) crosses the same border when it is made, and it is made so
that a missing or unreadable file shows there: the files' schema is read at once. What
goes wrong later, while a query runs (a file that vanished or was damaged since, the
store failing mid-read), is raised by polars or pyarrow as they raise it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from ..drivers import Driver
from ..drivers._frames import Frame
from ..errors import PinsError, PinsMetadataError, PinsTypeError
from ..meta import Meta

__all__ = ["ATTEMPTS", "MissingFile", "load_files", "missing_file", "reading_as_type"]

#: How many times a read starts again when what it read vanished under it.
ATTEMPTS = 6


class MissingFile(PinsMetadataError):
    """A file that a version's data.txt lists and the board (or the cache) does not
    hold, at least not any more."""


def missing_file(name: str, version: str, file_name: str, board: object) -> MissingFile:
    """The error for a file that a version's data.txt lists and the board does not hold."""
    return MissingFile(
        f"Pin {name!r} version {version} lists the file {file_name!r}, which is missing "
        f"from {board!r}."
    )


def load_files(driver: Driver, paths: list[Path], meta: Meta, board: object, frame: Frame) -> Any:
    """``driver.load_frame(paths, meta, frame)``, its errors translated (see the module
    docstring).

    ``meta`` is a version's metadata as a board read it (with ``name`` and ``version``).
    """
    with reading_as_type(meta, [p.name for p in paths], board):
        return driver.load_frame(paths, meta, frame)


@contextmanager
def reading_as_type(meta: Meta, file_names: Sequence[str], board: object) -> Iterator[None]:
    """Translate what a library raises while it reads the files ``file_names`` of the
    version ``meta`` (see the module docstring); a PinsError passes as it is."""
    name = meta.name or "?"
    version = meta.version.version if meta.version is not None else "?"
    try:
        yield
    except PinsError:
        raise
    except FileNotFoundError as exc:
        gone = PurePosixPath(str(exc.filename)).name if exc.filename else meta.file_names[0]
        raise missing_file(name, version, gone, board) from exc
    except MemoryError:
        raise
    except Exception as exc:
        files = ", ".join(repr(f) for f in file_names)
        detail = f"{type(exc).__name__}: {exc}"
        raise PinsTypeError(
            f"Pin {name!r} version {version}: {files} cannot be read as type {meta.type!r} "
            f"({detail[:300]}). The file does not hold what its data.txt says, or it is "
            "damaged."
        ) from exc
