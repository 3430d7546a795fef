"""The legacy functions of the first Python pins package (0.1): deprecated.

:func:`pin_rsconnect` published ``data.to_json()`` as the ``data.txt`` of a static content
item on Posit Connect, and :func:`pin_get_rsconnect` read it back. Such a "pin" is not a
pins v1 pin (its data.txt is JSON data, not metadata), so boards cannot read it; both
functions are kept so that old scripts keep working, and warn. New code writes and reads
pins with :func:`pins.board_connect`::

    board = pins.board_connect(server, api_key=api_key)
    board.pin_write(df, "name", type="json", title="Pretty name")
    board.pin_read("owner/name")

Both go through the same Connect client as the board, so failures are
:class:`~pins.errors.PinsError` subclasses and the API key is never shown.
"""

from __future__ import annotations

import html
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from .boards._bundle import content_name_problem, write_archive
from .errors import (
    PinNotFoundError,
    PinsArgumentError,
    PinsMetadataError,
    PinsNameError,
    PinsTypeError,
)
from .messages import warn
from .names import META_FILE

if TYPE_CHECKING:
    from .boards._connect_api import ConnectApi

__all__ = ["pin_get_rsconnect", "pin_rsconnect"]


class SupportsToJson(Protocol):
    """An object with a ``to_json()`` method that returns JSON text, such as a pandas
    DataFrame or Series."""

    def to_json(self) -> Any: ...


def pin_rsconnect(
    data: SupportsToJson,
    pin_name: str,
    pretty_pin_name: str,
    connect_server: str,
    api_key: str | None,
) -> dict[str, str]:
    """Publish ``data.to_json()`` on Posit Connect (deprecated: the 0.1 API).

    The JSON becomes the ``data.txt`` of a static bundle (with an ``index.html`` and a
    ``manifest.json``) of the content item ``pin_name`` of the key's user, created when
    missing and titled ``pretty_pin_name``. The bundle is deployed, and this returns once
    the deploy has finished.

    .. deprecated:: 1.0
        Use ``pins.board_connect(connect_server, api_key=api_key).pin_write(data,
        pin_name, title=pretty_pin_name)``, which makes a pin that every pins client reads.

    Parameters
    ----------
    data
        Any object with a ``to_json()`` method (a pandas DataFrame, for instance).
    pin_name
        The content name: 3 to 64 letters, digits, ``-`` or ``_``.
    pretty_pin_name
        The title shown on Connect.
    connect_server
        The server, e.g. ``https://connect.example.com``.
    api_key
        An API key of a publisher on the server.

    Returns
    -------
    dict
        ``{"dash_url": ..., "content_url": ...}``: the content's dashboard URL, and its
        content URL (what :func:`pin_get_rsconnect` reads).

    Raises
    ------
    PinsNameError
        ``pin_name`` is not a valid Connect content name.
    PinsTypeError
        ``data`` has no ``to_json()`` method, or it returned no text.
    PinsAuthError
        The server refused the key, or the user may not publish.
    PinsError
        Any other failure of the server or the deploy.
    """
    warn(
        "pins.pin_rsconnect() is deprecated and will be removed; use "
        "pins.board_connect(server, api_key=...).pin_write(data, name, title=...) instead.",
        DeprecationWarning,
    )
    problem = content_name_problem(pin_name)
    if problem is not None:
        raise PinsNameError(f"Invalid pin name {pin_name!r}: {problem}.")
    if not isinstance(pretty_pin_name, str):
        raise PinsTypeError(f"pretty_pin_name must be a string, not {type(pretty_pin_name)}.")
    payload = _json_text(data)

    api = _api(connect_server, api_key)
    owner = api.me()
    content = api.find_content(str(owner["guid"]), pin_name)
    if content is None:
        content = api.create_content(pin_name, pretty_pin_name, None, "acl")
    elif content.get("title") != pretty_pin_name:
        content = api.patch_content(str(content["guid"]), title=pretty_pin_name)
    guid = str(content["guid"])
    with tempfile.TemporaryDirectory(prefix="pins-legacy-") as tmp:
        archive = Path(tmp) / "bundle.tar.gz"
        write_archive(archive, {META_FILE: payload}, _page(pretty_pin_name))
        bundle = api.upload_bundle(guid, archive)
    api.deploy(guid, str(bundle["id"]))
    return {"dash_url": str(content["dashboard_url"]), "content_url": str(content["content_url"])}


