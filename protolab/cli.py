"""The single ``protolab`` command; each package contributes its own subcommand group."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from protolab.log_setup import configure_logging

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _registrars() -> list[Registrar]:
    from kantech_proto.cli import register as register_kantech

    return [register_kantech]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="protolab",
        description="Protocol stacks and device emulators: Kantech access control, SNMP printers.",
    )
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING or ERROR")
    parser.add_argument(
        "--log-json", action="store_true", default=None, help="JSON log lines even on a terminal"
    )
    groups = parser.add_subparsers(dest="group", metavar="COMMAND")
    groups.required = True
    for register in _registrars():
        register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.log_level, json=args.log_json)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
