"""``pins cache info``, ``pins cache prune`` and ``pins emulator``."""

from __future__ import annotations

import sys

import click

from ..cache import cache_info, cache_prune
from .app import cli, common_options, options
from .output import emit

__all__: list[str] = []

_CACHE_COLUMNS = ["board", "pin", "version", "files", "size_bytes", "last_used"]


@cli.group()
@common_options
def cache() -> None:
    """The local cache of remote boards (PINS_CACHE_DIR).

    \b
    Example:
      pins cache info
      pins cache prune --days 30 --yes
    """


@cache.command("info")
@common_options
def cache_info_command() -> None:
    """Every cached version, with its size and when it was last used.

    \b
    JSON: [{"board", "pin", "version", "files", "size_bytes", "last_used"}]
    Example:
      pins cache info --json
    """
    opts = options(click.get_current_context())
    frame = cache_info()
    emit(frame[_CACHE_COLUMNS].to_dict("records"), opts.json, _CACHE_COLUMNS)


@cache.command("prune")
@click.option(
    "--days",
    type=click.FloatRange(min=0),
    default=30,
    show_default=True,
    help="Delete versions unused for this many days.",
)
@click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
@common_options
def cache_prune_command(days: float, yes: bool) -> None:
    """Delete cached versions that were not used for --days days.

    It asks first when standard input is a terminal; otherwise it deletes nothing
    unless --yes is given.

    \b
    JSON: {"deleted": [folders]}
    Example:
      pins cache prune --days 7 --yes
    """
    opts = options(click.get_current_context())
    deleted = cache_prune(days, prompt=not yes)
    if opts.json:
        emit({"deleted": deleted}, True)
    else:
        emit(deleted, False)


@cli.command(
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
    add_help_option=False,
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def emulator(arguments: tuple[str, ...]) -> None:
    """Serve the Posit Connect emulator (for tests, CI and demos) until interrupted.

    Its options are the emulator's own: pins emulator --help lists them.
    """
    try:
        from ..testing.connect_server.__main__ import main as serve
    except ImportError as exc:
        raise click.ClickException(
            f'The emulator cannot start: {exc}. It needs werkzeug: pip install "pins[testing]".'
        ) from exc
    sys.exit(serve(list(arguments), prog="pins emulator"))
