""":func:`board_from_uri`: one string names any board, for ``PINS_BOARD`` and the
command line's ``--board``; :func:`pins.board_deparse`'s text is one of its forms.

The forms::

    /data/pins, ./pins, ~/pins        a folder (board_folder)
    file:///data/pins                 the same, as a URL
    https://example.org/pins/         a board served over HTTP (board_url, read-only)
    connect:https://connect.example.com   Posit Connect; the key from CONNECT_API_KEY
    connect:                          Posit Connect at CONNECT_SERVER
    s3://bucket/pins                  S3 (board_s3), credentials from AWS's usual places
    gs://bucket/pins, gcs://...       Google Cloud Storage (board_gcs)
    az://container/pins, abfs://...   Azure Blob Storage (board_azure)
    memory://pins                     fsspec's memory filesystem (board_memory)
    github://org/repo/folder          a folder in a GitHub repository (board_github)
    <protocol>://...                  any other fsspec protocol (board_fsspec)
    board_folder('/data/pins')        what board_deparse writes: a constructor call

A URL may end in a query of options: ``versioned``, ``allow_pickle_read`` and
``offline`` (``true``/``false``) and ``frame`` (``pandas``, ``polars`` or ``pyarrow``:
the library tables are read into) for every board, and the non-secret options the
constructor takes (``endpoint_url``, ``profile``, ``project``, ``account_name``, ``sha``,
``access_type`` ...): ``s3://bucket/pins?endpoint_url=http://127.0.0.1:9000&frame=polars``.

A constructor call is read with :mod:`ast`, never evaluated: only the board
constructors of pins, with literal arguments (strings, numbers, booleans, ``None``,
lists and dicts of them), and never a secret. Secrets (API keys, tokens, passwords)
are never part of a board's text, which lands in shell history and CI logs: they come
from the environment (``CONNECT_API_KEY``, ``AWS_ACCESS_KEY_ID``, ``GITHUB_TOKEN``...).
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import PinsArgumentError
from .base import Board

__all__ = ["board_from_uri"]

#: The constructors a board's text may call, as board_deparse writes them.
CONSTRUCTORS = (
    "board_azure",
    "board_connect",
    "board_databricks",
    "board_folder",
    "board_fsspec",
    "board_gcs",
    "board_github",
    "board_local",
    "board_memory",
    "board_rsconnect",
    "board_s3",
    "board_url",
)

#: Where the constructors that are not in :mod:`pins.boards.constructors` live.
_MODULES = {
    "board_azure": "object_stores",
    "board_fsspec": "object_stores",
    "board_gcs": "object_stores",
    "board_memory": "object_stores",
    "board_s3": "object_stores",
    "board_databricks": "hosted",
    "board_github": "hosted",
}

#: How many positional arguments may be given before a secret's place (board_connect's
#: second may be the key, board_github's fourth is the token).
_MAX_POSITIONAL = {"board_connect": 1, "board_rsconnect": 1, "board_github": 3}

_SECRET_NAMES = {"api_key", "key", "token", "account_key", "sas_token", "connection_string"}
_SECRET_PARTS = ("secret", "password", "token", "credential")

_FLAGS = ("versioned", "allow_pickle_read", "offline")
#: Options of every board besides the flags (text values).
_COMMON = ("frame",)
#: URL scheme -> (constructor, options a query may give besides the flags)
_SCHEMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "s3": ("board_s3", ("endpoint_url", "profile", "anon", "requester_pays")),
    "s3a": ("board_s3", ("endpoint_url", "profile", "anon", "requester_pays")),
    "gs": ("board_gcs", ("project", "endpoint_url", "requester_pays")),
    "gcs": ("board_gcs", ("project", "endpoint_url", "requester_pays")),
    "az": ("board_azure", ("account_name", "anon")),
    "abfs": ("board_azure", ("account_name", "anon")),
    "abfss": ("board_azure", ("account_name", "anon")),
    "memory": ("board_memory", ()),
    "file": ("board_folder", ()),
    "http": ("board_url", ()),
    "https": ("board_url", ()),
    "connect": ("board_connect", ("access_type",)),
    "github": ("board_github", ("sha", "username")),
}
#: Options a constructor does not take, though every board has them.
_NOT_TAKEN = {
    "board_memory": ("offline",),
    "board_folder": ("offline",),
    "board_url": ("versioned",),
    "board_github": ("offline",),
}

#: Text that reads as a call (a folder named like one is written ./name(1) or file://).
_CALL = re.compile(r"^\s*[A-Za-z_][\w.]*\s*\(")
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]+):(?P<rest>.*)$", re.DOTALL)
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def board_from_uri(text: str) -> Board:
    """The board a string names: a folder path, a URL, ``connect:<server>`` or the
    text of :func:`pins.board_deparse` (see the module doc for every form).

    Parameters
    ----------
    text
        The board's text, as in ``PINS_BOARD`` or ``pins --board``.

    Raises
    ------
    pins.errors.PinsArgumentError
        The text names no board, calls something that is not a board constructor,
        gives an argument that is not a literal, or gives a secret.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> board = board_from_uri(folder)
    >>> board_from_uri(f"file://{folder}?versioned=false").versioned
    False
    >>> board_from_uri(f"file://{folder}?frame=polars").frame
    'polars'
    >>> import pins
    >>> again = board_from_uri(pins.board_deparse(board))
    >>> pins.board_deparse(again) == pins.board_deparse(board)
    True
    """
    if not isinstance(text, str) or not text.strip():
        raise PinsArgumentError(f"A board's text must be a non-empty string, not {text!r}.")
    text = text.strip()
    if _CALL.match(text):
        function, args, kwargs = parse_call(text)
    else:
        function, args, kwargs = _parse_uri(text)
    return _make(function, args, kwargs, text)


def parse_call(text: str) -> tuple[str, list[Any], dict[str, Any]]:
    """The constructor name and the literal arguments of a board's call text."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise PinsArgumentError(f"{text!r} is not a valid call: {exc.msg}.") from None
    call = tree.body
    if not isinstance(call, ast.Call):
        raise PinsArgumentError(f"{text!r} is not a call of a board constructor.")
    function = _function_name(call.func)
    if function not in CONSTRUCTORS:
        raise PinsArgumentError(
            f"{text!r} does not call a board constructor of pins; the ones allowed are "
            f"{', '.join(CONSTRUCTORS)}."
        )
    args = [_literal(node, text) for node in call.args]
    kwargs: dict[str, Any] = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise PinsArgumentError(f"{text!r}: write each keyword argument out (no **).")
        kwargs[keyword.arg] = _literal(keyword.value, text)
    if len(args) > _MAX_POSITIONAL.get(function, len(args)):
        raise PinsArgumentError(
            f"{text!r}: {function} takes at most {_MAX_POSITIONAL[function]} positional "
            "argument(s) here; a secret (an API key, a token) comes from the environment, "
            "and the other options go by keyword."
        )
    _refuse_secrets(kwargs, text)
    return function, args, kwargs


