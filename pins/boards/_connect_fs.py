"""``board.fs`` of a Posit Connect board: what pins-python's Connect filesystem offered
that scripts read, and no more (:class:`ConnectContentView`).

pins-python builds its Connect board over an fsspec filesystem of content items, so its
users could ask ``board.fs.protocol`` (``"rsc"``) and ``board.fs.info("owner/name")``
(the content item: ``guid``, ``title``, ``access_type``, ``content_url``,
``dashboard_url``, ...). A pin here is a content item, not a path, so there is no
filesystem: files are read and written through the board's pin methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .connect import ConnectBoard

__all__ = ["ConnectContentView"]


class ConnectContentView:
    """The content items of a Connect board's pins, read-only."""

    #: pins-python's protocol name of Posit Connect (formerly RStudio Connect).
    protocol = "rsc"

    def __init__(self, board: ConnectBoard) -> None:
        self._board = board

    def __repr__(self) -> str:
        return f"ConnectContentView({self._board.api.server!r})"

    def info(self, path: str) -> dict[str, Any]:
        """The content item of the pin ``path`` (``owner/name``, or a name of the key's own
        user), as Connect describes it.

        Raises
        ------
        PinNotFoundError
            No such pin.
        """
        board = self._board
        name = board._validate_name(path)
        content = board._content(name)
        if content is None:
            raise board._not_found(name)
        return dict(content)
