"""Finding pins across a board and showing where they are: :class:`FindingBoard`
(``pin_exists``, ``pin_list``, ``pin_versions``, ``pin_search`` and ``pin_browse``),
between :class:`~pins.boards._reading.ReadingBoard` and :class:`~pins.boards.base.Board`.

They answer from two hooks, :meth:`FindingBoard._versions_to_read` and
:meth:`FindingBoard._latest_to_read`, through which a remote board answers from its
cache when its server cannot be reached (:mod:`._remote`).
"""

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
from ._reading import ReadingBoard, pin_not_found

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FindingBoard"]


class FindingBoard(ReadingBoard):
    """List, search and browse, over the reading primitives."""

    def _versions_to_read(self, name: str) -> list[Version]:
        """The versions :meth:`pin_versions` and :meth:`pin_exists` report. A remote board
        answers from its cache when its server cannot be reached; writes, pruning and
        deleting call :meth:`_list_versions`, which never does."""
        return self._list_versions(name)

    def _latest_to_read(self) -> dict[str, Version]:
        """The latest versions :meth:`pin_list` and :meth:`pin_search` report (a remote
        board answers from its cache as for :meth:`_versions_to_read`)."""
        return self._latest_versions()

    def pin_exists(self, name: str) -> bool:
        """Whether the board holds a pin of this name (with at least one version).

        Raises
        ------
        PinsNameError
            ``name`` is not a valid pin name on this board.
        PinsStorageError
            The board could not be listed.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write([1], "numbers")
        >>> board.pin_exists("numbers"), board.pin_exists("letters")
        (True, False)
        """
        return self._exists(self._validate_name(name))

    def _exists(self, name: str) -> bool:
        """Whether a pin (its name validated) has a version; a board whose listing of
        pins says so more cheaply (Connect) overrides it."""
        return bool(self._versions_to_read(name))

    def pin_list(self) -> list[str]:
        """The names of every pin on the board, sorted.

        Raises
        ------
        PinsStorageError
            The listing failed (a :class:`PinsAuthError` when access was refused).

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write([1], "b"), board.pin_write([2], "a")
        >>> board.pin_list()
        ['a', 'b']
        """
        return sorted(self._latest_to_read())

    @overload
    def pin_versions(self, name: str, as_df: Literal[True] = ...) -> pd.DataFrame: ...
    @overload
    def pin_versions(self, name: str, as_df: Literal[False]) -> list[Version]: ...
    def pin_versions(self, name: str, as_df: bool = True) -> pd.DataFrame | list[Version]:
        """The versions of a pin, oldest first.

        Returns a DataFrame with the columns ``version``, ``created`` (UTC) and ``hash``,
        or a list of :class:`Version` with ``as_df=False``.

        Raises
        ------
        PinNotFoundError
            The board has no pin of this name.
        PinsNameError
            ``name`` is not a valid pin name on this board.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write({"i": 1}, "cfg"), board.pin_write({"i": 2}, "cfg")
        >>> len(board.pin_versions("cfg"))
        2
        >>> [v.version == board.pin_meta("cfg", v.version).version.version
        ...  for v in board.pin_versions("cfg", as_df=False)]
        [True, True]
        """
        name = self._validate_name(name)
        versions = self._versions_to_read(name)
        if not versions:
            raise pin_not_found(name, self)
        if not as_df:
            return versions
        import pandas as pd

        return pd.DataFrame(
            {
                "version": [v.version for v in versions],
                "created": pd.to_datetime([v.created for v in versions], utc=True),
                "hash": [v.hash for v in versions],
            }
        )

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
        for name, latest in sorted(self._latest_to_read().items()):
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
