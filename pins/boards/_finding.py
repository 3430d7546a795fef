"""Finding pins across a board and showing where they are: :class:`FindingBoard`
(``pin_search`` and ``pin_browse``), between :class:`~pins.boards._reading.ReadingBoard`
and :class:`~pins.boards.base.Board`."""

from __future__ import annotations

import re
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload
from urllib.parse import urlsplit

from ..errors import PinsArgumentError
from ..messages import inform
from ..meta import Meta, Version
from ._checks import search_pattern, version_id
from ._reading import ReadingBoard

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FindingBoard"]


class FindingBoard(ReadingBoard):
    """Search and browse, over the reading primitives."""

    def _search_meta(self, name: str, latest: Version) -> Meta | None:
        """The metadata :meth:`pin_search` shows for a pin (None: leave it out)."""
        return self._meta_or_none(name, latest.version)

    def _browse_url(self, name: str, version: str) -> str:
        """The address of a version for :meth:`pin_browse`; boards with one override it."""
        raise PinsArgumentError(
            f"{self!r} has no address to browse; use local=True for the local copy."
        )

    @overload
    def pin_search(
        self, search: str | re.Pattern[str] | None = ..., as_df: Literal[True] = ...
    ) -> pd.DataFrame: ...
    @overload
    def pin_search(
        self, search: str | re.Pattern[str] | None, as_df: Literal[False]
    ) -> list[Meta]: ...
    def pin_search(
        self, search: str | re.Pattern[str] | None = None, as_df: bool = True
    ) -> pd.DataFrame | list[Meta]:
        """Pins whose name or title matches ``search`` (a regular expression, matched
        case-insensitively; a string that is not a valid expression matches literally).

        Returns a DataFrame with ``name, type, title, created, file_size, meta``
        (``created`` in UTC, as in :meth:`pin_versions`) or, with ``as_df=False``, the
        list of :class:`Meta`. Pins whose data.txt cannot be read are skipped (and logged).

        Raises
        ------
        PinsStorageError
            The board could not be listed (a pin whose data.txt cannot be read is
            skipped, not raised).

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write([1], "sales", title="Monthly revenue")
        >>> _ = board.pin_write([2], "costs", title="Costs")
        >>> list(board.pin_search("revenue")["name"])
        ['sales']
        """
        pattern = search_pattern(search)
        found: list[Meta] = []
        for name, latest in sorted(self._latest_versions().items()):
            meta = self._search_meta(name, latest)
            if meta is None:
                continue
            if pattern is None or pattern.search(name) or pattern.search(meta.title or ""):
                found.append(meta)
        if not as_df:
            return found
        import pandas as pd

        columns = ["name", "type", "title", "created", "file_size", "meta"]
        rows = [[m.name, m.type, m.title, m.created, m.file_size, m] for m in found]
        frame = pd.DataFrame(rows, columns=columns)
        frame["created"] = pd.to_datetime(frame["created"], utc=True)
        return frame

    def pin_browse(
        self, name: str, version: str | None = None, local: bool = False, *, open: bool = True
    ) -> str:
        """The address of a pin version, opened in the web browser (``open=False``: only
        returned).

        Posit Connect: the content's dashboard (the bundle's own page for an older
        version); a URL board: the version's folder URL; a folder board: the version
        folder (a ``file://`` URL); ``local=True``: the folder of the local copy (the
        cache of a remote board, fetched first if needed).

        Raises
        ------
        PinNotFoundError, PinVersionNotFoundError
            The pin or the version does not exist.
        PinsArgumentError
            The board has no address to browse (an in-memory board): use ``local=True``.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> meta = board.pin_write([1], "numbers")
        >>> url = board.pin_browse("numbers", open=False)
        >>> url.startswith("file://") and url.endswith(meta.version.version)
        True
        """
        meta = self.pin_meta(name, version)
        pin, found = meta.name or name, version_id(meta)
        if local:
            paths = self._fetch_files(pin, found, meta)
            url = Path(paths[0]).resolve().parent.as_uri()
        else:
            url = self._browse_url(pin, found)
        if open:
            if urlsplit(url).scheme in ("http", "https", "file"):
                webbrowser.open(url)
            else:
                inform(
                    f"{url} cannot be opened in a web browser; pin_browse(..., local=True) "
                    "opens the local copy."
                )
        return url
