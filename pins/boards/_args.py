"""What the board constructors' arguments mean, checked before anything is built.

A positional argument of the wrong kind is never taken silently: a string where
``versioned`` goes would be "true" to Python, and an API key in that place would leave
the board without one. Each check raises :class:`~pins.errors.PinsArgumentError` with
the call that was meant; a value that may be a secret is never shown.

``frame=`` of every constructor is the library ``pin_read`` returns tables in by
default (``"pandas"``, ``"polars"`` or ``"pyarrow"``; keyword-only everywhere).

``cache=`` means the same on every constructor of a remote board (Connect, URL, object
stores, GitHub, Databricks, ``board()``): left out (:data:`DEFAULT`), the user's cache
folder (``PINS_CACHE_DIR``); a folder, a cache there; a :class:`~pins.cache.PinsCache`,
that one; ``None``, a temporary cache that lasts as long as the board.

``board_connect`` (and ``board_rsconnect``, the same function) reads its positional
arguments after ``server_url`` by their kind:

* a bool (or None) second is pins-python's order:
  ``board_connect(server_url, versioned, api_key, cache, allow_pickle_read)``;
* a string second is the API key, as the first pins package's users wrote it:
  ``board_rsconnect(server_url, api_key, versioned, cache, allow_pickle_read)``.
"""

from __future__ import annotations

import enum
import os
import tempfile
import weakref
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, Union

from ..cache import PinsCache
from ..drivers._frames import check_frame
from ..errors import PinsArgumentTypeError

if TYPE_CHECKING:
    from .base import Board

__all__ = [
    "DEFAULT",
    "UNSET",
    "CacheArg",
    "Unset",
    "cache_for",
    "check_flag",
    "check_path",
    "check_versioned",
    "connect_arguments",
    "tie_cache",
    "with_frame",
]


class _Default(enum.Enum):
    """The type of :data:`DEFAULT` (an enum of one member: a typed singleton)."""

    DEFAULT = "DEFAULT"

    def __repr__(self) -> str:
        return "DEFAULT"


#: The default of ``cache=``: the user's cache folder (``PINS_CACHE_DIR``).
DEFAULT: Final = _Default.DEFAULT

#: What ``cache=`` takes (see the module docstring).
CacheArg = Union[PinsCache, str, "os.PathLike[str]", None, Literal[_Default.DEFAULT]]


