"""How the emulator's state reaches the disk: a snapshot (``state.json``) and a journal of
changes since (``state.journal``), so that a change costs one appended line, not a rewrite
of everything.

Each journal line is one committed change: the entities it created or changed (whole), the
ids it removed, and a sequence number. A line cut short by a kill is ignored, so a restart
sees every change up to the last complete line. When the journal has grown past the size
of the state, the whole state is written as a new snapshot (a temporary file, then
``os.replace``) that records the last sequence number it holds; lines at or below it are
skipped when the journal is replayed, so a kill between the snapshot and the journal's
truncation loses nothing and repeats nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["Store", "write_json"]

SNAPSHOT = "state.json"
JOURNAL = "state.journal"
#: The journal is folded into a new snapshot once it has this many lines and more lines
#: than the state has entities (so the cost of a snapshot is spread over as many changes).
MIN_COMPACT_LINES = 500


def write_json(path: Path, data: Any, *, durable: bool, private: bool = False) -> None:
    """Write ``data`` as JSON through a temporary file and ``os.replace``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        if private:
            os.chmod(tmp, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Store:
    """The snapshot and journal in one folder. Not thread-safe: the state's lock guards it."""

    def __init__(self, root: Path, durable: bool) -> None:
        self.root = root
        self.durable = durable
        self.seq = 0
        self.lines = 0
        self._journal: IO[str] | None = None

    def load(self) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The snapshot (None when there is none) and the journal's changes after it."""
        path = self.root / SNAPSHOT
        snapshot = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        self.seq = int(snapshot.get("seq", 0)) if snapshot else 0
        changes = [c for c in self._read_journal() if int(c["seq"]) > self.seq]
        if changes:
            self.seq = int(changes[-1]["seq"])
        self.lines = len(changes)
        return snapshot, changes

    def _read_journal(self) -> Iterator[dict[str, Any]]:
        path = self.root / JOURNAL
        if not path.exists():
            return
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                try:
                    change = json.loads(line)
                except ValueError:
                    return  # a line cut short by a kill: nothing after it was committed
                if not isinstance(change, dict) or "seq" not in change:
                    return
                yield change

    def append(self, change: dict[str, Any]) -> None:
        """Commit one change (``seq`` is added)."""
        self.seq += 1
        if self._journal is None:
            self._journal = open(self.root / JOURNAL, "a", encoding="utf-8")  # noqa: SIM115
        self._journal.write(json.dumps({"seq": self.seq, **change}, separators=(",", ":")))
        self._journal.write("\n")
        self._journal.flush()
        if self.durable:
            os.fsync(self._journal.fileno())
        self.lines += 1

    def due(self, entities: int) -> bool:
        """Whether the journal should be folded into a new snapshot now."""
        return self.lines >= max(MIN_COMPACT_LINES, entities)

    def snapshot(self, data: dict[str, Any]) -> None:
        """Write the whole state as the new snapshot and empty the journal."""
        write_json(self.root / SNAPSHOT, {**data, "seq": self.seq}, durable=self.durable)
        self.close()
        with open(self.root / JOURNAL, "w", encoding="utf-8"):
            pass
        self.lines = 0

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
