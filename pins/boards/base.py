"""The :class:`Board`: the whole pin API, written once over a few storage primitives.

A concrete board stores and lists versions; everything else (names, hashing, the write
order, de-duplication, unversioned replacement, pruning, search, hash checks, pickle
safety) lives here, so every board behaves the same.

The write order is a rule: stage the files, hash them, compare with the latest hash,
build the metadata, commit the new version atomically, and only then delete what an
unversioned write replaced.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from .. import config
from ..drivers import driver_for_write, get_driver
from ..errors import (
    PinNotFoundError,
    PinsError,
    PinsInsecureReadError,
    PinsMetadataError,
    PinsNameError,
    PinsUnsupportedTypeError,
    PinsVersionError,
)
from ..hashing import hash_files
from ..messages import inform
from ..meta import Meta, Version, load_yaml
from ..names import (
    format_created,
    make_version_name,
    parse_created,
    parse_version_name,
    validate_file_name,
    validate_pin_name,
    validate_version,
)
from ._checks import (
    WriteOptions,
    check_hash_arg,
    check_prune_args,
    next_stamp,
    opt_text,
    search_pattern,
    upload_sources,
    verify_files,
    version_id,
    versions_to_prune,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Board", "pin_not_found"]

_log = logging.getLogger("pins")

META_FILE = "data.txt"

#: Written as ``1.0``: pins-python and R read it as 1 (they compare numbers), and the
#: first Python pins package (0.1) reads only the text "1.0".
API_VERSION = 1.0


def pin_not_found(name: str, board: object) -> PinNotFoundError:
    """The error for a pin that a board does not have (worded so that scripts written
    for pins-python, which look for "<name> does not exist", still find it)."""
    return PinNotFoundError(f"Pin {name} does not exist on {board!r}; see board.pin_list().")


class Board(ABC):
    """A place that holds pins. Use a constructor such as :func:`pins.board_folder`.

    Parameters
    ----------
    versioned
        Whether writes keep earlier versions by default.
    allow_pickle_read
        Whether pins that unpickle on read (joblib) may be read. ``None`` defers to the
        ``PINS_ALLOW_PICKLE_READ`` environment variable.
    """

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

    @abstractmethod
    def _store_version(self, name: str, staged: Path, version: str, meta: Meta) -> str:
        """Commit the staged folder (data files plus data.txt) as a new version, all at
        once and without replacing anything; return the id the backend gave it."""

    @abstractmethod
    def _delete_version(self, name: str, version: str) -> None:
        """Remove one version."""

    @abstractmethod
    def _delete_pin(self, name: str) -> None:
        """Remove a pin and every version of it."""

    # ------------------------------------------------------------------ overridable hooks
    def _validate_name(self, name: object) -> str:
        """Check a pin name against this board's rules."""
        return validate_pin_name(name)

    @contextmanager
    def _staging(self, name: str) -> Iterator[Path]:
        """A private, empty folder to stage a version in; removed afterwards."""
        path = Path(tempfile.mkdtemp(prefix="pins-staging-"))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

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
        from ._browse import browse

        return browse(self, name, version, local, open)

    def validate_pin_name(self, name: str) -> None:
        """Raise :class:`~pins.errors.PinsNameError` (a ``ValueError``) unless ``name`` is a
        valid pin name on this board."""
        self._validate_name(name)

    def _browse_url(self, name: str, version: str) -> str:
        """The address of a version for :meth:`pin_browse`; boards with one override it."""
        raise PinsError(f"{self!r} has no address to browse; use local=True for the local copy.")

    # ------------------------------------------------------------------ writing
    def pin_write(
        self,
        x: Any,
        name: str | None = None,
        type: str | None = None,
        title: str | None = None,
        description: str | None = None,
        metadata: dict[str, Any] | None = None,
        versioned: bool | None = None,
        created: datetime | None = None,
        *,
        force_identical_write: bool = False,
        tags: Sequence[str] | None = None,
        urls: Sequence[str] | None = None,
    ) -> Meta:
        """Write an object as a new version of a pin and return its metadata.

        Parameters
        ----------
        x
            The object: a DataFrame, a pyarrow Table, a dict or list, any picklable object.
        name
            The pin's name.
        type
            ``csv``, ``parquet``, ``arrow``, ``json``, ``joblib`` (or a registered type).
            Chosen from the object when omitted: parquet for frames, json for dicts and
            lists, joblib for anything else.
        title, description
            Free text; the title defaults to a short description of the object.
        metadata
            Your own fields, stored under ``user``; plain YAML types only.
        versioned
            Keep the previous versions (defaults to the board's setting, and to True
            for a pin that already has several versions).
        created
            The version's timestamp (naive means local time); now by default.
        force_identical_write
            Write a new version even when the content's hash equals the latest one's.
        tags, urls
            Lists of strings stored with the pin.
        """
        if type == "file":
            raise PinsUnsupportedTypeError(
                "pin_write does not write type='file': pin files as they are with "
                "board.pin_upload(paths, name)."
            )
        name = self._require_name(name)
        title = opt_text(title, "title")
        options = WriteOptions.checked(
            description, metadata, versioned, created, force_identical_write, tags, urls
        )
        driver = driver_for_write(type, x)
        with self._staging(name) as staged:
            stem = name.rsplit("/", 1)[-1]  # Connect names are owner/name
            data_file = validate_file_name(f"{stem}.{driver.extension}")
            driver.save(x, staged / data_file)
            title = title if title is not None else f"{stem}: {driver.describe(x)}"
            return self._commit(name, staged, [data_file], driver.type, title, options)

    def pin_upload(
        self,
        paths: str | Path | Sequence[str | Path],
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        metadata: dict[str, Any] | None = None,
        *,
        versioned: bool | None = None,
        created: datetime | None = None,
        force_identical_write: bool = False,
        tags: Sequence[str] | None = None,
        urls: Sequence[str] | None = None,
    ) -> Meta:
        """Pin files as they are (type ``file``); read them back with :meth:`pin_download`.

        The files keep their names. ``name`` defaults to the first file's name without
        its extension.
        """
        sources, names = upload_sources(paths, self.meta_file)
        name = self._require_name(name if name is not None else sources[0].stem)
        title = opt_text(title, "title")
        options = WriteOptions.checked(
            description, metadata, versioned, created, force_identical_write, tags, urls
        )
        with self._staging(name) as staged:
            for source, file_name in zip(sources, names, strict=True):
                shutil.copyfile(source, staged / file_name)
            what = "a pinned file" if len(names) == 1 else f"{len(names)} pinned files"
            title = title if title is not None else f"{name}: {what}"
            return self._commit(name, staged, names, "file", title, options)

    def _commit(
        self,
        name: str,
        staged: Path,
        files: list[str],
        pin_type: str,
        title: str | None,
        options: WriteOptions,
    ) -> Meta:
        """Hash, de-duplicate, stamp and commit a staged version; then tidy up."""
        pin_hash, _ = hash_files([staged / f for f in files])
        sizes = [(staged / f).stat().st_size for f in files]

        versions = self._list_versions(name)
        latest = self._meta_or_none(name, versions[-1].version) if versions else None
        if latest is not None and latest.pin_hash == pin_hash and not options.force_identical_write:
            inform(
                f"Pin {name!r}: the hash has not changed ({pin_hash[:5]}), nothing stored; "
                f"the latest version is still {version_id(latest)}."
            )
            return latest

        versioned = options.versioned
        if versioned is None:
            versioned = True if len(versions) > 1 else self.versioned
        if not versioned and len(versions) > 1:
            raise PinsVersionError(
                f"Pin {name!r} has {len(versions)} versions, so an unversioned write would "
                "delete them all. Write with versioned=True, prune its versions with "
                "pin_versions_prune(name, n=1), or delete the pin first."
            )

        stamp = next_stamp(options.created, versions, latest)
        meta = Meta(
            title=title,
            description=options.description,
            created=format_created(stamp),
            pin_hash=pin_hash,
            file=files[0] if len(files) == 1 else files,
            file_size=sizes[0] if len(sizes) == 1 else sizes,
            type=pin_type,
            api_version=API_VERSION,
            tags=options.tags,
            urls=options.urls,
            user=options.user,
        )
        (staged / self.meta_file).write_text(meta.to_yaml(), encoding="utf-8")
        new_id = self._store_version(name, staged, make_version_name(stamp, pin_hash), meta)
        inform(f"Pin {name!r}: wrote version {new_id}.")

        if not versioned:  # only now that the new version is committed
            replaced = [old.version for old in versions if old.version != new_id]
            for old_id in replaced:
                self._delete_version(name, old_id)
            if replaced:
                inform(f"Pin {name!r}: deleted version {', '.join(replaced)}, which it replaces.")
        record = self._version_from_id(name, new_id, meta.created, pin_hash)
        return meta.replace(name=name, version=record)

    # ------------------------------------------------------------------ deleting
    def pin_delete(self, names: str | Sequence[str]) -> None:
        """Delete pins with all their versions. Every name is checked before any is deleted."""
        todo = [names] if isinstance(names, str) else list(names)
        checked = [self._validate_name(n) for n in todo]
        for name in checked:
            self._versions(name)  # raises for a pin that does not exist
        for name in checked:
            self._delete_pin(name)

    def pin_version_delete(self, name: str, version: str) -> None:
        """Delete one version of a pin."""
        name = self._validate_name(name)
        version = validate_version(version)
        self._read_meta_text(name, version)  # raises for a version that does not exist
        self._delete_version(name, version)

    def pin_versions_prune(
        self, name: str, n: int | None = None, days: int | float | None = None
    ) -> list[str]:
        """Delete old versions, keeping the ``n`` newest or those from the last ``days``
        days. The newest version is never deleted. Returns the deleted version ids."""
        check_prune_args(n, days)
        name = self._validate_name(name)
        deleted = versions_to_prune(self._versions(name), n, days)
        for version in deleted:
            self._delete_version(name, version)
        if deleted:
            inform(f"Pin {name!r}: deleted {len(deleted)} old version(s): {', '.join(deleted)}.")
        else:
            inform(f"Pin {name!r}: no old versions to delete.")
        return deleted

    # ------------------------------------------------------------------ helpers
    def _require_name(self, name: str | None) -> str:
        if name is None:
            raise PinsNameError("A pin name is required, e.g. board.pin_write(df, 'sales').")
        return self._validate_name(name)

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
