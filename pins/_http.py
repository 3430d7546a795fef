"""What every remote board that speaks HTTP shares: the default session, the timeouts,
and what a failure below HTTP means (:func:`transport_errors`).

A server that cannot be reached is found out fast, so that reads fall back to the cache
at once: a connection gets :data:`CONNECT_TIMEOUT` seconds and is not tried again (a
refused or unroutable connection is not transient the way a 503 is); a server that
answers 502, 503 or 504 is asked again, three times at most.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import requests
from requests.adapters import HTTPAdapter
from requests.exceptions import RetryError
from urllib3.util.retry import Retry

from .errors import PinsConnectionError, PinsServerError

__all__ = ["CONNECT_TIMEOUT", "IDEMPOTENT", "TIMEOUT", "retrying_session", "transport_errors"]

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
#: Seconds to wait for a connection to the server.
CONNECT_TIMEOUT = 5.0
#: (connect, read) timeouts in seconds of every request.
TIMEOUT = (CONNECT_TIMEOUT, 60.0)


def retrying_session(
    retries: int = 3,
    methods: Iterable[str] = IDEMPOTENT,
    statuses: Iterable[int] = (502, 503, 504),
) -> requests.Session:
    """A ``requests.Session`` that retries answers with one of ``statuses`` and
    connections lost while reading (of the given methods), with a short exponential
    back-off (0.2 s, 0.4 s, 0.8 s), but not a connection that cannot be made. After the
    last try the last answer is returned, so the caller maps its status to an error;
    ``response.raw.retries.history`` says whether it was retried."""
    retry = Retry(
        total=retries,
        connect=0,
        read=retries,
        status=retries,
        backoff_factor=0.2,
        status_forcelist=tuple(statuses),
        allowed_methods=frozenset(methods),
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@contextmanager
def transport_errors(where: str) -> Iterator[None]:
    """Translate what ``requests`` raises below HTTP: a connection that fails or times out
    is a :class:`~pins.errors.PinsConnectionError` (the server is unreachable), any other
    failure a :class:`~pins.errors.PinsServerError`. HTTP errors (``HTTPError``,
    ``RetryError``) pass, for the board's own border to read their status."""
    try:
        yield
    except (requests.HTTPError, RetryError):
        raise
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise PinsConnectionError(
            f"Cannot reach {where} ({type(exc).__name__}). Check the address and your "
            "network; versions read before are still read from the cache."
        ) from exc
    except requests.RequestException as exc:
        raise PinsServerError(f"The request to {where} failed: {exc}") from exc
