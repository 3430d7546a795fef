"""What boards that read through the cache share.

:class:`CachedFiles`: a version's files come from the cache, and are downloaded (and
checked against ``pin_hash``) into it when missing.

:class:`OfflineFallback`: what a cached remote board does without its server (SPEC
section 5, "Offline").

Versions never change, so a cached version can always be read. Only "which version is
the latest?" needs the server: when it cannot be reached, reads fall back to the newest
cached version with a :class:`~pins.errors.PinsOfflineWarning`; offline (``offline=True``
or ``PINS_OFFLINE=1``) the network is never touched. With nothing cached, the
:class:`~pins.errors.PinsOfflineError` names the server. Writes never fall back.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import config
from ..errors import PinsError, PinsOfflineError, PinsOfflineWarning
from ..meta import Meta, Version

if TYPE_CHECKING:
    from ..cache import PinsCache

__all__ = ["CachedFiles", "OfflineFallback"]


class CachedFiles(ABC):
    """A mixin for boards whose files are read through a :class:`~pins.cache.PinsCache`."""

    cache: PinsCache

    @abstractmethod
    def _download(self, name: str, version: str, file_name: str, expected: str | None) -> Path:
        """Fetch one file into the cache (checked against ``expected`` when given)."""

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
            if hit is None:
                hit = self._download(name, version, file_name, expected)
            paths.append(hit)
        return paths


class OfflineFallback:
    """A mixin for boards that read through a :class:`~pins.cache.PinsCache`."""

    cache: PinsCache
    _offline: bool | None = None

    @property
    def offline(self) -> bool:
        """True when the board answers from the cache only (``offline=`` or PINS_OFFLINE)."""
        return config.offline(self._offline)

    def _require_online(self, what: str) -> None:
        if self.offline:
            raise PinsOfflineError(
                f"{self!r} is offline (PINS_OFFLINE or offline=True), and {what} is not in "
                "the cache."
            )

    def _cached_order(self, version: str) -> Any:
        """How cached version ids sort, oldest first (version names sort as text)."""
        return version

    def _newest_cached(self, name: str, cause: PinsError | None) -> Version:
        """The newest cached version of a pin, when the server cannot say which is latest.

        ``cause`` is the failure that sent us here (None when offline on purpose): it is
        chained, and turned into a warning when the cache can answer.
        """
        cached = self.cache.cached_versions(name)
        if not cached:
            reason = "is offline" if cause is None else f"could not be reached ({cause})"
            raise PinsOfflineError(
                f"{self!r} {reason}, and nothing is cached for pin {name!r}."
            ) from cause
        if cause is not None and not isinstance(cause, PinsOfflineError):
            warnings.warn(
                f"{self!r} could not be reached ({cause}); using the newest cached version "
                f"of {name!r}, which may not be the latest.",
                PinsOfflineWarning,
                stacklevel=5,
            )
        return Version(version=max(cached, key=self._cached_order))
