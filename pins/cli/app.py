"""The ``pins`` group: the options every command shares, how a board is chosen and how
errors end the program (a :class:`~pins.errors.PinsError`: its message and exit code 1;
a usage error: exit code 2; ``--debug``: the traceback)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from .. import __version__, config
from ..boards import Board, board_from_uri, board_local
from ..errors import PinsError

__all__ = ["Options", "cli", "common_options", "main"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Options:
    """The options of one run, from the group and from the command (either place)."""

    board_text: str | None = None
    json: bool = False
    quiet: bool = False
    debug: bool = False

    def board(self) -> Board:
        """The board of ``--board``, else ``PINS_BOARD``, else :func:`pins.board_local`."""
        text = self.board_text or config.board()
        return board_from_uri(text) if text else board_local()


def options(ctx: click.Context) -> Options:
    return ctx.find_root().ensure_object(Options)


def _store(field: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def store(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value:  # given here (a flag only turns on, so the group's stays)
            setattr(options(ctx), field, value)
            if field == "quiet":  # until this context (the group's, or the command's) ends
                ctx.with_resource(_quiet())

    return store


def common_options(function: F) -> F:
    """``--board``, ``--json``, ``--quiet`` and ``--debug``, accepted before the command
    (``pins --json list``) and after it (``pins list --json``)."""
    decorators = [
        click.option(
            "--board",
            "-b",
            metavar="BOARD",
            expose_value=False,
            callback=_store("board_text"),
            help="The board: a folder, file://, https://, connect:https://SERVER, s3://, "
            "gs://, az://, memory:// or board_deparse's text. Default: PINS_BOARD, else "
            "board_local().",
        ),
        click.option(
            "--json",
            is_flag=True,
            expose_value=False,
            callback=_store("json"),
            help="Print JSON for scripts instead of a table.",
        ),
        click.option(
            "--quiet",
            "-q",
            is_flag=True,
            expose_value=False,
            callback=_store("quiet"),
            help="No messages and no progress bars on stderr.",
        ),
        click.option(
            "--debug",
            is_flag=True,
            expose_value=False,
            callback=_store("debug"),
            help="Show the traceback of an error.",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


@contextmanager
def _quiet() -> Iterator[None]:
    """``--quiet``: PINS_QUIET=1 and PINS_PROGRESS=0 while the command runs."""
    saved = {name: os.environ.get(name) for name in ("PINS_QUIET", "PINS_PROGRESS")}
    os.environ.update(PINS_QUIET="1", PINS_PROGRESS="0")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _PinsGroup(click.Group):
    """Runs a command; a PinsError becomes its message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PinsError as exc:
            if options(ctx).debug:
                raise
            raise click.ClickException(str(exc)) from exc
        except click.ClickException:
            raise
        except OSError as exc:  # a file the command was told to read or write
            if options(ctx).debug:
                raise
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_PinsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="pins")
@common_options
def cli() -> None:
    """Publish, version and share data on boards: folders, Posit Connect, URLs and
    object stores.

    The board comes from --board or PINS_BOARD (see --board below); it is
    board_local() when neither is given. Posit Connect's API key is read from
    CONNECT_API_KEY only, never from the command line.

    \b
    Example:
      export PINS_BOARD=~/pins-board
      pins write sales.csv sales --title "Monthly sales"
      pins read sales -o sales.parquet
      pins versions sales
    """


def main() -> None:
    """The console script ``pins`` (and ``python -m pins``)."""
    warnings.formatwarning = _format_warning
    cli(prog_name="pins")


def _format_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    return f"Warning: {message}\n"
