"""What an error raised by a filesystem (the OS, an fsspec filesystem, or botocore under
s3fs) means to a board, and the one border that turns it into a
:class:`~pins.errors.PinsError`: the folder board and the fsspec boards both use it, so
the same failure of the same disk is the same error from ``board_folder(path)`` and
``board_fsspec("file://" + path)``.

=============================================  ============================================
failure                                        error
=============================================  ============================================
a missing file or folder                       the caller's not-found error (a missing pin,
                                               version or file), else as "remote" below
a bucket or container that does not exist      :class:`~pins.errors.PinsRemoteError` (never
                                               "not found": the board is not there at all)
access refused (``PermissionError``, 403)      :class:`~pins.errors.PinsAuthError`
unreachable (``ConnectionError``, timeouts)    :class:`~pins.errors.PinsConnectionError`
the service failed (``EREMOTEIO``, 5xx)        :class:`~pins.errors.PinsServerError`
any other ``OSError`` of a local disk          :class:`~pins.errors.PinsStorageError`
any other error of a remote store              :class:`~pins.errors.PinsRemoteError`
=============================================  ============================================
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from errno import EREMOTEIO
from typing import Any, Literal

from ..errors import (
    PinsAuthError,
    PinsConnectionError,
    PinsError,
    PinsRemoteError,
    PinsServerError,
    PinsStorageError,
)

__all__ = ["Missing", "classify", "fs_border"]

Kind = Literal["missing", "auth", "connection", "server", "remote"]


class Missing(PinsError):
    """Raised by :func:`fs_border` for a missing file when the caller asked to be told
    (``not_found=Missing``): an answer, not an error, to catch right there."""


def classify(exc: BaseException) -> tuple[Kind, int | None] | None:
    """What a filesystem error means (and the HTTP status, when there is one), or None
    for an error that is not the filesystem's (a bug, a KeyboardInterrupt)."""
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return "missing", None
    if isinstance(exc, PermissionError):
        return "auth", None
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return "connection", None
    if isinstance(exc, OSError):
        return ("server", None) if exc.errno == EREMOTEIO else ("remote", None)
    return _classify_botocore(exc)


def _classify_botocore(exc: BaseException) -> tuple[Kind, int | None] | None:
    # botocore can only have raised this if it was imported: no import here
    boto: Any = sys.modules.get("botocore.exceptions")
    if boto is None:
        return None
    if isinstance(exc, (boto.NoCredentialsError, boto.PartialCredentialsError)):
        return "auth", None
    if isinstance(exc, (boto.EndpointConnectionError, boto.ConnectTimeoutError)):
        return "connection", None
    if isinstance(exc, boto.ClientError):
        error = exc.response.get("Error", {}) if isinstance(exc.response, dict) else {}
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = str(error.get("Code", ""))
        if status == 404 or code in ("NoSuchKey", "NoSuchBucket", "404"):
            return "missing", status
        if status in (401, 403) or code in ("AccessDenied", "InvalidAccessKeyId"):
            return "auth", status
        return "server", status or None
    if isinstance(exc, boto.BotoCoreError):
        return "remote", None
    return None


#: The error codes of object stores for a bucket or container that does not exist.
_NO_BUCKET = ("NoSuchBucket", "ContainerNotFound")


def _no_bucket(exc: BaseException) -> bool:
    """Whether a "missing" failure is that of the whole bucket (S3's ``NoSuchBucket``,
    Azure's ``ContainerNotFound``), found along the chain of causes."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        response = getattr(seen, "response", None)
        code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
        if code in _NO_BUCKET or getattr(seen, "error_code", None) in _NO_BUCKET:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@contextmanager
def fs_border(
    where: str, *, local: bool, not_found: Callable[[], PinsError] | None = None
) -> Iterator[None]:
    """Translate filesystem errors into PinsErrors, chaining the original.

    ``where`` says what failed (``"board_folder('/data') could not write ..."``);
    ``local`` tells a local disk from a remote store; ``not_found`` builds the error for
    a missing file (without it a missing file is a failure like any other).
    """
    try:
        yield
    except PinsError:
        raise
    except Exception as exc:
        found = classify(exc)
        if found is None:
            raise
        kind, status = found
        if kind == "missing" and _no_bucket(exc):
            raise PinsRemoteError(
                f"{where}: the bucket (or container) does not exist ({exc}). Check the "
                "board's path and the endpoint."
            ) from exc
        if kind == "missing" and not_found is not None:
            raise not_found() from exc
        if kind == "auth":
            advice = (
                "Check the folder's permissions."
                if local
                else "Check the credentials and the permissions they have on this location."
            )
            raise PinsAuthError(f"{where}: access was refused ({exc}). {advice}") from exc
        if kind == "connection":
            raise PinsConnectionError(
                f"{where}: the storage service cannot be reached ({exc}). Check the "
                "endpoint and your network."
            ) from exc
        if kind == "server":
            raise PinsServerError(f"{where}: the storage service failed ({exc}).", status) from exc
        if local:
            raise PinsStorageError(f"{where}: {exc}") from exc
        raise PinsRemoteError(f"{where}: {exc}") from exc
