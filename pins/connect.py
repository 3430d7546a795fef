"""The 0.1 API, kept working: ``import pins.connect as pc``.

The first Python pins package (0.1.x) read pins from Posit Connect with one function,
``pc.pin_read(server, api_key, "owner/name")``. It is kept here as a thin layer over
:func:`pins.board_connect`, so it reads every pins v1 pin of every supported type, uses
the cache, and never shows the API key. New code should use the board::

    board = pins.board_connect(server, api_key=api_key)
    board.pin_read("owner/name")

The exceptions the 0.1 module exposed keep their names, so that ``except
pc.PinURLNotFoundError:`` still works; each is a subclass of the matching
:class:`~pins.errors.PinsError`, so new code can catch those instead:

=============================  ==========================================================
0.1 name                       raised when (subclass of)
=============================  ==========================================================
``NotAValidConnectServerError`` the server cannot be reached (``PinsConnectionError``)
``APIKeyNotValidError``         the server refused the key, or access (``PinsAuthError``)
``PinURLNotFoundError``         no such pin (``PinNotFoundError``)
``VersionMismatchError``        the data.txt is not pins metadata (``PinsMetadataError``)
``SupportedTypeError``          a pin type pins cannot read (``PinsTypeError``)
``AmbiguousUsernameError``      never: owners are matched exactly (``PinsError``)
=============================  ==========================================================

The 0.1 module's private helpers (``_is_connect_url``, ``_get_user_guid``, ...) are not
kept: they were never public and they encoded the 0.1 request sequence.

Importing this module is cheap: the board, ``requests`` and ``pandas`` are imported by
the first call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .errors import (
    PinNotFoundError,
    PinsAuthError,
    PinsConnectionError,
    PinsError,
    PinsMetadataError,
    PinsMissingDependencyError,
    PinsOfflineError,
    PinsTypeError,
)

__all__ = [
    "APIKeyNotValidError",
    "AmbiguousUsernameError",
    "NotAValidConnectServerError",
    "PinURLNotFoundError",
    "SupportedTypeError",
    "VersionMismatchError",
    "pin_read",
]


class NotAValidConnectServerError(PinsConnectionError):
    """The Posit Connect server could not be reached (the 0.1 name)."""


class APIKeyNotValidError(PinsAuthError):
    """The server refused the API key, or refused access to the pin (the 0.1 name)."""


class PinURLNotFoundError(PinNotFoundError):
    """There is no pin of that name that the key can see (the 0.1 name)."""


class VersionMismatchError(PinsMetadataError):
    """The pin's data.txt is not pins metadata that can be read (the 0.1 name)."""


class SupportedTypeError(PinsTypeError):
    """The pin's type cannot be read by this package (the 0.1 name)."""


class AmbiguousUsernameError(PinsError):
    """Kept for ``except`` clauses written for 0.1; never raised, because owners are
    matched by their exact username."""


def pin_read(
    server: str | None, api_key: str | None, pin_name: str, meta_only: bool = False
) -> Any:
    """Read a pin from Posit Connect (the 0.1 API).

    The same as ``pins.board_connect(server, api_key=api_key).pin_read(pin_name)``, or
    ``.pin_meta(pin_name)`` as a plain dict with ``meta_only=True``.

    Parameters
    ----------
    server
        The Connect server, e.g. ``https://connect.example.com``; ``CONNECT_SERVER`` when
        ``None``.
    api_key
        The API key; ``CONNECT_API_KEY`` when ``None``. It is sent to the server only.
    pin_name
        ``"owner/name"``; a bare ``"name"`` means a pin of the key's own user.
    meta_only
        Return the latest version's metadata instead of its data.

    Returns
    -------
    Any
        The data of the latest version, as the pin type's driver reads it: a pandas
        DataFrame for ``csv``, ``parquet``, ``arrow`` and ``table`` pins, the JSON value
        for ``json`` pins, and so on. With ``meta_only=True`` a dict of the data.txt
        fields: ``file``, ``file_size``, ``pin_hash``, ``type``, ``title``,
        ``description``, ``created``, ``api_version``, ``user`` and, where present,
        ``tags``, ``urls`` and any other field the writer recorded.

    Raises
    ------
    PinURLNotFoundError
        No pin of that name is visible to the key.
    APIKeyNotValidError
        The server refused the key (or access to the pin).
    NotAValidConnectServerError
        The server could not be reached and nothing is cached.
    VersionMismatchError
        The pin's data.txt is not pins metadata (a pin made by the legacy
        :func:`pins.pin_rsconnect` is read with :func:`pins.pin_get_rsconnect`).
    SupportedTypeError
        The pin's type has no reader.
    PinsError
        Any other failure, e.g. :class:`~pins.errors.PinsNameError` for a bad name.

    Examples
    --------
    >>> import pins.connect as pc
    >>> pc.pin_read("https://connect.example.com", key, "susan/penguins")  # doctest: +SKIP
         species     island  bill_length_mm  ...
    """
    from .boards import board_connect

    with _as_01_errors():
        board = board_connect(server, api_key=api_key)
        if meta_only:
            meta = board.pin_meta(pin_name)
            fields = meta.to_pin_dict()
            if meta.is_legacy:  # a v0 data.txt has no api_version; do not invent one
                fields.pop("api_version", None)
            return fields
        return board.pin_read(pin_name)


@contextmanager
def _as_01_errors() -> Iterator[None]:
    """Raise the 0.1 exception that matches a PinsError, keeping its message and cause."""
    try:
        yield
    except PinNotFoundError as exc:
        raise PinURLNotFoundError(str(exc)) from exc
    except PinsAuthError as exc:
        raise APIKeyNotValidError(str(exc)) from exc
    except PinsConnectionError as exc:
        raise NotAValidConnectServerError(str(exc)) from exc
    except PinsOfflineError as exc:
        if isinstance(exc.__cause__, PinsConnectionError):  # unreachable, nothing cached
            raise NotAValidConnectServerError(str(exc)) from exc
        raise
    except PinsMetadataError as exc:
        raise VersionMismatchError(
            f"{exc} (a pin made by the legacy pins.pin_rsconnect() is read with "
            "pins.pin_get_rsconnect(content_url, api_key))"
        ) from exc
    except PinsMissingDependencyError:
        raise  # it says what to install; keep it an ImportError
    except PinsTypeError as exc:
        raise SupportedTypeError(str(exc)) from exc
