""":func:`board_deparse`: the Python text of the constructor call that makes a board.

The text names the place (folder, server, URL, bucket, repository) and the options that
change what the board does (``versioned=False``, ``allow_pickle_read``, ``frame``), never a
secret:
a Posit Connect board comes back without its API key (``CONNECT_API_KEY`` supplies it),
an object store without its credentials. :func:`pins.board_from_uri` makes the board
again from it (reading the call with :mod:`ast`, never running it), and so do
``PINS_BOARD`` and the command line's ``--board``::

    import pins
    board = pins.board_from_uri(pins.board_deparse(old_board))
"""

from __future__ import annotations

from typing import Any

from ..errors import PinsArgumentError
from .base import Board

__all__ = ["board_deparse"]


def _call(function: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{function}({', '.join(parts)})"


def board_deparse(board: Board) -> str:
    """The text of a call that makes a board equivalent to ``board``.

    Examples
    --------
    >>> import pins
    >>> pins.board_deparse(pins.board_folder("/data/pins", allow_pickle_read=True))
    "board_folder('/data/pins', allow_pickle_read=True)"
    >>> pins.board_deparse(pins.board_connect("https://connect.example.com", api_key="k"))
    "board_connect(server_url='https://connect.example.com')"
    """
    from ._url_paths import without_credentials
    from .connect import ConnectBoard
    from .folder import FolderBoard
    from .fsspec_board import FsspecBoard
    from .url import UrlBoard

    options: dict[str, Any] = {}
    if not board.versioned and not isinstance(board, UrlBoard):
        options["versioned"] = False
    if board.allow_pickle_read is not None:
        options["allow_pickle_read"] = board.allow_pickle_read
    if board.frame != "pandas":
        options["frame"] = board.frame
    if isinstance(board, FolderBoard):
        return _call("board_folder", (str(board.path),), options)
    if isinstance(board, ConnectBoard):
        if board.access_type is not None:
            options["access_type"] = board.access_type
        return _call("board_connect", (), {"server_url": board.api.server, **options})
    if isinstance(board, UrlBoard):
        args: tuple[Any, ...] = (board.public_url,)
        if board.pin_paths is not None:
            args += ({k: without_credentials(v) for k, v in board.pin_paths.items()},)
        return _call("board_url", args, options)
    if isinstance(board, FsspecBoard) and board.recipe is not None:
        function, args, kwargs = board.recipe
        return _call(function, args, {**kwargs, **options})
    raise PinsArgumentError(
        f"board_deparse cannot write a call that makes {board!r} again: it was built from a "
        "filesystem object, not from a URL or a constructor of pins."
    )
