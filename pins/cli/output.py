"""What the commands print: a table for people, JSON (``--json``) for scripts.

The JSON keys are part of the command line's interface (docs/cli.md lists them): a
key is never renamed or removed, new ones may be added.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

__all__ = ["emit", "plain", "table"]

#: A cell longer than this is cut in a table (JSON is never cut).
_WIDEST = 60


def plain(value: Any) -> Any:
    """``value`` as JSON data: times in ISO 8601, paths as strings, numpy scalars as
    Python numbers, ``NaT``/``NaN`` as null."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, (str, bool, int, float)):
        return None if isinstance(value, float) and value != value else value
    import pandas as pd

    if value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):  # pandas.Timestamp
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return str(value)


def _cell(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        text = ", ".join(_cell(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= _WIDEST else text[: _WIDEST - 3] + "..."


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Rows as aligned columns under a header (no trailing spaces)."""
    cells = [list(columns)] + [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    return "\n".join(line.rstrip() for line in lines)


def emit(data: Any, as_json: bool, columns: Sequence[str] | None = None) -> None:
    """Print ``data``: JSON when ``as_json``, else a table of ``columns`` (a list of
    rows), a two-column table of fields (a mapping), or one line per item."""
    if as_json:
        click.echo(json.dumps(plain(data), indent=2, ensure_ascii=False))
    elif isinstance(data, Mapping):
        rows = [{"field": key, "value": value} for key, value in data.items()]
        click.echo(table(rows, ["field", "value"]))
    elif columns is not None:
        if data:
            click.echo(table(data, columns))
    else:
        for item in data:
            click.echo(plain(item))
