"""Files in and out of the command line: a csv, parquet, feather/arrow or json file
read into the object ``pins write`` pins, and what ``pins read`` gives written out by
the output file's extension."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import click

__all__ = [
    "FRAME_FORMATS",
    "INPUT_TYPES",
    "check_frame_output",
    "copy_files",
    "read_input",
    "write_frame",
    "write_json",
]

#: The extension of a file ``pins write`` reads -> the pin type it makes by default.
INPUT_TYPES = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".feather": "arrow",
    ".arrow": "arrow",
    ".json": "json",
}
#: The extensions ``pins read -o`` writes a data frame to.
FRAME_FORMATS = (".csv", ".parquet", ".pq", ".json", ".feather", ".arrow")


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def read_input(path: Path) -> tuple[Any, str]:
    """The object in ``path`` and the pin type its extension makes."""
    suffix = _suffix(path)
    if suffix not in INPUT_TYPES:
        raise click.BadParameter(
            f"{path} is not a file pins write reads: use a {', '.join(INPUT_TYPES)} file, "
            "or pins upload to pin any file as it is.",
            param_hint="FILE",
        )
    import pandas as pd

    try:
        if suffix == ".csv":
            return pd.read_csv(path), "csv"
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path), "parquet"
        if suffix in (".feather", ".arrow"):
            return pd.read_feather(path), "arrow"
        with open(path, encoding="utf-8") as handle:
            return json.load(handle), "json"
    except (ValueError, UnicodeDecodeError, ImportError) as exc:
        raise click.ClickException(f"Cannot read {path} as {suffix[1:]}: {exc}") from exc


def check_frame_output(path: Path) -> None:
    if _suffix(path) not in FRAME_FORMATS:
        raise click.BadParameter(
            f"{path}: a data frame is written to a {', '.join(FRAME_FORMATS)} file.",
            param_hint="-o/--output",
        )


def write_frame(frame: Any, path: Path | None) -> None:
    """A pandas DataFrame to ``path`` by its extension, or to stdout as csv."""
    if path is None:
        frame.to_csv(sys.stdout, index=False)
        return
    check_frame_output(path)
    suffix = _suffix(path)
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix in (".parquet", ".pq"):
        frame.to_parquet(path, index=False)
    elif suffix == ".json":
        frame.to_json(path, orient="records", date_format="iso", force_ascii=False)
    else:
        frame.reset_index(drop=True).to_feather(path)


def write_json(value: Any, path: Path | None) -> None:
    """A JSON value to ``path``, or to stdout."""
    text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    if path is None:
        click.echo(text, nl=False)
    else:
        path.write_text(text, encoding="utf-8")


def copy_files(paths: list[str], output: Path | None, many_into_folder: bool) -> list[Path]:
    """Copy a pin's files to ``output``: into it when it is a folder (or there are
    several files), else as that file. Without ``output``, one file goes to stdout."""
    sources = [Path(p) for p in paths]
    if output is None:
        if len(sources) != 1:
            raise click.UsageError(
                f"The pin has {len(sources)} files: give -o FOLDER, or use pins download."
            )
        stdout = sys.stdout.buffer
        with open(sources[0], "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                stdout.write(chunk)
        return []
    if output.is_dir() or (many_into_folder and len(sources) > 1):
        output.mkdir(parents=True, exist_ok=True)
        targets = [output / source.name for source in sources]
    else:
        targets = [output]
    for source, target in zip(sources, targets, strict=True):
        shutil.copyfile(source, target)
    return targets
