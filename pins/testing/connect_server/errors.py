"""Connect's API errors: a code, an HTTP status and a fixed message (CONNECT_API.md)."""

from __future__ import annotations

import json
from typing import Final

from werkzeug.wrappers import Response

#: code -> (HTTP status, message)
ERRORS: Final[dict[int, tuple[int, str]]] = {
    1: (500, "An internal failure occurred."),
    2: (404, "The requested method or endpoint is not supported."),
    3: (400, "The requested object ID is invalid."),
    4: (404, "The requested object does not exist."),
    5: (
        400,
        "Application name must be between 3 and 64 alphanumeric characters, "
        "dashes, and underscores.",
    ),
    13: (400, "The requested range is invalid."),
    19: (403, "You don't have permission to access this item."),
    20: (403, "You don't have permission to remove this item."),
    21: (403, "You don't have permission to change this item."),
    22: (403, "You don't have permission to perform this operation."),
    24: (401, "The requested operation requires authentication."),
    25: (400, "The parameter is invalid."),
    26: (409, "An object with that name already exists."),
    28: (404, "No application bundle to deploy."),
    30: (
        401,
        "We couldn't log you in with the provided credentials. "
        "Please ask your administrator for assistance.",
    ),
    75: (400, "You may not delete the active bundle for an application"),
    82: (400, "The bundle for deployment must belong to the target application."),
    104: (400, "The content checksum header and body MD5 sum are not equal."),
    117: (400, "Unknown access type."),
    125: (400, "Content-Length cannot be 0."),
    135: (400, "Unable to extract the bundle."),
}


class ApiError(Exception):
    """Raised by a handler; turned into Connect's JSON error answer by the application."""

    def __init__(self, code: int, detail: str | None = None) -> None:
        self.code = code
        self.status, message = ERRORS[code]
        self.message = f"{message} ({detail})" if detail else message
        super().__init__(self.message)

    def response(self) -> Response:
        return error_response(self.code, self.message, self.status)


def error_response(code: int, message: str | None = None, status: int | None = None) -> Response:
    """Connect's error body: ``{"code": ..., "error": ..., "payload": null}``."""
    default_status, default_message = ERRORS[code]
    body = {"code": code, "error": message or default_message, "payload": None}
    return Response(
        json.dumps(body),
        status=status or default_status,
        content_type="application/json",
    )
