"""The addresses of a Posit Connect server and what its answers are: the server URL as
users write it, path segments quoted, and HTML where Connect's API answers JSON."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import requests

from ..errors import PinsArgumentError

__all__ = ["HTML_ANSWER", "is_html", "normalize_server", "q"]

#: What an answer in HTML where Connect answers JSON means.
HTML_ANSWER = "the server answered HTML, not Connect's API: check the URL and the proxy"


def normalize_server(url: str) -> str:
    """The server's address as requests are built on it: no trailing ``/`` and no trailing
    ``/__api__`` (a common ``CONNECT_SERVER`` value). A URL without ``http://`` or
    ``https://`` is a :class:`~pins.errors.PinsArgumentError`."""
    cleaned = url.strip()
    parts = urlsplit(cleaned)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise PinsArgumentError(
            f"The Posit Connect server {url!r} is not an http(s) URL; write it with its "
            "scheme, e.g. 'https://connect.example.com' (CONNECT_SERVER or server_url=)."
        )
    cleaned = cleaned.rstrip("/")
    while cleaned.lower().endswith("/__api__"):
        cleaned = cleaned[: -len("/__api__")].rstrip("/")
    return cleaned


def q(segment: object) -> str:
    """One path segment, URL-quoted (``/``, ``#``, ``%``, ``?`` and spaces included)."""
    return quote(str(segment), safe="")


def is_html(response: requests.Response) -> bool:
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml")