def _function_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr if node.value.id == "pins" else None
    return None


def _literal(node: ast.expr, text: str) -> Any:
    if isinstance(node, ast.Starred):
        raise PinsArgumentError(f"{text!r}: write each argument out (no *).")
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise PinsArgumentError(
            f"{text!r}: the argument {ast.unparse(node)} is not a literal (a string, number, "
            "True, False, None, or a list or dict of them)."
        ) from None


def _refuse_secrets(options: dict[str, Any], text: str) -> None:
    for key, value in options.items():
        low = str(key).lower()
        if low in _SECRET_NAMES or any(part in low for part in _SECRET_PARTS):
            raise PinsArgumentError(
                f"A board's text never holds a secret, and {text!r} gives {key!r}: set it in "
                "the environment (CONNECT_API_KEY, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN ...) "
                "or in the service's own configuration file."
            )
        if isinstance(value, dict):
            _refuse_secrets(value, text)


def _parse_uri(text: str) -> tuple[str, list[Any], dict[str, Any]]:
    match = _SCHEME.match(text)
    if match is None or len(match["scheme"]) == 1:  # a path (C:\ is a Windows drive)
        return "board_folder", [str(Path(text).expanduser())], {}
    scheme = match["scheme"].lower()
    if scheme == "connect":
        server, options = _split_query(match["rest"], scheme, text)
        return "board_connect", [], ({"server_url": server} if server else {}) | options
    if scheme not in _SCHEMES:
        import fsspec

        if scheme not in fsspec.available_protocols():
            raise PinsArgumentError(
                f"{text!r} names no board: give a folder, a file://, http(s)://, s3://, "
                "gs://, az://, memory:// or github:// URL, connect:<server URL>, or the text "
                "of pins.board_deparse."
            )
        where, options = _split_query(text, scheme, text)
        return "board_fsspec", [where], options
    function = _SCHEMES[scheme][0]
    where, options = _split_query(text, scheme, text)
    if function == "board_url":
        return function, [where], options
    path = urlsplit(where)
    location = unquote(path.netloc + path.path)
    if function == "board_folder":
        return function, [str(Path(location).expanduser())], options
    if function == "board_github":
        org, _, rest = location.partition("/")
        repo, _, folder = rest.partition("/")
        if not org or not repo:
            raise PinsArgumentError(f"{text!r}: a GitHub board is github://org/repo[/folder].")
        return function, [org, repo], ({"path": folder.strip("/")} if folder else {}) | options
    return function, [location], options


def _split_query(where: str, scheme: str, text: str) -> tuple[str, dict[str, Any]]:
    """The URL without its query, and the options of the query, checked."""
    if "?" not in where:
        return where, {}
    base, query = where.split("?", 1)
    function, allowed = _SCHEMES.get(scheme, ("board_fsspec", ()))
    known = tuple(f for f in _FLAGS if f not in _NOT_TAKEN.get(function, ())) + _COMMON + allowed
    options: dict[str, Any] = {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise PinsArgumentError(f"{text!r}: the query {query!r} is not name=value&...") from None
    for name, value in pairs:
        if name not in known:
            raise PinsArgumentError(
                f"{text!r}: {name!r} is not an option of this board's text; the options are "
                f"{', '.join(known)}. Secrets come from the environment."
            )
        options[name] = _option_value(name, value, text)
    return base, options


def _option_value(name: str, value: str, text: str) -> Any:
    if name not in (*_FLAGS, "anon", "requester_pays"):
        return value
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise PinsArgumentError(f"{text!r}: {name} is true or false, not {value!r}.")


def _make(function: str, args: list[Any], kwargs: dict[str, Any], text: str) -> Board:
    module = importlib.import_module(f"{__package__}.{_MODULES.get(function, 'constructors')}")
    constructor: Callable[..., Board] = getattr(module, function)
    try:
        return constructor(*args, **kwargs)
    except TypeError as exc:
        if isinstance(exc, PinsArgumentError):
            raise
        raise PinsArgumentError(f"{text!r}: {exc}.") from None
