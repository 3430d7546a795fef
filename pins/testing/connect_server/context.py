"""What every route handler gets and gives: :class:`Ctx` (the request, the state, the
caller) and JSON answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from .errors import ApiError
from .faults import Faults
from .settings import Settings
from .state import State, User

__all__ = ["Ctx", "Handler", "int_arg", "json_response"]

Handler = Callable[..., Response]


@dataclass
class Ctx:
    """What a handler gets: the request, the server's state and settings, and the caller.
    ``base`` is the server's URL (with its path ``prefix``, such as ``/rsc``)."""

    request: Request
    state: State
    faults: Faults
    settings: Settings
    base: str
    max_bundle_size: int | None
    prefix: str = ""
    _user: User | None = field(default=None, init=False)
    _checked: bool = field(default=False, init=False)

    def user(self) -> User | None:
        """The user of the request's key; None without a key; code 30 for an unknown key."""
        if not self._checked:
            header = self.request.headers.get("Authorization", "").strip()
            if header:
                scheme, _, key = header.partition(" ")
                user = self.state.user_by_key(key.strip()) if scheme.lower() == "key" else None
                if user is None:
                    raise ApiError(30)
                self._user = user
            self._checked = True
        return self._user

    def require_user(self) -> User:
        user = self.user()
        if user is None:
            raise ApiError(24)
        return user

    def json_body(self) -> dict[str, Any]:
        try:
            data = json.loads(self.request.get_data(cache=True) or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ApiError(3, "the request body is not a JSON object")
        return data


def int_arg(ctx: Ctx, name: str, default: int, low: int, high: int | None = None) -> int:
    """An integer query parameter; one that is not a number or is outside ``low`` to ``high``
    is an error (code 25), as on Connect: never clamped."""
    raw = ctx.request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(25, f"{name}={raw!r} is not a number") from None
    if value < low or (high is not None and value > high):
        limit = f"{low} to {high}" if high is not None else f"at least {low}"
        raise ApiError(25, f"{name}={value} is outside {limit}")
    return value


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")
