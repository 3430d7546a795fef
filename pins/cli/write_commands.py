"""The commands that change a board: write, upload, delete, prune and manifest. Each
calls the board's public API and prints what it returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..meta import Meta
from .app import cli, common_options, options
from .files import INPUT_TYPES, read_input
from .output import emit
from .pin_commands import meta_fields, say

__all__: list[str] = []


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


def _write_arguments(
    title: str | None, description: str | None, metadata: tuple[str, ...], versioned: bool | None
) -> dict[str, Any]:
    """The keyword arguments of pin_write and pin_upload that _WRITE_OPTIONS give."""
    return {
        "title": title,
        "description": description,
        "metadata": _metadata(metadata),
        "versioned": versioned,
    }


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
    arguments = _write_arguments(title, description, metadata, versioned)
    meta = opts.board().pin_write(value, name, type=pin_type or default_type, **arguments)
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
    arguments = _write_arguments(title, description, metadata, versioned)
    meta = opts.board().pin_upload(list(files), name, **arguments)
    _written(meta, opts.json)


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
        say(f"Pin {name!r}: deleted, with all its versions.")
    else:
        board.pin_version_delete(name, version)
        say(f"Pin {name!r}: deleted version {version}.")
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
