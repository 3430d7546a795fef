"""The commands about pins: list, info, versions, read, write, upload, download, delete,
prune and manifest. Each calls the board's public API and prints what it returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..meta import Meta
from .app import cli, common_options, options
from .files import INPUT_TYPES, check_frame_output, copy_files, read_input, write_frame
from .files import write_json as write_json_file
from .output import emit

__all__: list[str] = []

_VERSION = click.option("--version", "-v", "version", help="A version id (default: the latest).")


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


def _metadata(pairs: tuple[str, ...]) -> dict[str, str] | None:
    if not pairs:
        return None
    metadata = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE.", param_hint="--metadata")
        metadata[key] = value
    return metadata


def _written(meta: Meta, as_json: bool) -> None:
    fields = meta_fields(meta)
    if as_json:
        emit(fields, True)
    else:
        emit([fields], False, ["name", "version", "type", "hash"])


def _say(text: str) -> None:
    """A note on stderr, unless --quiet."""
    if not options(click.get_current_context()).quiet:
        click.echo(text, err=True)


_WRITE_OPTIONS = [
    click.option("--title", help="The pin's title (default: a short description)."),
    click.option("--description", help="A longer description."),
    click.option(
        "--metadata",
        "-m",
        multiple=True,
        metavar="KEY=VALUE",
        help="Your own metadata field (repeatable); values are strings.",
    ),
    click.option(
        "--versioned/--unversioned",
        default=None,
        help="Keep earlier versions, or replace them (default: the board's setting).",
    ),
]


def _write_options(function: Any) -> Any:
    for decorator in reversed(_WRITE_OPTIONS):
        function = decorator(function)
    return function


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
@_VERSION
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
@_VERSION
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
        value = board.pin_read(name, found)
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
        _say(f"Pin {name!r} version {found}: wrote {output}.")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("name")
@click.option(
    "--type",
    "-t",
    "pin_type",
    help="The pin's type (default: by the file's extension: "
    + ", ".join(f"{k} -> {v}" for k, v in INPUT_TYPES.items() if k not in (".pq", ".arrow"))
    + ").",
)
@_write_options
@common_options
def write(
    file: Path,
    name: str,
    pin_type: str | None,
    title: str | None,
    description: str | None,
    metadata: tuple[str, ...],
    versioned: bool | None,
) -> None:
    """Pin the data of FILE (csv, parquet, feather/arrow or json) as NAME.

    \b
    JSON: as pins info.
    Example:
      pins write sales.csv sales --title "Monthly sales" --metadata owner=ana
      pins write sales.csv sales --type parquet
    """
    opts = options(click.get_current_context())
    value, default_type = read_input(file)
    meta = opts.board().pin_write(
        value,
        name,
        type=pin_type or default_type,
        title=title,
        description=description,
        metadata=_metadata(metadata),
        versioned=versioned,
    )
    _written(meta, opts.json)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--name", "-n", help="The pin's name (default: the first file's name).")
@_write_options
@common_options
def upload(
    files: tuple[Path, ...],
    name: str | None,
    title: str | None,
    description: str | None,
    metadata: tuple[str, ...],
    versioned: bool | None,
) -> None:
    """Pin files as they are (a pin of type file).

    \b
    JSON: as pins info.
    Example:
      pins upload report.pdf notes.md --name report
    """
    opts = options(click.get_current_context())
    meta = opts.board().pin_upload(
        list(files),
        name,
        title=title,
        description=description,
        metadata=_metadata(metadata),
        versioned=versioned,
    )
    _written(meta, opts.json)


@cli.command()
@click.argument("name")
@_VERSION
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


@cli.command()
@click.argument("name")
@click.option("--version", "-v", "version", help="Delete only this version.")
@common_options
def delete(name: str, version: str | None) -> None:
    """Delete a pin with all its versions, or one version (--version).

    \b
    JSON: {"name", "version"} (version null when the whole pin was deleted)
    Example:
      pins delete sales --version 20240115T120000Z-1d065
    """
    opts = options(click.get_current_context())
    board = opts.board()
    if version is None:
        board.pin_delete(name)
        _say(f"Pin {name!r}: deleted, with all its versions.")
    else:
        board.pin_version_delete(name, version)
        _say(f"Pin {name!r}: deleted version {version}.")
    if opts.json:
        emit({"name": name, "version": version}, True)


@cli.command()
@click.argument("name")
@click.option("--n", "n", type=click.IntRange(min=1), help="Keep the N newest versions.")
@click.option(
    "--days", type=click.FloatRange(min=0), help="Keep the versions of the last DAYS days."
)
@common_options
def prune(name: str, n: int | None, days: float | None) -> None:
    """Delete old versions of a pin, keeping the --n newest or those of the last --days
    days (exactly one of them). The newest version is always kept.

    \b
    JSON: {"name", "deleted": [version ids]}
    Example:
      pins prune sales --n 5
    """
    if (n is None) == (days is None):
        raise click.UsageError("Give exactly one of --n and --days.")
    opts = options(click.get_current_context())
    deleted = opts.board().pin_versions_prune(name, n=n, days=days)
    if opts.json:
        emit({"name": name, "deleted": deleted}, True)
    else:
        emit(deleted, False)


@cli.command()
@common_options
def manifest() -> None:
    """Write the board's manifest, _pins.yaml, so that the board can be read over HTTP
    (pins.board_url); print what it lists.

    \b
    JSON: {pin name: [version folders]}
    Example:
      pins --board /srv/www/pins manifest
    """
    opts = options(click.get_current_context())
    board = opts.board()
    write_manifest = getattr(board, "write_board_manifest", None)
    if write_manifest is None:
        raise click.ClickException(
            f"{board!r} has no manifest: only folder and object-store boards are served over HTTP."
        )
    listed = write_manifest()
    if opts.json:
        emit(listed, True)
    else:
        rows = [{"name": k, "versions": len(v)} for k, v in listed.items()]
        emit(rows, False, ["name", "versions"])
