"""``protolab``: the parser every package's subcommands are added to, and the one ``main``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from protolab.cli.support import EXIT_USAGE, run_handler
from protolab.logs import configure_logging


def _register_all(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from protolab.cli.bandwidth import register as register_bandwidth
    from protolab.cli.fuzz import register as register_fuzz
    from protolab.cli.kantech import register as register_kantech
    from protolab.cli.lab import register as register_lab
    from protolab.cli.monitor import register as register_monitor
    from protolab.cli.portal import register as register_portal
    from protolab.cli.printers import register as register_printers
    from protolab.cli.wireshark import register as register_wireshark

    register_kantech(groups)
    register_printers(groups)
    register_monitor(groups)
    register_lab(groups)
    register_bandwidth(groups)
    register_wireshark(groups)
    register_fuzz(groups)
    register_portal(groups)


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
    _register_all(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    configure_logging(args.log_level, json=args.log_json)
    return run_handler(args.handler, args)


if __name__ == "__main__":
    sys.exit(main())
