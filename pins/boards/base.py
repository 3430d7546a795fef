"""The :class:`Board`: the whole pin API, written once over a few storage primitives
(reading is :class:`~pins.boards._reading.ReadingBoard`, listing, searching and
browsing :class:`~pins.boards._finding.FindingBoard`, deleting
:class:`~pins.boards._deleting.DeletingBoard`; writing is here).

A concrete board stores and lists versions; everything else (names, hashing, the write
order, de-duplication, unversioned replacement, pruning, search, hash checks, pickle
safety, refusing writes on a read-only board) lives here, so every board behaves the
same.

The write order is a rule: stage the files, hash them, compare with the latest hash,
build the metadata, commit the new version atomically, and only then delete what an
unversioned write replaced. An unversioned write converges: once its version is
committed it lists the pin again and deletes every version but the latest, so that a
writer that crashed before deleting, or several writing at once, still leave one
version (the latest wins, whoever wrote it).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from .._files import temp_folder
from ..drivers import as_stream, driver_for_write
from ..errors import PinsNameError, PinsUnsupportedTypeError
from ..hashing import copy_hashed, pin_hash_of
from ..messages import inform
from ..meta import Meta
from ..names import META_FILE, make_version_name, validate_file_name
from ._checks import WriteOptions, next_stamp, opt_text, upload_sources, version_id
from ._deleting import DeletingBoard
from ._reading import pin_not_found
from ._scanning import ScanningBoard

__all__ = ["Board", "pin_not_found"]

#: Written as ``1.0``: pins-python and R read it as 1 (they compare numbers), and the
#: first Python pins package (0.1) reads only the text "1.0".
API_VERSION = 1.0


class Board(DeletingBoard, ScanningBoard):
    """A place that holds pins. Use a constructor such as :func:`pins.board_folder`.

    Parameters
    ----------
    versioned
        Whether writes keep earlier versions by default.
    allow_pickle_read
        Whether pins that unpickle on read (joblib) may be read. ``None`` defers to the
        ``PINS_ALLOW_PICKLE_READ`` environment variable.
    """

    # ------------------------------------------------------------------ primitives
    @abstractmethod
    def _store_version(self, name: str, staged: Path, version: str, meta: Meta) -> str:
        """Commit the staged folder (data files plus data.txt) as a new version, all at
        once and without replacing anything; return the id the backend gave it."""

    # ------------------------------------------------------------------ overridable hooks
    @contextmanager
    def _staging(self, name: str) -> Iterator[Path]:
        """A private, empty folder to stage a version in; removed afterwards (and swept
        later, should this process be killed first: :func:`pins._files.temp_folder`)."""
        with temp_folder("pins-staging-") as path:
            yield path

    def _short_name(self, name: str) -> str:
        """The pin's name without any qualifier (Connect's ``owner/``): the stem of the
        data file ``pin_write`` makes, and the start of its default title."""
        return name

    def _check_write_names(self, name: str, files: list[str]) -> None:
        """Refuse, before anything is staged, a pin or file name the storage cannot hold
        (:class:`PinsNameError`); every name passes by default."""

    def _check_new_pin(self, name: str) -> None:
        """Refuse to create a pin of this name (:class:`PinsNameError`), when it has no
        version yet; nothing is refused by default."""

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
            The object: a DataFrame, a pyarrow Table, a dict or list, any picklable object;
            or a table larger than memory, written as it streams (parquet or arrow): an
            iterator of frames or record batches, a RecordBatchReader, a polars LazyFrame.
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
            Keep the previous versions (defaults to the board's setting). An
            unversioned write leaves the pin with one version: it deletes every older
            one once the new one is committed.
        created
            The version's timestamp (naive means local time); now by default.
        force_identical_write
            Write a new version even when the content's hash equals the latest one's.
        tags, urls
            Lists of strings stored with the pin.

        Raises
        ------
        PinsNameError
            ``name`` is missing or not a valid (and portable) pin name on this board.
        PinsTypeError
            ``type`` is unknown or cannot hold ``x`` (``type="file"``: use
            :meth:`pin_upload`), or a frame's column cannot be written (named).
        PinsMetadataError
            ``metadata``, ``tags`` or ``urls`` cannot be written as plain YAML.
        PinsReadOnlyError
            The board is read-only.
        PinsWriteConflictError
            Another writer committed the same version with other content at once.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> meta = board.pin_write({"alpha": 0.05}, "settings", title="Model settings")
        >>> meta.type, meta.title, meta.name
        ('json', 'Model settings', 'settings')
        >>> board.pin_write({"alpha": 0.05}, "settings").version == meta.version  # same hash
        True
        """
        self._check_writable("write pins")
        if type == "file":
            raise PinsUnsupportedTypeError(
                "pin_write does not write type='file': pin files as they are with "
                "board.pin_upload(paths, name)."
            )
        valid = self._require_name(name)
        given, name = str(name), valid  # as the caller wrote it, and as the board names it
        title = opt_text(title, "title")
        options = WriteOptions.checked(
            description, metadata, versioned, created, force_identical_write, tags, urls
        )
        x = as_stream(x)  # a table to write as it streams, or x itself
        driver = driver_for_write(type, x)
        stem = self._short_name(name)
        data_file = validate_file_name(f"{stem}.{driver.extension}")
        self._check_write_names(name, [data_file])
        with self._staging(name) as staged:
            digest = driver.save(x, staged / data_file)
            title = title if title is not None else f"{stem}: {driver.describe(x)}"
            return self._commit(
                name, staged, [data_file], driver.type, title, options, [digest], given
            )

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
        its extension. The other parameters are :meth:`pin_write`'s.

        Raises
        ------
        PinsNameError
            No file, a path that is not a file, two files of one name, a file named
            ``data.txt``, or a name that is not valid (and portable) on this board.
        PinsReadOnlyError
            The board is read-only.

        Examples
        --------
        >>> import pathlib, tempfile, pins
        >>> board = pins.board_temp()
        >>> source = pathlib.Path(tempfile.mkdtemp(), "report.csv")
        >>> _ = source.write_text("a,b\\n1,2\\n")
        >>> meta = board.pin_upload(source)
        >>> meta.name, meta.type, meta.file
        ('report', 'file', 'report.csv')
        """
        self._check_writable("upload files")
        sources, names = upload_sources(paths, META_FILE)
        given = name if name is not None else sources[0].stem
        name = self._require_name(given)
        title = opt_text(title, "title")
        options = WriteOptions.checked(
            description, metadata, versioned, created, force_identical_write, tags, urls
        )
        self._check_write_names(name, names)
        with self._staging(name) as staged:
            digests: list[str | None] = [
                copy_hashed(source, staged / file_name)  # one read of each file
                for source, file_name in zip(sources, names, strict=True)
            ]
            what = "a pinned file" if len(names) == 1 else f"{len(names)} pinned files"
            title = title if title is not None else f"{name}: {what}"
            return self._commit(name, staged, names, "file", title, options, digests, given)

    def _commit(
        self,
        name: str,
        staged: Path,
        files: list[str],
        pin_type: str,
        title: str | None,
        options: WriteOptions,
        digests: Sequence[str | None],
        given: str,
    ) -> Meta:
        """Hash (each file whose xxh64 is not in ``digests`` already), de-duplicate,
        stamp and commit a staged version; then tidy up. ``given`` is the pin's name as
        the caller wrote it (on Connect, ``name`` is ``owner/name``)."""
        pin_hash = pin_hash_of([staged / f for f in files], digests)
        sizes = [(staged / f).stat().st_size for f in files]

        versions = self._list_versions(name)
        if not versions:
            self._check_new_pin(name)
        versioned = self.versioned if options.versioned is None else options.versioned
        latest = self._meta_or_none(name, versions[-1].version) if versions else None
        if latest is not None and latest.pin_hash == pin_hash and not options.force_identical_write:
            inform(
                f"Pin {given!r}: the hash has not changed, so nothing was stored; the "
                f"latest version is still {version_id(latest)}."
            )
            if not versioned and len(versions) > 1:
                self._converge(name, version_id(latest))
            return latest

        stamp = next_stamp(options.created, versions, latest)
        meta = Meta(
            title=title,
            description=options.description,
            created=stamp,
            pin_hash=pin_hash,
            file=files[0] if len(files) == 1 else files,
            file_size=sizes[0] if len(sizes) == 1 else sizes,
            type=pin_type,
            api_version=API_VERSION,
            tags=options.tags,
            urls=options.urls,
            user=options.user,
        )
        (staged / META_FILE).write_text(meta.to_yaml(), encoding="utf-8")
        new_id = self._store_version(name, staged, make_version_name(stamp, pin_hash), meta)
        inform(f"Pin {name!r}: wrote version {new_id}.")

        if not versioned:  # only now that the new version is committed
            self._converge(name, new_id)
        record = self._version_from_id(name, new_id, meta.created, pin_hash)
        return meta.replace(name=name, version=record)

    # ------------------------------------------------------------------ helpers
    def _require_name(self, name: str | None) -> str:
        if name is None:
            raise PinsNameError("A pin name is required, e.g. board.pin_write(df, 'sales').")
        return self._validate_name(name)
