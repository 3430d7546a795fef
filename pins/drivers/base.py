"""The :class:`Driver` interface: how one pin ``type`` turns objects into files and back."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from ..meta import Meta

__all__ = ["Driver", "Frame", "TableFormat"]

#: The libraries a table can be read into (``frame=``).
Frame = Literal["pandas", "polars", "pyarrow"]
#: The file formats of tables: Parquet, Arrow IPC (Feather v2), CSV.
TableFormat = Literal["parquet", "ipc", "csv"]


class Driver(ABC):
    """One pin type.

    A driver is stateless. Heavy imports (pandas, pyarrow, joblib) happen inside its
    methods so that ``import pins`` stays fast.

    Attributes
    ----------
    type
        The ``type`` recorded in data.txt (``"csv"``).
    extension
        The extension of the file it writes, without the dot (``"csv"``).
    writes
        False for types that are read only (``rds``, ``table``).
    unsafe_read
        True when loading runs code (pickle); the board refuses such reads unless
        pickle reads are allowed.
    extra
        The optional-dependency extra that provides what it needs, for install hints.
    table_format
        For a type that holds one table: its file format (``"parquet"``, ``"ipc"`` or
        ``"csv"``), which ``pin_scan`` scans lazily. None for other types.
    """

    type: ClassVar[str]
    extension: ClassVar[str]
    writes: ClassVar[bool] = True
    unsafe_read: ClassVar[bool] = False
    extra: ClassVar[str | None] = None
    table_format: ClassVar[TableFormat | None] = None

    def accepts(self, obj: object) -> bool:
        """Whether :meth:`save` can write ``obj``. Used to infer a type and to check one."""
        return self.writes

    def refusal(self, obj: object) -> str | None:
        """Why :meth:`save` cannot write ``obj`` (a sentence), or None when it can; by
        default None exactly when :meth:`accepts` says so."""
        if self.accepts(obj):
            return None
        kind = f"{type(obj).__module__}.{type(obj).__qualname__}"
        return f"The pin type {self.type!r} cannot hold a {kind} object."

    @abstractmethod
    def save(self, obj: object, path: Path) -> str | None:
        """Write ``obj`` to exactly ``path`` (a file in a staging folder).

        A driver that hashed the bytes as it wrote them returns their xxh64 (16 hex
        characters, ``pins.hashing.HashingWriter``); None lets the board hash the
        file.
        """

    @abstractmethod
    def load(self, paths: Sequence[Path], meta: Meta) -> object:
        """Read the object back from its local file(s), in the order of ``meta.file``."""

    def load_frame(self, paths: Sequence[Path], meta: Meta, frame: Frame) -> object:
        """Read the object back, a table as a ``frame`` object (``"pandas"``,
        ``"polars"`` or ``"pyarrow"``). Types that do not hold a table ignore ``frame``
        and :meth:`load`."""
        return self.load(paths, meta)

    def describe(self, obj: object) -> str:
        """The tail of the default title: ``"a pinned 3 x 5 DataFrame"``."""
        return f"a pinned {type(obj).__name__} object"
