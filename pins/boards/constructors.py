"""The board constructors of local folders, Posit Connect and URLs, and ``board()``.

They take pins-python's parameters in pins-python's order, check each argument's kind
(:mod:`pins.boards._args`) and build the board. The object-store constructors are in
:mod:`pins.boards.object_stores`, GitHub and Databricks in :mod:`pins.boards.hosted`.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from .. import config
from ..errors import PinsArgumentError, PinsArgumentTypeError
from ..messages import warn
from ._args import (
    DEFAULT,
    UNSET,
    CacheArg,
    Unset,
    cache_for,
    check_flag,
    check_path,
    check_versioned,
    connect_arguments,
    tie_cache,
    with_frame,
)
from .base import Board
from .folder import FolderBoard

if TYPE_CHECKING:
    import requests

    from .connect import ConnectBoard
    from .url import UrlBoard

__all__ = [
    "board",
    "board_connect",
    "board_folder",
    "board_local",
    "board_rsconnect",
    "board_temp",
    "board_url",
    "board_urls",
]


def board_folder(
    path: str | os.PathLike[str],
    versioned: bool = True,
    allow_pickle_read: bool | None = None,
    *,
    frame: str = "pandas",
) -> FolderBoard:
    """A board in a folder on this machine or a mounted share.

    Parameters
    ----------
    path
        The folder; created on the first write.
    versioned
        Whether writes keep earlier versions by default.
    allow_pickle_read
        Whether joblib pins may be read (they unpickle, which runs code). ``None``
        defers to ``PINS_ALLOW_PICKLE_READ``.
    frame
        The library ``pin_read`` returns tables in when a call does not say:
        ``"pandas"`` (the default), ``"polars"`` or ``"pyarrow"``.

    Examples
    --------
    >>> import tempfile
    >>> board = board_folder(tempfile.mkdtemp())
    >>> board.pin_write({"a": 1}, "settings").type
    'json'
    >>> board.pin_read("settings")
    {'a': 1}
    """
    call = "board_folder(path, versioned, allow_pickle_read, *, frame)"
    board = FolderBoard(
        check_path(path, "path", call),
        versioned=check_versioned(versioned, call),
        allow_pickle_read=check_flag(allow_pickle_read, "allow_pickle_read", call),
    )
    return with_frame(board, frame, call)


def board_temp(
    versioned: bool = True, allow_pickle_read: bool | None = None, *, frame: str = "pandas"
) -> FolderBoard:
    """A board in a new temporary folder, deleted when the board is garbage-collected
    or the interpreter exits. The parameters are :func:`board_folder`'s."""
    call = "board_temp(versioned, allow_pickle_read, *, frame)"
    versioned = check_versioned(versioned, call)
    allow = check_flag(allow_pickle_read, "allow_pickle_read", call)
    tmp = tempfile.TemporaryDirectory(prefix="pins-board-")
    board = FolderBoard(tmp.name, versioned=versioned, allow_pickle_read=allow)
    weakref.finalize(board, tmp.cleanup)
    return with_frame(board, frame, call)


def board_local(
    versioned: bool = True, allow_pickle_read: bool | None = None, *, frame: str = "pandas"
) -> FolderBoard:
    """The board in this user's data folder: ``PINS_DATA_DIR``, else pins-python's
    folder (``~/.local/share/pins-py`` on Linux), so a pins-python user's local pins are
    found. R pins' ``board_local()`` is ``<user data folder>/pins``: point
    ``PINS_DATA_DIR`` there to share it. The parameters are :func:`board_folder`'s."""
    call = "board_local(versioned, allow_pickle_read, *, frame)"
    board = FolderBoard(
        config.data_dir(),
        versioned=check_versioned(versioned, call),
        allow_pickle_read=check_flag(allow_pickle_read, "allow_pickle_read", call),
    )
    return with_frame(board, frame, call)


_FOLDER_PROTOCOLS = ("file", "local")
_URL_PROTOCOLS = ("http", "https")
_CONNECT_PROTOCOLS = ("rsc", "connect")


