"""Deleting, and refusing to change a read-only board: :class:`DeletingBoard`, between
:class:`~pins.boards._finding.FindingBoard` and :class:`~pins.boards.base.Board` (which
writes).

``pin_delete``, ``pin_version_delete`` and ``pin_versions_prune`` check every name and
version before anything is deleted; :meth:`DeletingBoard._converge` is what an
unversioned write does once its version is committed: delete every version but the
latest, as listed then.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Sequence
from typing import ClassVar

from ..errors import (
    PinNotFoundError,
    PinsArgumentTypeError,
    PinsError,
    PinsReadOnlyError,
    PinsVersionError,
    PinVersionNotFoundError,
)
from ..messages import inform, shown, warn
from ..names import validate_version
from ._checks import check_prune_args, versions_to_prune
from ._finding import FindingBoard

__all__ = ["DeletingBoard"]


class DeletingBoard(FindingBoard):
    """The deleting half of :class:`~pins.boards.base.Board` (whose parameters it takes)."""

    #: A read-only board refuses every write and delete before doing anything.
    read_only: ClassVar[bool] = False

    # ------------------------------------------------------------------ primitives
    @abstractmethod
    def _delete_version(self, name: str, version: str) -> None:
        """Remove one version."""

    @abstractmethod
    def _delete_pin(self, name: str) -> None:
        """Remove a pin and every version of it."""

    # ------------------------------------------------------------------ overridable hooks
    def _read_only_advice(self) -> str:
        """What to do instead of writing to a read-only board (added to the error)."""
        return ""

    def _check_writable(self, what: str) -> None:
        """Raise :class:`PinsReadOnlyError` on a read-only board, before anything is done."""
        if self.read_only:
            advice = self._read_only_advice()
            raise PinsReadOnlyError(
                f"{self!r} is read-only: it cannot {what}." + (f" {advice}" if advice else "")
            )

    # ------------------------------------------------------------------ deleting
    def pin_delete(self, names: str | Sequence[str]) -> None:
        """Delete pins with all their versions. Every name is checked before any is deleted.

        Raises
        ------
        PinNotFoundError
            One of the pins does not exist (then none is deleted).
        PinsArgumentTypeError
            ``names`` is neither a pin name nor a list of them.
        PinsReadOnlyError
            The board is read-only.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> _ = board.pin_write([1], "a"), board.pin_write([2], "b")
        >>> board.pin_delete(["a", "b"])
        >>> board.pin_list()
        []
        """
        self._check_writable("delete pins")
        if isinstance(names, str):
            todo: list[object] = [names]
        elif isinstance(names, Iterable) and not isinstance(names, (bytes, bytearray)):
            todo = list(names)
        else:
            raise PinsArgumentTypeError(
                f"pin_delete takes a pin name or a list of pin names, not {shown(names)}."
            )
        checked = [self._validate_name(n) for n in todo]
        for name in checked:
            self._versions(name)  # raises for a pin that does not exist
        for name in checked:
            self._delete_pin(name)

    def pin_version_delete(self, name: str, version: str) -> None:
        """Delete one version of a pin.

        Raises
        ------
        PinNotFoundError, PinVersionNotFoundError
            The pin or the version does not exist.
        PinsVersionError
            Posit Connect does not delete the active (latest) version.
        PinsReadOnlyError
            The board is read-only (a URL board, a GitHub repository).

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> first = board.pin_write({"i": 1}, "cfg")
        >>> _ = board.pin_write({"i": 2}, "cfg")
        >>> board.pin_version_delete("cfg", first.version.version)
        >>> len(board.pin_versions("cfg"))
        1
        """
        self._check_writable("delete versions")
        name = self._validate_name(name)
        version = validate_version(version)
        self._meta_text(name, version)  # raises for a version that does not exist
        self._delete_version(name, version)

    def pin_versions_prune(
        self, name: str, n: int | None = None, days: int | float | None = None
    ) -> list[str]:
        """Delete old versions, keeping the ``n`` newest or those from the last ``days``
        days. The newest version is never deleted. Returns the deleted version ids.

        Raises
        ------
        PinsArgumentError
            Not exactly one of ``n`` (at least 1) and ``days`` (at least 0).
        PinNotFoundError
            The pin does not exist.
        PinsReadOnlyError
            The board cannot be written: nothing is deleted.

        Examples
        --------
        >>> import pins
        >>> board = pins.board_temp()
        >>> for i in range(3):
        ...     _ = board.pin_write({"i": i}, "cfg")
        >>> len(board.pin_versions_prune("cfg", n=1))
        2
        >>> board.pin_read("cfg")
        {'i': 2}
        """
        self._check_writable("prune versions")
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

    def _converge(self, name: str, written: str) -> None:
        """Delete every version of an unversioned pin but the latest, as listed now that
        ``written`` is committed (see the module docstring). A version another writer
        deleted meanwhile, or made the latest, is left to that writer; one that cannot
        be deleted now is left, with a warning, to the next unversioned write: the write
        itself succeeded, and an error would say it had not."""
        try:
            versions = self._list_versions(name)
        except PinsError as exc:
            warn(
                f"Pin {name!r}: wrote version {written}, but could not list the versions it "
                f"replaces ({exc}); the next unversioned write deletes them."
            )
            return
        latest = versions[-1].version if versions else written
        deleted, failed = [], []
        for old in versions[:-1]:
            try:
                self._delete_version(name, old.version)
            except (PinNotFoundError, PinVersionNotFoundError, PinsVersionError):
                continue
            except PinsError as exc:
                failed.append(f"{old.version} ({exc})")
                continue
            deleted.append(old.version)
        if latest != written:
            inform(f"Pin {name!r}: version {latest}, written meanwhile, replaces {written}.")
        if deleted:
            inform(f"Pin {name!r}: deleted version {', '.join(deleted)}, which {latest} replaces.")
        if failed:
            warn(
                f"Pin {name!r}: wrote version {written}, but could not delete version "
                f"{', '.join(failed)}; the next unversioned write deletes it."
            )
