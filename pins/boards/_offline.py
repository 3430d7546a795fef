"""What a cached remote board does without its server: SPEC section 5, "Offline".

Versions never change, so a cached version can always be read. Only "which version is
the latest?" needs the server: when it cannot be reached, reads fall back to the newest
cached version with a :class:`~pins.errors.PinsOfflineWarning`; offline (``offline=True``
or ``PINS_OFFLINE=1``) the network is never touched. With nothing cached, the
:class:`~pins.errors.PinsOfflineError` names the server. Writes never fall back.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from .. import config
from ..errors import PinsError, PinsOfflineError, PinsOfflineWarning
from ..meta import Version

if TYPE_CHECKING:
    from ..cache import PinsCache

__all__ = ["OfflineFallback"]


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