def board(
    protocol: str,
    path: str | os.PathLike[str] = "",
    versioned: bool = True,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    storage_options: dict[str, Any] | None = None,
    *,
    offline: bool | None = None,
    frame: str = "pandas",
) -> Board:
    """A board named by protocol and path, as ``pins.board("file", "/data/pins")``.

    Supported protocols: ``file`` and ``local`` (a folder); ``http`` and ``https`` (a
    read-only :func:`board_url`, with ``path`` as its URL, the scheme optional); ``rsc``
    (Posit Connect, with ``server_url`` and ``api_key`` in ``storage_options``, as
    pins-python takes them); ``github`` and ``dbc`` (:func:`pins.board_github` and
    :func:`pins.board_databricks`, their arguments in ``storage_options``); any other
    fsspec protocol (``s3``, ``gs``, ``abfs``, ``memory``, ...) through
    :func:`pins.board_fsspec`, with ``storage_options`` passed to the filesystem.

    ``cache`` and ``offline`` are those of the remote board made (a folder needs
    neither: it is never offline); ``frame`` is every board's (:func:`board_folder`).

    Raises
    ------
    PinsArgumentError
        An unknown protocol, or an argument of the wrong kind.

    Examples
    --------
    >>> import tempfile
    >>> board("file", tempfile.mkdtemp()).pin_list()
    []
    >>> board("memory", "/doctest-board", cache=None).pin_list()
    []
    """
    call = "board(protocol, path, versioned, cache, allow_pickle_read, storage_options)"
    versioned = check_versioned(versioned, call)
    allow = check_flag(allow_pickle_read, "allow_pickle_read", call)
    options = dict(storage_options or {})
    common: dict[str, Any] = {
        "cache": cache,
        "allow_pickle_read": allow,
        "offline": offline,
        "frame": frame,
    }
    if protocol in _FOLDER_PROTOCOLS:
        where = Path(path) if str(path) else config.data_dir()
        folder = FolderBoard(where, versioned=versioned, allow_pickle_read=allow)
        return with_frame(folder, frame, call)
    if protocol in _URL_PROTOCOLS:
        url = str(path) if "://" in str(path) else f"{protocol}://{path}"
        return board_url(url, **common)
    if protocol in _CONNECT_PROTOCOLS:
        return board_connect(versioned=versioned, **common, **options)
    from .hosted import board_databricks, board_github

    if protocol == "github":
        return board_github(path=str(path), versioned=versioned, **common, **options)
    if protocol == "dbc":
        return board_databricks(str(path), versioned, **common, **options)
    import fsspec

    from .object_stores import board_fsspec

    if protocol in fsspec.available_protocols():
        return board_fsspec(f"{protocol}://{path}", versioned=versioned, **common, **options)
    raise PinsArgumentError(
        f"Unknown board protocol {protocol!r}; this version of pins supports "
        f"{', '.join(_FOLDER_PROTOCOLS + _URL_PROTOCOLS + _CONNECT_PROTOCOLS)}, github, dbc "
        "and fsspec's (s3, gs, abfs, memory, ...)."
    )


@overload
def board_connect(
    server_url: str | None = None,
    versioned: bool = True,
    api_key: str | None = None,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    session: requests.Session | None = None,
    offline: bool | None = None,
    access_type: str | None = None,
    frame: str = "pandas",
) -> ConnectBoard: ...
@overload
def board_connect(
    server_url: str | None,
    api_key: str,
    /,
    versioned: bool = True,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    session: requests.Session | None = None,
    offline: bool | None = None,
    access_type: str | None = None,
    frame: str = "pandas",
) -> ConnectBoard: ...
def board_connect(
    server_url: str | None = None,
    *args: Any,
    versioned: bool | Unset | None = UNSET,
    api_key: str | Unset | None = UNSET,
    cache: CacheArg | Unset = UNSET,
    allow_pickle_read: bool | Unset | None = UNSET,
    session: requests.Session | None = None,
    offline: bool | None = None,
    access_type: str | None = None,
    frame: str = "pandas",
) -> ConnectBoard:
    """A board on a Posit Connect server (``board_rsconnect`` is the same function).

    Both ``board_rsconnect(server_url, api_key)``, as users of the first pins package
    call it, and pins-python's ``board_connect(server_url, versioned, api_key, cache,
    allow_pickle_read)`` work: a string second is the API key, a bool second is
    ``versioned``. Anything else second is a :class:`~pins.errors.PinsArgumentError`.

    Parameters
    ----------
    server_url
        The server, e.g. ``https://connect.example.com``; ``CONNECT_SERVER`` by default.
    versioned
        Whether writes keep earlier versions by default.
    api_key
        The API key; ``CONNECT_API_KEY`` by default. It is sent to the server only, never
        shown, logged or stored.
    cache
        Where versions read from the server are kept: the user's cache folder by default
        (``PINS_CACHE_DIR``), a folder, a :class:`pins.cache.PinsCache`, or ``None`` for a
        temporary one that lasts as long as the board.
    allow_pickle_read
        Whether joblib pins may be read; ``None`` defers to ``PINS_ALLOW_PICKLE_READ``.
    session
        A ``requests.Session`` to send requests with (retrying by default).
    offline
        Answer from the cache only, never touching the network; ``PINS_OFFLINE`` by default.
        When the server cannot be reached, reads fall back to the cache with a warning
        either way.
    access_type
        For pins this board creates: ``acl`` (the default on Connect), ``logged_in`` or
        ``all``.
    frame
        The library ``pin_read`` returns tables in when a call does not say:
        ``"pandas"`` (the default), ``"polars"`` or ``"pyarrow"``.
    """
    from ._connect_api import ConnectApi
    from .connect import ConnectBoard, check_access_type

    given = {
        "versioned": versioned,
        "api_key": api_key,
        "cache": cache,
        "allow_pickle_read": allow_pickle_read,
    }
    values = connect_arguments(args, given)
    if server_url is not None and not isinstance(server_url, str):
        raise PinsArgumentTypeError(f"server_url must be a string, not {server_url!r}.")
    call = "board_connect(..., offline=...)"
    offline = check_flag(offline, "offline", call)
    server = server_url or config.connect_server()
    if not server:
        raise PinsArgumentError("No Posit Connect server: pass server_url= or set CONNECT_SERVER.")
    key = values["api_key"] if values["api_key"] is not None else config.connect_api_key()
    api = ConnectApi(server, key, session=session)
    store, tmp = cache_for(f"connect:{api.server}", values["cache"], call)
    board = ConnectBoard(
        api,
        store,
        versioned=values["versioned"],
        allow_pickle_read=values["allow_pickle_read"],
        offline=offline,
        access_type=check_access_type(access_type),
    )
    return tie_cache(with_frame(board, frame, "board_connect(..., frame=...)"), tmp)


