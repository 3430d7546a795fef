"""The one read path of the boards that read through the cache: Posit Connect, URL and
fsspec boards (:class:`RemoteBoard`).

Versions never change, so a version's data.txt and files are taken from the cache when
they are there and fetched into it when not: data.txt only once it is checked to be
pins metadata, a file only once its response is open (its status checked) and then
checked against ``pin_hash`` as it streams in. Nothing of a failed fetch enters the cache.

A cached data.txt is checked again when it is read (the cache checks its bytes; here,
that it is still pins metadata): one that is not is dropped and fetched again. A read
with ``hash=`` that fails on cached files forgets the version and fetches it once more.

Only "which version is the latest?" and "which pins are there?" need the server. The
fallback rule (SPEC section 5, "Offline"; the errors module says which failures make a
server *unreachable*), the same on every remote board for ``pin_read``, ``pin_meta``,
``pin_download``, ``pin_versions``, ``pin_exists``, ``pin_list`` and ``pin_search``:

* offline (``offline=True`` or ``PINS_OFFLINE=1``): the network is never touched; the
  answer comes from the cache (the versions and pins cached), or a
  :class:`~pins.errors.PinsOfflineError` says that nothing is cached;
* unreachable: the cache answers, with a :class:`~pins.errors.PinsOfflineWarning` naming
  the caller's line; with nothing cached, a connection failure is a
  :class:`~pins.errors.PinsOfflineError` naming the server (chaining the failure), a 5xx
  is its :class:`~pins.errors.PinsServerError`. A read of the latest version whose
  data.txt or file cannot be fetched reads the newest version that is cached instead;
* any other error is raised as it is, and writes, pruning and deleting never fall back.
"""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .. import _progress, config
from .._cache_store import CacheVanished
from ..errors import (
    PinsConnectionError,
    PinsError,
    PinsMetadataError,
    PinsOfflineError,
    PinsOfflineWarning,
    PinsRemoteError,
    PinsServerError,
)
from ..messages import warn
from ..meta import Meta, Version
from ._layout import version_order, version_record
from ._loading import missing_file
from .base import Board

if TYPE_CHECKING:
    from ..cache import PinsCache


__all__ = ["RemoteBoard", "unreachable"]

_log = logging.getLogger("pins")
T = TypeVar("T")
#: How many cached versions a read of the latest tries when the latest cannot be fetched.
_CACHED_TRIES = 3


def unreachable(exc: PinsRemoteError) -> bool:
    """Whether a failure means the server cannot answer now: it could not be reached,
    or it answered with a 5xx status."""
    if isinstance(exc, PinsConnectionError):
        return True
    return isinstance(exc, PinsServerError) and (exc.status or 0) >= 500


def _unreachable_or_offline(exc: PinsRemoteError) -> bool:
    """``unreachable``, or the :class:`PinsOfflineError` an unreachable server became."""
    return unreachable(exc) or (
        isinstance(exc, PinsOfflineError) and isinstance(exc.__cause__, PinsRemoteError)
    )


