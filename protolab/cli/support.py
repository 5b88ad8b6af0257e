"""What every ``protolab`` subcommand shares: exit codes, ``HOST:PORT`` parsing, secrets given as
flags, files or environment variables, the SNMPv3 user options, error printing, and running until
interrupted.

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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class V3User:
    """An SNMPv3 user as the command line gave it; its level follows the passphrases given."""

    name: str
    auth_key: str | None
    priv_key: str | None
    auth_protocol: str
    priv_protocol: str


def add_v3_user_options(parser: argparse.ArgumentParser | Any, *,
                        user_help: str = "SNMPv3 user name") -> None:
    """``--v3-user``, its two passphrases (flag, file or environment) and their protocols, the
    same in every command that speaks or answers SNMPv3."""
    parser.add_argument("--v3-user", metavar="U", help=user_help)
    add_secret_option(parser, "--auth-key", env="PROTOLAB_SNMP_AUTH_KEY",
                      help="SNMPv3 authentication passphrase")
    add_secret_option(parser, "--priv-key", env="PROTOLAB_SNMP_PRIV_KEY",
                      help="SNMPv3 privacy passphrase")
    parser.add_argument("--auth-protocol", default="SHA", help="MD5, SHA, SHA-224..SHA-512")
    parser.add_argument("--priv-protocol", default="AES", help="DES or AES")


def v3_user_option(args: argparse.Namespace) -> V3User | None:
    """The user ``add_v3_user_options`` collected, or None without ``--v3-user``. Passphrases
    are only read for a user: flags without one are a mistake, but the environment may hold
    them for another command and is left alone."""
    if not args.v3_user:
        if any((args.auth_key, args.auth_key_file, args.priv_key, args.priv_key_file)):
            raise ConfigurationError("--auth-key/--priv-key need --v3-user NAME")
        return None
    return V3User(args.v3_user,
                  secret_option(args, "auth_key", "SNMPv3 authentication passphrase"),
                  secret_option(args, "priv_key", "SNMPv3 privacy passphrase"),
                  args.auth_protocol, args.priv_protocol)


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