#: The name pins-python and the first pins package used.
board_rsconnect = board_connect


def board_url(
    path: str,
    pin_paths: Mapping[str, str] | None = None,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    session: requests.Session | None = None,
    offline: bool | None = None,
    frame: str = "pandas",
) -> UrlBoard:
    """A read-only board served over HTTP(S), such as a board folder on a web server.

    Parameters
    ----------
    path
        The board's URL. Without ``pin_paths`` it must serve ``_pins.yaml``, as
        ``board_folder(...).write_board_manifest()`` writes it.
    pin_paths
        ``{pin name: URL}`` instead of a manifest, each relative to ``path`` or
        absolute (with ``path=""``, all absolute). A URL ending in ``/`` is a version
        folder holding a ``data.txt``: the pin has that one version, named by the
        folder. Any other URL is a single file: a pin of type ``file``, for
        :meth:`~pins.boards.base.Board.pin_download`.
    cache
        Where versions are kept: the user's cache folder by default (``PINS_CACHE_DIR``),
        a folder, a :class:`pins.cache.PinsCache`, or ``None`` for a temporary one that
        lasts as long as the board. Versions once read are served without the network.
    allow_pickle_read
        Whether joblib pins may be read; ``None`` defers to ``PINS_ALLOW_PICKLE_READ``.
    session
        A ``requests.Session`` to send requests with (retrying by default).
    offline
        Answer from the cache only, never touching the network; ``PINS_OFFLINE`` by
        default. When the server cannot be reached, the cached list of versions is used
        with a :class:`pins.errors.PinsOfflineWarning` either way.
    frame
        The library ``pin_read`` returns tables in when a call does not say:
        ``"pandas"`` (the default), ``"polars"`` or ``"pyarrow"``.
    """
    from .url import UrlBoard, board_id

    call = "board_url(path, pin_paths, cache, allow_pickle_read)"
    if pin_paths is not None and not isinstance(pin_paths, Mapping):
        raise PinsArgumentTypeError(
            f"pin_paths must be a dict of pin name -> URL, not {pin_paths!r}. The call is {call}."
        )
    allow = check_flag(allow_pickle_read, "allow_pickle_read", call)
    store, tmp = cache_for(board_id(path, pin_paths), cache, call)
    board = UrlBoard(
        path,
        pin_paths,
        cache=store,
        allow_pickle_read=allow,
        session=session,
        offline=check_flag(offline, "offline", call),
    )
    return tie_cache(with_frame(board, frame, call), tmp)


def board_urls(
    path: str,
    pin_paths: Mapping[str, str] | None = None,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    session: requests.Session | None = None,
    offline: bool | None = None,
    frame: str = "pandas",
) -> UrlBoard:
    """Deprecated: the old name of :func:`board_url`, which it calls (with a
    :class:`DeprecationWarning`)."""
    warn(
        "board_urls is deprecated: call board_url, which takes the same arguments.",
        DeprecationWarning,
    )
    return board_url(
        path, pin_paths, cache, allow_pickle_read, session=session, offline=offline, frame=frame
    )
