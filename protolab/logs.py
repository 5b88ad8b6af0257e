"""structlog, configured by the program that owns the process and never by a library call.

The ``protolab`` command calls ``configure_logging`` once (readable lines on a terminal, JSON
lines otherwise). Everything else only asks ``get_logger``: a test suite or a user's program that
imports protolab keeps whatever logging it set up, and structlog's defaults apply if it set none.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog


def configure_logging(level: str = "INFO", *, json: bool | None = None) -> None:
    """Set up structlog for the whole process (the CLI's job; libraries never call this)."""
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    if json is None:
        json = not sys.stderr.isatty()
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=_StderrLogger,
        cache_logger_on_first_use=False,
    )


class _StderrLogger:
    """Writes to whatever ``sys.stderr`` is at the time of the call (test runners swap it)."""

    def __init__(self, *_args: Any) -> None:
        pass

    def msg(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    log = debug = info = warn = warning = err = error = critical = exception = fatal = msg


def get_logger(name: str, **context: Any) -> Any:
    """A logger named ``name`` carrying ``context``; it resolves the process's configuration when
    it logs, not when it is made, so module-level loggers follow a later ``configure_logging``."""
    return structlog.get_logger(name, logger_name=name, **context)