class _Unset(enum.Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


#: A keyword argument that was not given (to tell it from one given as its default).
UNSET: Final = _Unset.UNSET
#: The type of UNSET.
Unset = Literal[_Unset.UNSET]


def _is_bool(value: object) -> bool:
    """True and False, numpy's included."""
    if isinstance(value, bool):
        return True
    return type(value).__module__ == "numpy" and type(value).__name__ in ("bool_", "bool")


def check_versioned(value: object, call: str) -> bool:
    """``versioned`` as a bool (None means the default, True)."""
    if value is None or value is UNSET:
        return True
    if _is_bool(value):
        return bool(value)
    shown = "a string" if isinstance(value, str) else repr(value)
    raise PinsArgumentTypeError(
        f"versioned must be True or False, not {shown}. The call is {call}; pass the "
        "other arguments by name (api_key=..., cache=...) to be sure where they go."
    )


def check_flag(value: object, name: str, call: str) -> bool | None:
    """An optional flag (``allow_pickle_read``, ``offline``): True, False or None."""
    if value is None or value is UNSET:
        return None
    if _is_bool(value):
        return bool(value)
    shown = "a string" if isinstance(value, str) else repr(value)
    raise PinsArgumentTypeError(
        f"{name} must be True, False or None, not {shown}. The call is {call}."
    )


def check_path(value: object, what: str, call: str) -> str | os.PathLike[str]:
    """A path given as ``str`` or ``os.PathLike``."""
    if isinstance(value, str) or (isinstance(value, os.PathLike) and not _is_bool(value)):
        return value
    raise PinsArgumentTypeError(
        f"{what} must be a path (a string or os.PathLike), not {value!r}. The call is {call}."
    )


def _check_cache(value: object, call: str = "") -> None:
    if value is DEFAULT or value is None or isinstance(value, (str, os.PathLike, PinsCache)):
        return
    raise PinsArgumentTypeError(
        f"cache must be a folder, a pins.cache.PinsCache, None (a temporary cache) or left "
        f"out (the user's cache folder), not {value!r}." + (f" The call is {call}." if call else "")
    )


def cache_for(
    board_id: str, cache: CacheArg, call: str = ""
) -> tuple[PinsCache, tempfile.TemporaryDirectory[str] | None]:
    """The cache a remote board was asked for (see the module docstring); a temporary
    one is returned too, so that :func:`tie_cache` can delete it with the board."""
    _check_cache(cache, call)
    if isinstance(cache, PinsCache):
        return cache, None
    if cache is None:
        tmp = tempfile.TemporaryDirectory(prefix="pins-cache-")
        return PinsCache(board_id, root=tmp.name), tmp
    return PinsCache(board_id, root=None if cache is DEFAULT else cache), None


B = TypeVar("B", bound="Board")


def with_frame(board: B, frame: object, call: str) -> B:
    """The board with its default frame library (``frame=`` of every constructor)."""
    board.frame = check_frame(frame, call)
    return board


def tie_cache(board: B, tmp: tempfile.TemporaryDirectory[str] | None) -> B:
    """Delete a temporary cache when its board is garbage-collected."""
    if tmp is not None:
        weakref.finalize(board, tmp.cleanup)
    return board


_CONNECT_CALLS = (
    "board_connect(server_url, api_key=..., versioned=...), or positionally "
    "board_rsconnect(server_url, api_key) or pins-python's "
    "board_connect(server_url, versioned, api_key, cache, allow_pickle_read)"
)
_PINSPY_ORDER = ("versioned", "api_key", "cache", "allow_pickle_read")
_KEY_FIRST_ORDER = ("api_key", "versioned", "cache", "allow_pickle_read")


def connect_arguments(args: tuple[Any, ...], given: dict[str, Any]) -> dict[str, Any]:
    """Place ``board_connect``'s positional arguments after ``server_url`` by their kind
    (see the module docstring) among the keyword ones (``UNSET`` when not given), and
    check them all. Returns ``versioned``, ``api_key``, ``cache`` and
    ``allow_pickle_read``."""
    values = dict(given)
    if len(args) > len(_PINSPY_ORDER):
        raise PinsArgumentTypeError(
            f"board_connect takes at most 5 positional arguments, not {len(args) + 1}. "
            f"The call is {_CONNECT_CALLS}."
        )
    if args:
        first = args[0]
        if first is None or _is_bool(first):
            order = _PINSPY_ORDER
        elif isinstance(first, str):
            order = _KEY_FIRST_ORDER
        else:
            raise PinsArgumentTypeError(
                "The second argument of board_connect is versioned (True or False) or the "
                f"API key (a string), not a {type(first).__name__}. The call is {_CONNECT_CALLS}."
            )
        for name, value in zip(order, args, strict=False):
            if values[name] is not UNSET:
                raise PinsArgumentTypeError(
                    f"board_connect got {name} twice, by position and by name. The call is "
                    f"{_CONNECT_CALLS}."
                )
            values[name] = value
    key = values["api_key"]
    if key is not UNSET and key is not None and not isinstance(key, str):
        raise PinsArgumentTypeError(
            f"api_key must be a string, not a {type(key).__name__}. The call is {_CONNECT_CALLS}."
        )
    cache = values["cache"]
    _check_cache(DEFAULT if cache is UNSET else cache, _CONNECT_CALLS)
    return {
        "versioned": check_versioned(values["versioned"], _CONNECT_CALLS),
        "api_key": None if key is UNSET else key,
        "cache": DEFAULT if cache is UNSET else cache,
        "allow_pickle_read": check_flag(
            values["allow_pickle_read"], "allow_pickle_read", _CONNECT_CALLS
        ),
    }