class RemoteBoard(Board):
    """A board whose versions are read through a :class:`~pins.cache.PinsCache`.

    A subclass sets ``cache`` and ``_offline`` and fetches a version's data.txt
    (:meth:`_fetch_meta`) and opens a file (:meth:`_open_file`); it may override
    :meth:`_latest_remote` with a cheaper way to ask the server for the latest version.
    """

    cache: PinsCache
    _offline: bool | None = None
    #: Whether the board's own listing answers from the cache when the server cannot be
    #: reached (the URL board's cached manifest); else the cached versions answer.
    _lists_from_cache: ClassVar[bool] = False

    @property
    def offline(self) -> bool:
        """True when the board answers from the cache only (``offline=`` or PINS_OFFLINE)."""
        return config.offline(self._offline)

    # ------------------------------------------------------------------ primitives
    @abstractmethod
    def _fetch_meta(self, name: str, version: str) -> bytes | None:
        """A version's data.txt from the server; None when the server has no such version."""

    @abstractmethod
    def _open_file(self, name: str, version: str, file_name: str) -> Iterator[bytes] | None:
        """The bytes of a version's file, as chunks, from a response already opened and
        checked (so that a failure is raised here, before the cache sees anything);
        None when the server does not have the file. Errors while streaming are
        :class:`~pins.errors.PinsError` subclasses too."""

    def _latest_remote(self, name: str) -> Version:
        """The latest version of a pin, asked of the server."""
        return super()._latest(name)

    def _not_a_data_txt(self, name: str, version: str, error: PinsMetadataError) -> Exception:
        """The error for a fetched data.txt that is not pins metadata (it is not cached)."""
        return error

    def _cached_order(self, version: str) -> Any:
        """How cached version ids sort, oldest first (as the board orders versions)."""
        return version_order(version_record(version))

    def _may_use_cached(self, name: str, version: str) -> bool:
        """Whether a cached version may be served to this board's caller without asking the
        server (False: fetch it, so the server checks); yes by default. A board whose
        cache several credentials share checks access here (Connect)."""
        return True

    def _cached_versions(self, name: str) -> list[str]:
        """The cached versions of a pin this board's caller may be served offline."""
        return self.cache.cached_versions(name)

    # ------------------------------------------------------------------ reading
    def _read_meta_text(self, name: str, version: str) -> bytes | None:
        cached = self.cache.get_meta(name, version)
        if cached is not None and self._may_use_cached(name, version):
            try:
                Meta.from_yaml(cached, name=name)
                return cached
            except PinsMetadataError as exc:  # damaged in the cache: fetched again
                _log.warning("Fetching pin %r version %s again: its cached %s", name, version, exc)
                self.cache.delete_version(name, version)
        data = self._from_server(
            f"version {version} of pin {name!r}", lambda: self._fetch_meta(name, version)
        )
        if data is None:
            return None
        try:
            Meta.from_yaml(data, name=name)  # the one check of what may be cached
        except PinsMetadataError as exc:
            error = self._not_a_data_txt(name, version, exc)
            if error is exc:
                raise
            raise error from exc
        self.cache.put_meta(name, version, data)
        return data

    def _fetch_files(self, name: str, version: str, meta: Meta) -> list[Path]:
        names = meta.file_names
        sizes: list[int | None] = list(meta.file_sizes) if not meta.is_legacy else []
        if len(sizes) != len(names):
            sizes = [None] * len(names)
        # a one-file pin's pin_hash is that file's xxh64, whoever wrote it
        expected = meta.pin_hash if len(names) == 1 and not meta.is_legacy else None
        paths = []
        for file_name, size in zip(names, sizes, strict=True):
            hit = self.cache.get_file(name, version, file_name, size)
            paths.append(hit or self._download(name, version, file_name, expected, size))
        return paths

    def _download(
        self, name: str, version: str, file_name: str, expected: str | None, size: int | None
    ) -> Path:
        """Fetch one file (of ``size`` bytes, if known) into the cache, checked against
        ``expected`` when given."""
        what = f"the file {file_name!r} of pin {name!r} version {version}"
        chunks = self._from_server(what, lambda: self._open_file(name, version, file_name))
        if chunks is None:
            raise missing_file(name, version, file_name, self)
        counted = _progress.chunks(chunks, size, f"download {file_name}")
        try:
            return self.cache.put_file(name, version, file_name, counted, expected)
        except CacheVanished as exc:  # a cache_prune took it at once: the read starts again
            raise missing_file(name, version, file_name, self.cache) from exc

    def _forget(self, name: str, version: str) -> bool:
        self.cache.delete_version(name, version)
        return True

    def _read(self, name: str, version: str | None, hash: object, use: Callable[[Meta], T]) -> T:
        try:
            return super()._read(name, version, hash, use)
        except (PinsOfflineError, PinsServerError) as exc:
            if version is not None or self.offline or not _unreachable_or_offline(exc):
                raise
            return self._read_cached(self._validate_name(name), hash, use, exc)

    def _read_cached(
        self, name: str, hash: object, use: Callable[[Meta], T], failure: PinsRemoteError
    ) -> T:
        """The read of the latest version that ``failure`` stopped, from the newest version
        that is cached whole instead, with a warning; else ``failure`` is raised."""
        cached = sorted(self._cached_versions(name), key=self._cached_order, reverse=True)
        for version in cached[:_CACHED_TRIES]:
            try:
                found = super()._read(name, version, hash, use)
            except PinsError:
                continue
            warn(
                f"{self!r} could not serve pin {name!r} ({failure}); read its newest cached "
                f"version, {version}, which may not be the latest.",
                PinsOfflineWarning,
            )
            return found
        raise failure

    def _versions_to_read(self, name: str) -> list[Version]:
        if self._lists_from_cache:
            return self._list_versions(name)
        return self._current_or_cached(
            lambda: self._list_versions(name),
            lambda: self._cached_records(name),
            what=f"pin {name!r}",
            note=f"listing only the versions of {name!r} in the cache",
        )[0]

    def _cached_records(self, name: str) -> list[Version] | None:
        """The cached versions of a pin, oldest first, or None when none is."""
        ids = sorted(self._cached_versions(name), key=self._cached_order)
        records = []
        for version in ids:
            try:
                meta = Meta.from_yaml(self.cache.get_meta(name, version) or b"")
            except PinsMetadataError:
                continue
            records.append(self._version_from_id(name, version, meta.created, meta.pin_hash))
        return records or None

    def _latest_to_read(self) -> dict[str, Version]:
        if self._lists_from_cache:
            return self._latest_versions()
        return self._current_or_cached(
            self._latest_versions,
            self._cached_latest,
            what="its list of pins",
            note="listing only the pins in the cache",
        )[0]

    def _cached_latest(self) -> dict[str, Version] | None:
        """The newest cached version of every pin in the cache, or None when none is."""
        found = {}
        for pin in self.cache.cached_pins():
            versions = self._cached_versions(pin)  # what this board's caller may be served
            if versions:
                found[pin] = Version(version=max(versions, key=self._cached_order))
        return found or None

    def _latest(self, name: str) -> Version:
        def newest_cached() -> Version | None:
            cached = self._cached_versions(name)
            return Version(version=max(cached, key=self._cached_order)) if cached else None

        return self._current_or_cached(
            lambda: self._latest_remote(name),
            newest_cached,
            what=f"pin {name!r}",
            note=f"reading the newest cached version of {name!r}, which may not be the latest",
        )[0]

    # ------------------------------------------------------------------ the rule
    def _require_online(self, what: str) -> None:
        """Raise :class:`PinsOfflineError` when the board is offline."""
        if self.offline:
            raise PinsOfflineError(
                f"{self!r} is offline (offline=True or PINS_OFFLINE), and {what} is not "
                "cached; read it once with the network."
            )

    def _from_server(self, what: str, fetch: Callable[[], T]) -> T:
        """Something that is not cached: fetched, unless the board is offline; an
        unreachable server is a :class:`PinsOfflineError` (nothing is cached)."""
        self._require_online(what)
        try:
            return fetch()
        except PinsConnectionError as exc:
            raise PinsOfflineError(
                f"{self!r} could not be reached ({exc}), and nothing is cached for {what}."
            ) from exc

    def _current_or_cached(
        self, fetch: Callable[[], T], cached: Callable[[], T | None], *, what: str, note: str
    ) -> tuple[T, bool]:
        """What the server says now, or (offline, or unreachable) what the cache says,
        with a warning made of ``note``. Returns the answer and whether it is current."""
        if not self.offline:
            try:
                return fetch(), True
            except PinsRemoteError as exc:
                if not unreachable(exc):
                    raise
                found = cached()
                if found is None:
                    if isinstance(exc, PinsServerError):
                        raise
                    raise PinsOfflineError(
                        f"{self!r} could not be reached ({exc}), and nothing is cached for {what}."
                    ) from exc
                warn(f"{self!r} could not be reached ({exc}); {note}.", PinsOfflineWarning)
                return found, False
        found = cached()
        if found is None:
            raise PinsOfflineError(
                f"{self!r} is offline (offline=True or PINS_OFFLINE), and nothing is cached "
                f"for {what}."
            )
        return found, False
