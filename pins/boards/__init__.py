"""Board constructors: where pins live."""

from __future__ import annotations

import os
import tempfile
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import config
from ..errors import PinsError
from .base import Board
from .folder import FolderBoard

if TYPE_CHECKING:
    import requests

    from ..cache import PinsCache
    from .connect import ConnectBoard
    from .url import UrlBoard

__all__ = [
    "Board",
    "FolderBoard",
    "board",
    "board_azure",
    "board_connect",
    "board_folder",
    "board_fsspec",
    "board_gcs",
    "board_local",
    "board_memory",
    "board_rsconnect",
    "board_s3",
    "board_temp",
    "board_url",
]


def board_folder(
    path: str | os.PathLike[str], versioned: bool = True, allow_pickle_read: bool | None = None
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

    Examples
    --------
    >>> import tempfile
    >>> board = board_folder(tempfile.mkdtemp())
    >>> board.pin_write({"a": 1}, "settings").type
    'json'
    >>> board.pin_read("settings")
    {'a': 1}
    """
    return FolderBoard(path, versioned=versioned, allow_pickle_read=allow_pickle_read)


def board_temp(versioned: bool = True, allow_pickle_read: bool | None = None) -> FolderBoard:
    """A board in a new temporary folder, deleted when the board is garbage-collected
    or the interpreter exits."""
    tmp = tempfile.TemporaryDirectory(prefix="pins-board-")
    board = FolderBoard(tmp.name, versioned=versioned, allow_pickle_read=allow_pickle_read)
    weakref.finalize(board, tmp.cleanup)
    return board


def board_local(versioned: bool = True, allow_pickle_read: bool | None = None) -> FolderBoard:
    """The board in this user's data folder: ``PINS_DATA_DIR``, else the platform's
    user data folder for pins (``~/.local/share/pins`` on Linux)."""
    return FolderBoard(config.data_dir(), versioned=versioned, allow_pickle_read=allow_pickle_read)


_FOLDER_PROTOCOLS = ("file", "local")
_URL_PROTOCOLS = ("http", "https")


def board(
    protocol: str,
    path: str | os.PathLike[str] = "",
    versioned: bool = True,
    cache: Any = None,
    allow_pickle_read: bool | None = None,
    storage_options: dict[str, Any] | None = None,
) -> Board:
    """A board named by protocol and path, as ``pins.board("file", "/data/pins")``.

    Supported protocols: ``file`` and ``local`` (a folder); ``http`` and ``https`` (a
    read-only :func:`board_url`, with ``path`` as its URL, the scheme optional); any
    other fsspec protocol (``s3``, ``gs``, ``abfs``, ``memory``, ...) through
    :func:`board_fsspec`, with ``storage_options`` passed to the filesystem.
    """
    if protocol in _FOLDER_PROTOCOLS:
        where = Path(path) if str(path) else config.data_dir()
        return FolderBoard(where, versioned=versioned, allow_pickle_read=allow_pickle_read)
    if protocol in _URL_PROTOCOLS:
        url = str(path) if "://" in str(path) else f"{protocol}://{path}"
        store = DEFAULT if cache is None else cache
        return board_url(url, cache=store, allow_pickle_read=allow_pickle_read)
    import fsspec

    if protocol in fsspec.available_protocols():
        return board_fsspec(
            f"{protocol}://{path}",
            versioned=versioned,
            cache=DEFAULT if cache is None else cache,
            allow_pickle_read=allow_pickle_read,
            **(storage_options or {}),
        )
    raise PinsError(
        f"Unknown board protocol {protocol!r}; this version of pins supports "
        f"{', '.join(_FOLDER_PROTOCOLS + _URL_PROTOCOLS)} and fsspec's (s3, gs, abfs, "
        "memory, ...)."
    )


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT"


#: The default of ``cache=``: the user's cache folder (``PINS_CACHE_DIR``).
DEFAULT: Any = _Default()


def cache_for(
    board_id: str, cache: PinsCache | str | os.PathLike[str] | None
) -> tuple[PinsCache, tempfile.TemporaryDirectory[str] | None]:
    """The cache a remote board was asked for: the user's (``DEFAULT``), one in a given
    folder, a given :class:`~pins.cache.PinsCache`, or (``None``) a temporary one, which
    is returned too so that :func:`tie_cache` can delete it with the board."""
    from ..cache import PinsCache

    if isinstance(cache, PinsCache):
        return cache, None
    if cache is None:
        tmp = tempfile.TemporaryDirectory(prefix="pins-cache-")
        return PinsCache(board_id, root=tmp.name), tmp
    return PinsCache(board_id, root=None if cache is DEFAULT else cache), None


B = TypeVar("B", bound=Board)


def tie_cache(board: B, tmp: tempfile.TemporaryDirectory[str] | None) -> B:
    """Delete a temporary cache when its board is garbage-collected."""
    if tmp is not None:
        weakref.finalize(board, tmp.cleanup)
    return board


def board_connect(
    server_url: str | None = None,
    versioned: bool = True,
    api_key: str | None = None,
    cache: PinsCache | str | os.PathLike[str] | None = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    session: requests.Session | None = None,
    offline: bool | None = None,
    access_type: str | None = None,
) -> ConnectBoard:
    """A board on a Posit Connect server.

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
    """
    import hashlib

    from ._connect_api import ConnectApi
    from .connect import ConnectBoard

    server = server_url or config.connect_server()
    if not server:
        raise PinsError("No Posit Connect server: pass server_url= or set CONNECT_SERVER.")
    key = api_key if api_key is not None else config.connect_api_key()
    api = ConnectApi(server, key, session=session)
    store, tmp = cache_for(f"connect:{api.server}", cache)
    key_id = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16] if key else "anonymous"
    board = ConnectBoard(
        api,
        store,
        versioned=versioned,
        allow_pickle_read=allow_pickle_read,
        offline=offline,
        access_type=access_type,
        key_id=key_id,
    )
    return tie_cache(board, tmp)


#: The name pins-python and the first pins package used.
board_rsconnect = board_connect


def board_url(
    path: str,
    pin_paths: dict[str, str] | None = None,
    cache: PinsCache | str | os.PathLike[str] | None = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    session: requests.Session | None = None,
    offline: bool | None = None,
) -> UrlBoard:
    """A read-only board served over HTTP(S), such as a board folder on a web server.

    Parameters
    ----------
    path
        The board's URL. Without ``pin_paths`` it must serve ``_pins.yaml``, as
        ``board_folder(...).write_board_manifest()`` writes it.
    pin_paths
        ``{pin name: version folder URL}`` instead of a manifest: each folder (relative
        to ``path`` or absolute, ending in ``/``) holds a ``data.txt``; the pin has that
        one version, named by the folder.
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
    """
    from .url import UrlBoard, board_id

    store, tmp = cache_for(board_id(path), cache)
    board = UrlBoard(
        path,
        pin_paths,
        cache=store,
        allow_pickle_read=allow_pickle_read,
        session=session,
        offline=offline,
    )
    return tie_cache(board, tmp)


# The object-store constructors need DEFAULT, cache_for and tie_cache above.
from .object_stores import (  # noqa: E402
    board_azure,
    board_fsspec,
    board_gcs,
    board_memory,
    board_s3,
)
