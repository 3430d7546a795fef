"""The reading half of the pin API: :class:`ReadingBoard`, which
:class:`~pins.boards.base.Board` completes with writing and deleting.

A concrete board lists versions, reads a version's data.txt and fetches its files (the
primitives below); names, hash checks, pickle safety, search and browsing live here, so
every board reads the same way.
"""

from __future__ import annotations

import logging
import re
import webbrowser
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import urlsplit

from .. import config
from ..drivers import get_driver
from ..errors import (
    PinNotFoundError,
    PinsError,
    PinsInsecureReadError,
    PinsMetadataError,
)
from ..messages import inform
from ..meta import Meta, Version, load_yaml
from ..names import parse_created, parse_version_name, validate_pin_name, validate_version
from ._checks import check_hash_arg, search_pattern, verify_files, version_id

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["META_FILE", "ReadingBoard", "pin_not_found"]

_log = logging.getLogger("pins")

META_FILE = "data.txt"


def pin_not_found(name: str, board: object) -> PinNotFoundError:
    """The error for a pin that a board does not have (worded so that scripts written
    for pins-python, which look for "<name> does not exist", still find it)."""
    return PinNotFoundError(f"Pin {name} does not exist on {board!r}; see board.pin_list().")


class ReadingBoard(ABC):
    """The reading half of :class:`~pins.boards.base.Board` (whose parameters it takes):
    every board reads through these methods."""

    #: The data.txt file name inside every version.
    meta_file = META_FILE

    def __init__(self, *, versioned: bool = True, allow_pickle_read: bool | None = None) -> None:
        self.versioned = versioned
        self.allow_pickle_read = allow_pickle_read

    # ------------------------------------------------------------------ primitives
    @abstractmethod
    def _list_pins(self) -> list[str]:
        """Names of the pins that have at least one complete version, in any order."""

    @abstractmethod
    def _list_versions(self, name: str) -> list[Version]:
        """The complete versions of a pin, oldest first; ``[]`` when there are none."""

    @abstractmethod
    def _read_meta_text(self, name: str, version: str) -> bytes:
        """The bytes of a version's data.txt; raise :class:`PinVersionNotFoundError`
        (or :class:`PinNotFoundError`) when it does not exist."""

    @abstractmethod
    def _fetch_files(self, name: str, version: str, meta: Meta) -> list[Path]:
        """Local paths of the version's files, in the order of ``meta.file``."""

    # ------------------------------------------------------------------ overridable hooks
    def _validate_name(self, name: object) -> str:
        """Check a pin name against this board's rules."""
        return validate_pin_name(name)

    def _latest_versions(self) -> dict[str, Version]:
        """The latest version of every pin. Boards that can list both at once override it."""
        latest = {}
        for name in self._list_pins():
            versions = self._list_versions(name)
            if versions:
                latest[name] = versions[-1]
        return latest

    def _version_from_id(self, name: str, version: str, created: str, pin_hash: str) -> Version:
        """The :class:`Version` record of a version id, given its data.txt fields.

        Its ``hash`` is the 5-character one of the version's name, as in
        :meth:`pin_versions` (and in pins-python and R); ``Meta.pin_hash`` is the full one.
        """
        try:
            when = parse_created(created)
        except ValueError:
            when = None
        parsed = parse_version_name(version)
        short = parsed[1] if parsed is not None else pin_hash[:5] or None
        return Version(version=version, created=when, hash=short)

    # ------------------------------------------------------------------ reading
    def pin_exists(self, name: str) -> bool:
        """Whether the board holds a pin of this name (with at least one version)."""
        return bool(self._list_versions(self._validate_name(name)))

    def pin_list(self) -> list[str]:
        """The names of every pin on the board, sorted."""
        return sorted(self._list_pins())

    @overload
    def pin_versions(self, name: str, as_df: Literal[True] = ...) -> pd.DataFrame: ...
    @overload
    def pin_versions(self, name: str, as_df: Literal[False]) -> list[Version]: ...
    def pin_versions(self, name: str, as_df: bool = True) -> pd.DataFrame | list[Version]:
        """The versions of a pin, oldest first.

        Returns a DataFrame with the columns ``version``, ``created`` and ``hash``, or
        a list of :class:`Version` with ``as_df=False``.
        """
        versions = self._versions(name)
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

    def pin_meta(self, name: str, version: str | None = None) -> Meta:
        """The metadata of a version (the latest by default)."""
        name = self._validate_name(name)
        version = self._latest(name).version if version is None else validate_version(version)
        data = load_yaml(self._read_meta_text(name, version), f"data.txt of pin {name!r}")
        fields = data if isinstance(data, dict) else {}
        record = self._version_from_id(
            name, version, str(fields.get("created") or ""), str(fields.get("pin_hash") or "")
        )
        return Meta.from_pin_dict(data, name, record)

    def pin_fetch(self, name: str, version: str | None = None) -> Meta:
        """The metadata of a version, with ``local["paths"]`` holding its local files."""
        meta = self.pin_meta(name, version)
        paths = self._fetch_files(meta.name or name, version_id(meta), meta)
        return meta.replace(local={"paths": [str(p) for p in paths]})

    def pin_read(self, name: str, version: str | None = None, hash: str | None = None) -> Any:
        """Read a pin's data back as a Python object.

        Parameters
        ----------
        name
            The pin's name.
        version
            A version id; the latest when omitted.
        hash
            The full ``pin_hash`` or a prefix of it (at least 5 characters). The read
            fails with :class:`PinsHashError` unless the pin has that hash, and the
            files are checked against it.
        """
        meta = self.pin_meta(name, version)
        if hash is not None:
            check_hash_arg(meta, hash)
        driver = get_driver(meta.type)
        if driver.unsafe_read and not config.allow_pickle_read(self.allow_pickle_read):
            raise PinsInsecureReadError(
                f"Pin {meta.name!r} is of type {meta.type!r}, and reading it unpickles data, "
                "which can run arbitrary code. If you trust whoever wrote it, create the "
                "board with allow_pickle_read=True or set PINS_ALLOW_PICKLE_READ=1."
            )
        paths = self._fetch_files(meta.name or name, version_id(meta), meta)
        if hash is not None:
            verify_files(meta, paths)
        return driver.load(paths, meta)

    def pin_download(
        self, name: str, version: str | None = None, hash: str | None = None
    ) -> list[str]:
        """Local paths of a pin's files, for any type (``pin_upload`` pins above all)."""
        meta = self.pin_meta(name, version)
        if hash is not None:
            check_hash_arg(meta, hash)
        paths = self._fetch_files(meta.name or name, version_id(meta), meta)
        if hash is not None:
            verify_files(meta, paths)
        return [str(p) for p in paths]

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

        Returns a DataFrame with ``name, type, title, created, file_size, meta`` or, with
        ``as_df=False``, the list of :class:`Meta`.
        """
        pattern = search_pattern(search)
        found: list[Meta] = []
        for name, latest in sorted(self._latest_versions().items()):
            meta = self._meta_or_none(name, latest.version)
            if meta is None:
                continue
            if pattern is None or pattern.search(name) or pattern.search(meta.title or ""):
                found.append(meta)
        if not as_df:
            return found
        import pandas as pd

        columns = ["name", "type", "title", "created", "file_size", "meta"]
        rows = [[m.name, m.type, m.title, m.created, m.file_size, m] for m in found]
        return pd.DataFrame(rows, columns=columns)

    def pin_browse(
        self, name: str, version: str | None = None, local: bool = False, *, open: bool = True
    ) -> str:
        """The address of a pin version, opened in the web browser (``open=False``: only
        returned).

        Posit Connect: the content's dashboard (the bundle's own page for an older
        version); a URL board: the version's folder URL; a folder board: the version
        folder (a ``file://`` URL); ``local=True``: the folder of the local copy (the
        cache of a remote board, fetched first if needed).
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

    def validate_pin_name(self, name: str) -> None:
        """Raise :class:`~pins.errors.PinsNameError` (a ``ValueError``) unless ``name`` is a
        valid pin name on this board."""
        self._validate_name(name)

    def _browse_url(self, name: str, version: str) -> str:
        """The address of a version for :meth:`pin_browse`; boards with one override it."""
        raise PinsArgumentError(f"{self!r} has no address to browse; use local=True for the local copy.")

    # ------------------------------------------------------------------ helpers
    def _versions(self, name: str) -> list[Version]:
        name = self._validate_name(name)
        versions = self._list_versions(name)
        if not versions:
            raise pin_not_found(name, self)
        return versions

    def _latest(self, name: str) -> Version:
        return self._versions(name)[-1]

    def _meta_or_none(self, name: str, version: str | None = None) -> Meta | None:
        """The metadata, or None when the pin vanished or its data.txt is unreadable."""
        try:
            return self.pin_meta(name, version)
        except PinNotFoundError:
            return None
        except PinsMetadataError as exc:
            _log.warning("Skipping pin %r: %s", name, exc)
            return None
