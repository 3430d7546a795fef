"""The HTTP session every remote board uses by default."""

from __future__ import annotations

from collections.abc import Iterable

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

__all__ = ["IDEMPOTENT", "content_length", "retrying_session"]

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


def retrying_session(retries: int = 3, methods: Iterable[str] = IDEMPOTENT) -> requests.Session:
    """A ``requests.Session`` that retries connection failures and 502/503/504 answers of
    the given methods, with a short exponential back-off (0.2 s, 0.4 s, 0.8 s). After the
    last try the last answer is returned, so the caller maps its status to an error."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=0.2,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset(methods),
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def content_length(response: requests.Response) -> int | None:
    """The size of a response's body as its ``Content-Length`` says, if it says."""
    value = response.headers.get("Content-Length", "")
    return int(value) if value.isdigit() else None
