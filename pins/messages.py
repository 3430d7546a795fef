"""What pins tells the user: one line or a few on stderr, such as the version a write made.

Every message goes through :func:`inform`, as an ``INFO`` record of the logger
``pins.messages``. pins gives that logger a level (``INFO``) and one handler, which
writes the bare message to the current ``sys.stderr``; it does not propagate, so an
application's own logging setup does not print it twice.

Silence the messages with the environment variable ``PINS_QUIET=1``, or with the
logging configuration::

    import logging
    logging.getLogger("pins.messages").setLevel(logging.WARNING)

To send them elsewhere instead, replace the handler (or set ``propagate = True`` and
remove it, so that the root logger's handlers get them).

Warnings (:func:`warn`) are Python warnings that name the caller's line: the first
line outside pins. Debugging records go to the logger ``pins`` as usual; neither is
affected by ``PINS_QUIET``.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

from . import config

__all__ = ["LOGGER_NAME", "StderrHandler", "caller_stacklevel", "inform", "shown", "warn"]

LOGGER_NAME = "pins.messages"


class StderrHandler(logging.Handler):
    """Write the bare message to whatever ``sys.stderr`` is at the time (pytest, Jupyter
    and ``contextlib.redirect_stderr`` replace it), unless ``PINS_QUIET`` is set."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if config.quiet():
            return
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:  # logging must never break the caller
            self.handleError(record)


def _logger() -> logging.Logger:
    """The logger, set up once when pins is imported (a level set before is kept)."""
    logger = logging.getLogger(LOGGER_NAME)
    if not any(isinstance(h, StderrHandler) for h in logger.handlers):
        logger.addHandler(StderrHandler())
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


_LOG = _logger()


def inform(message: str) -> None:
    """Tell the user what happened: an ``INFO`` record of ``pins.messages``, which pins
    prints on stderr unless ``PINS_QUIET=1`` or the logging configuration says otherwise.

    >>> inform("Pin 'sales': wrote version 20240115T120000Z-1d065.")  # doctest: +SKIP
    """
    _LOG.info(message)


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def caller_stacklevel() -> int:
    """The ``stacklevel`` that makes a warning name the first line outside pins, for a
    :func:`warnings.warn` made by the function that calls this one."""
    level, frame = 1, sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """Warn, naming the caller's line (the first outside pins) as the warning's place."""
    warnings.warn(message, category, stacklevel=caller_stacklevel())


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)`` for an error message, cut to ``limit`` characters; the type's name
    when there is no repr to show (an integer of over 4,300 digits, a broken ``__repr__``).

    >>> shown(10**5000)
    'an int too large to show'
    >>> shown("x" * 100, limit=10)
    "'xxxxxx..."
    """
    try:
        text = repr(value)
    except Exception:
        if isinstance(value, int):
            return "an int too large to show"
        return f"a {type(value).__name__} that cannot be shown"
    return text if len(text) <= limit else text[: limit - 3] + "..."
