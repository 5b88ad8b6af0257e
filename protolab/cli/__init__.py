"""The ``protolab`` command: one entry point composing every package's subcommands.

This package sits above everything (it imports emulators, tools and the protocol packages);
nothing below it imports it.
"""

from protolab.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
