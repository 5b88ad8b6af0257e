"""The one root of every error protolab raises on purpose, and the errors every package shares.

Callers that drive several packages (a lab harness, the CLI) catch ``ProtolabError`` once and know
that anything else escaping is a bug, not bad input. Each package roots its own hierarchy here
(``kantech_proto.errors.KantechError``, ``ekm_proto.errors.EkmError``, ...); what is not specific
to one protocol (a bad setting, a bad file) is defined once, here.
"""

from __future__ import annotations


class ProtolabError(Exception):
    """Base of every error protolab raises on purpose."""


class ConfigurationError(ProtolabError):
    """A setting, file or option that cannot work; the message says where and what was expected.

    ``source`` (a file or flag), ``table`` and ``key`` are set when the error comes from a
    configuration file, so tools can point at the line a person has to change.
    """

    def __init__(self, message: str, *, source: str | None = None, table: str | None = None,
                 key: str | None = None) -> None:
        super().__init__(message)
        self.source, self.table, self.key = source, table, key


class UsageError(ProtolabError):
    """A call that breaks an API's contract (a clock moved backwards, a negative count): a bug
    in the calling program rather than bad input from a file or the wire."""


class AddressUnavailableError(ConfigurationError):
    """A socket that cannot be bound: the address is taken, needs privileges, or is not ours."""

    def __init__(self, message: str, *, host: str, port: int) -> None:
        super().__init__(message)
        self.host, self.port = host, port


def bind_failure(exc: OSError, host: str, port: int, *, flag: str | None = None,
                 port_only: bool = False, what: str = "socket") -> AddressUnavailableError:
    """The error to raise when binding ``host:port`` failed with ``exc``: it says what to do.

    ``flag`` is the option that chose the address (``--control``, or ``--port`` with
    ``port_only``), so the advice can name it.
    """
    import errno

    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def suggest(new_port: int) -> str:
        if flag is None:
            return "pick another port"
        return f"pass {flag} {new_port if port_only else f'{host}:{new_port}'}"

    if exc.errno == errno.EADDRINUSE:
        text = (f"{where} is in use (another lab running?): {suggest(0)} (0 picks a free port) "
                "or stop the program holding it")
    elif exc.errno == errno.EACCES and 0 < port < 1024:
        text = (f"permission denied on {where} ({what}): ports below 1024 need root; "
                f"{suggest(port + 1000)} or run inside a network namespace (unshare -rn)")
    elif exc.errno == errno.EADDRNOTAVAIL:
        text = (f"{where} is not an address of this machine ({what}): expected a local address "
                "such as 127.0.0.1 (any 127.x.y.z works on Linux)")
    else:
        text = f"cannot bind {what} to {where}: {exc.strerror or exc}"
    return AddressUnavailableError(text, host=host, port=port)