def pin_get_rsconnect(url: str, api_key: str | None) -> Any:
    """Read back what :func:`pin_rsconnect` published (deprecated: the 0.1 API).

    ``GET <url>/data.txt``, parsed as JSON (always as UTF-8, whatever charset the server
    names).

    .. deprecated:: 1.0
        Use ``pins.board_connect(server, api_key=api_key).pin_read("owner/name")``.

    Parameters
    ----------
    url
        The content URL that :func:`pin_rsconnect` returned (``content_url``, not the
        dashboard URL), e.g. ``https://connect.example.com/content/<guid>/``.
    api_key
        An API key that may view the content (``None`` for public content).

    Returns
    -------
    Any
        The parsed JSON.

    Raises
    ------
    PinNotFoundError
        There is no ``data.txt`` at that URL.
    PinsMetadataError
        The ``data.txt`` there is not JSON (for instance a pins v1 pin, which a board
        reads).
    PinsAuthError
        The server refused the key.
    PinsServerError
        The server answered with a web page (an SSO login page, a proxy): "the server
        answered HTML, not Connect's API: check the URL and the proxy".
    """
    warn(
        "pins.pin_get_rsconnect() is deprecated and will be removed; use "
        "pins.board_connect(server, api_key=...).pin_read('owner/name') instead.",
        DeprecationWarning,
    )
    from .boards._connect_api import ConnectNotFound

    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise PinsArgumentError(f"{url!r} is not an http(s) URL; pass the content_url of the pin.")
    target = url.rstrip("/") + "/" + META_FILE
    api = _api(_server_of(url), api_key)
    try:
        response = api.get_file(target, META_FILE)
    except ConnectNotFound as exc:
        raise PinNotFoundError(
            f"There is no data.txt at {target}. Pass the content_url that pin_rsconnect() "
            "returned, not the dash_url."
        ) from exc
    try:
        return json.loads(response.content)  # bytes: JSON is UTF-8 whatever the charset
    except ValueError as exc:
        raise PinsMetadataError(
            f"The data.txt at {target} is not JSON, so it was not made by pin_rsconnect(). "
            "A pins v1 pin is read with pins.board_connect(...).pin_read('owner/name')."
        ) from exc


def _api(server: str, api_key: str | None) -> ConnectApi:
    from .boards._connect_api import ConnectApi

    return ConnectApi(server, api_key)


def _server_of(url: str) -> str:
    """The server part of a content URL: everything before ``/content/``, or the origin."""
    head, sep, _ = url.partition("/content/")
    if sep:
        return head
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _json_text(data: SupportsToJson) -> bytes:
    to_json = getattr(data, "to_json", None)
    if not callable(to_json):
        raise PinsTypeError(
            f"pin_rsconnect() publishes data.to_json(), and a {type(data).__name__} has no "
            "to_json() method. Use pins.board_connect(...).pin_write() for other objects."
        )
    text = to_json()
    if isinstance(text, str):
        return text.encode("utf-8")
    if isinstance(text, bytes):
        return text
    raise PinsTypeError(
        f"{type(data).__name__}.to_json() returned a {type(text).__name__}, not JSON text."
    )


def _page(title: str) -> str:
    """The index.html of a bundle that :func:`pin_rsconnect` publishes."""
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        '<p>Published by pins.pin_rsconnect(): the data is <a href="data.txt">data.txt</a> '
        "(JSON); read it with pins.pin_get_rsconnect(content_url, api_key).</p>\n"
        "</body></html>\n"
    )
