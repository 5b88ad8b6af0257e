"""What every ``protolab`` subcommand shares: exit codes, ``HOST:PORT`` parsing, secrets given as
flags, files or environment variables, error printing, and running until interrupted.

Any error a user can cause ends as one line on stderr naming the file or address and what to do,
and exit code 2; a traceback means a bug in protolab.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from protolab.addresses import parse_host_port
from protolab.errors import ConfigurationError, ProtolabError
from protolab.secrets import resolve_secret

EXIT_OK = 0
EXIT_FAILURE = 1  # the command ran and its answer is "no" (a drain that timed out, a failed check)
EXIT_USAGE = 2  # bad input: a flag, a file, an address the user can fix
EXIT_INTERRUPTED = 130

Handler = Callable[[argparse.Namespace], int]


def host_port(what: str, default_port: int | None = None) -> Callable[[str], tuple[str, int]]:
    """An argparse ``type=`` for ``HOST:PORT`` options; errors name the option."""

    def parse(text: str) -> tuple[str, int]:
        try:
            return parse_host_port(text, default_port, what=what)
        except ConfigurationError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = "HOST:PORT"
    return parse


def add_secret_option(parser: argparse.ArgumentParser | Any, flag: str, *, env: str,
                      help: str) -> None:
    """``FLAG-file PATH`` (shown first: a flag is visible to everyone through ``ps``), ``FLAG
    VALUE``, and the ``env`` variable, for one secret."""
    dest = flag.lstrip("-").replace("-", "_")
    parser.add_argument(f"{flag}-file", dest=f"{dest}_file", metavar="PATH",
                        help=f"{help}, read from this file (preferred; or set ${env})")
    parser.add_argument(flag, dest=dest, metavar="TEXT",
                        help=f"{help} (visible to other users through ps: prefer {flag}-file)")
    parser.set_defaults(**{f"{dest}_env": env})


def secret_option(args: argparse.Namespace, dest: str, what: str) -> str | None:
    """The secret ``add_secret_option`` collected (flag, file or environment), or None."""
    return resolve_secret(value=getattr(args, dest, None), file=getattr(args, f"{dest}_file", None),
                          env=getattr(args, f"{dest}_env", None), what=what)


def explain(exc: BaseException) -> str:
    """One line for an error a user caused; what it was and, when we know, what to do."""
    if isinstance(exc, ProtolabError):
        return str(exc)
    if isinstance(exc, OSError):
        if exc.filename is not None:
            name = exc.filename
            if exc.errno == errno.ENOENT:
                return f"{name}: no such file or directory"
            if exc.errno == errno.EACCES:
                return f"{name}: permission denied"
            return f"{name}: {exc.strerror or exc}"
        if exc.errno == errno.EADDRINUSE:
            return f"{exc.strerror or 'address in use'}: another program (another lab?) holds " \
                   "the port; stop it or pass another port (0 picks a free one)"
        if exc.errno == errno.EACCES:
            return f"{exc.strerror or 'permission denied'}: ports below 1024 need root; use a " \
                   "port above 1023 or a network namespace (unshare -rn)"
        return str(exc.strerror or exc)
    return str(exc)


def run_handler(handler: Handler, args: argparse.Namespace) -> int:
    """Run a subcommand; what a user can cause becomes ``error: ...`` and exit 2."""
    try:
        return handler(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except (ProtolabError, OSError) as exc:
        print(f"error: {explain(exc)}", file=sys.stderr)
        return EXIT_USAGE


def run_until_stopped(main: Callable[[asyncio.Event], Awaitable[int | None]]) -> int:
    """Run ``main(stop)`` on a fresh event loop; SIGINT and SIGTERM set ``stop``, so the
    command shuts down cleanly (sockets closed, files flushed) instead of dying mid-write."""

    async def runner() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        result = await main(stop)
        return EXIT_OK if result is None else result

    return asyncio.run(runner())


async def wait_stopped(stop: asyncio.Event, duration: float | None) -> None:
    """Until ``stop`` is set or ``duration`` real seconds pass (None: no limit)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), duration)
