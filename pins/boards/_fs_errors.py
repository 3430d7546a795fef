"""What an error raised by an fsspec filesystem (or botocore under s3fs) means to a
board: a missing file, refused credentials, an unreachable service, a failing one."""

from __future__ import annotations

import sys
from errno import EREMOTEIO
from typing import Any, Literal

__all__ = ["classify"]

Kind = Literal["missing", "auth", "connection", "server", "remote"]


def classify(exc: BaseException) -> Kind | None:
    """What a filesystem error means: missing, auth, connection, server, remote, or
    None for an error that is not the filesystem's (a bug, a KeyboardInterrupt)."""
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return "missing"
    if isinstance(exc, PermissionError):
        return "auth"
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return "connection"
    if isinstance(exc, OSError):
        return "server" if exc.errno == EREMOTEIO else "remote"
    return _classify_botocore(exc)


def _classify_botocore(exc: BaseException) -> Kind | None:
    # botocore can only have raised this if it was imported: no import here
    boto: Any = sys.modules.get("botocore.exceptions")
    if boto is None:
        return None
    if isinstance(exc, (boto.NoCredentialsError, boto.PartialCredentialsError)):
        return "auth"
    if isinstance(exc, (boto.EndpointConnectionError, boto.ConnectTimeoutError)):
        return "connection"
    if isinstance(exc, boto.ClientError):
        error = exc.response.get("Error", {}) if isinstance(exc.response, dict) else {}
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = str(error.get("Code", ""))
        if status == 404 or code in ("NoSuchKey", "NoSuchBucket", "404"):
            return "missing"
        if status in (401, 403) or code in ("AccessDenied", "InvalidAccessKeyId"):
            return "auth"
        return "server"
    if isinstance(exc, boto.BotoCoreError):
        return "remote"
    return None
