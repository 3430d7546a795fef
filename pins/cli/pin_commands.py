"""The commands that look at pins: list, info, versions, read and download. Each calls
the board's public API and prints what it returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..meta import Meta
from .app import cli, common_options, options
from .files import check_frame_output, copy_files, write_frame
from .files import write_json as write_json_file
from .output import emit

__all__ = ["VERSION_OPTION", "meta_fields", "say"]

VERSION_OPTION = click.option(
    "--version", "-v", "version", help="A version id (default: the latest)."
)


def meta_fields(meta: Meta) -> dict[str, Any]:
    """The JSON of ``pins info`` (and of ``write`` and ``upload``)."""
    created = meta.created_datetime
    return {
        "name": meta.name,
        "version": meta.version.version if meta.version is not None else None,
        "created": created.isoformat() if created is not None else meta.created,
        "hash": meta.pin_hash,
        "type": meta.type,
        "title": meta.title,
        "description": meta.description,
        "file": meta.file_names,
        "file_size": meta.file_sizes,
        "api_version": meta.api_version,
        "tags": meta.tags,
        "urls": meta.urls,
        "user": meta.user,
    }


def say(text: str) -> None:
    """A note on stderr, unless --quiet."""
    if not options(click.get_current_context()).quiet:
        click.echo(text, err=True)


@cli.command("list")
@click.option("--search", "-s", metavar="TEXT", help="Only pins whose name or title matches.")
@common_options
def list_pins(search: str | None) -> None:
    """The pins on the board.

    With --search, pins whose name or title matches TEXT (a regular expression,
    case-insensitive), with their type, title and creation time.

    \b
    JSON: [{"name"}], with --search [{"name", "version", "type", "title", "created"}].
    Example:
      pins --board ~/pins-board list --search sales
    """
    opts = options(click.get_current_context())
    board = opts.board()
    if search is None:
        emit([{"name": name} for name in board.pin_list()], opts.json, ["name"])
        return
    rows = [
        {k: meta_fields(m)[k] for k in ("name", "version", "type", "title", "created")}
        for m in board.pin_search(search, as_df=False)
    ]
    emit(rows, opts.json, ["name", "version", "type", "title", "created"])


@cli.command()
@click.argument("name")
@VERSION_OPTION
@common_options
def info(name: str, version: str | None) -> None:
    """The metadata of a pin's version (the latest by default).

    \b
    JSON: {"name", "version", "created", "hash", "type", "title", "description",
           "file", "file_size", "api_version", "tags", "urls", "user"}
    Example:
      pins info sales --json
    """
    opts = options(click.get_current_context())
    emit(meta_fields(opts.board().pin_meta(name, version)), opts.json)


@cli.command()
@click.argument("name")
@common_options
def versions(name: str) -> None:
    """The versions of a pin, oldest first.

    \b
    JSON: [{"version", "created", "hash"}]
    Example:
      pins versions sales
    """
    opts = options(click.get_current_context())
    rows = [v.to_dict() for v in opts.board().pin_versions(name, as_df=False)]
    emit(rows, opts.json, ["version", "created", "hash"])


@cli.command()
@click.argument("name")
@VERSION_OPTION
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=True),
    help="The file to write (a data frame: .csv, .parquet, .json or .feather); "
    "standard output by default.",
)
@common_options
def read(name: str, version: str | None, output: Path | None) -> None:
    """Read a pin into a file, or print it.

    A data frame is written by the file's extension (.csv, .parquet, .json, .feather),
    or printed as csv; a json pin as JSON; the file of a file pin is copied out
    (into -o when it is a folder).

    \b
    Example:
      pins read sales -o sales.parquet
      pins read sales --version 20240115T120000Z-1d065 | head
    """
    opts = options(click.get_current_context())
    board = opts.board()
    meta = board.pin_meta(name, version)
    found = meta.version.version if meta.version is not None else version
    if meta.type == "file":
        copy_files(board.pin_download(name, found), output, many_into_folder=True)
    elif meta.type == "joblib":
        raise click.ClickException(
            f"Pin {name!r} is a joblib pin, a Python object: read it with board.pin_read in "
            "Python, or copy its file out with pins download."
        )
    else:
        import pandas as pd

        if output is not None and meta.type != "json":
            check_frame_output(output)
        # the output is a file by its extension: the board's frame= changes nothing
        value = board.pin_read(name, found, frame="pandas")
        if isinstance(value, pd.DataFrame):
            write_frame(value, output)
        elif meta.type == "json":
            write_json_file(value, output)
        else:
            raise click.ClickException(
                f"Pin {name!r} of type {meta.type!r} reads as a {type(value).__name__}, "
                "which pins read cannot write out; use pins download."
            )
    if output is not None:
        say(f"Pin {name!r} version {found}: wrote {output}.")


@cli.command()
@click.argument("name")
@VERSION_OPTION
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Copy the files into this folder (made if needed).",
)
@common_options
def download(name: str, version: str | None, output: Path | None) -> None:
    """The local paths of a pin's files, or copies of them in a folder (-o).

    Without -o the paths are the board's or the cache's own files: read them, do
    not change them.

    \b
    JSON: {"name", "version", "paths"}
    Example:
      pins download report -o ./report
    """
    opts = options(click.get_current_context())
    board = opts.board()
    meta = board.pin_meta(name, version)
    found = meta.version.version if meta.version is not None else version
    paths = board.pin_download(name, found)
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        paths = [str(p) for p in copy_files(paths, output, many_into_folder=True)]
    if opts.json:
        emit({"name": meta.name, "version": found, "paths": paths}, True)
    else:
        emit(paths, False)
