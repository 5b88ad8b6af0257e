"""``protolab wireshark ...``: install the Kantech dissector for Wireshark and tshark."""

from __future__ import annotations

import argparse
from typing import Any

from protolab.cli.support import EXIT_OK
from tools.wireshark.install import DEFAULT_PLUGIN_DIR, install_dissector, packaged_dissector


def register(groups: Any) -> None:
    wireshark = groups.add_parser("wireshark", help="the Kantech dissector for Wireshark/tshark")
    commands = wireshark.add_subparsers(dest="wireshark_command", metavar="SUBCOMMAND")
    commands.required = True
    install = commands.add_parser("install", help="copy the dissector into the plugin folder")
    install.add_argument("--plugins", metavar="DIR", default=None,
                         help=f"plugin folder (default {DEFAULT_PLUGIN_DIR})")
    install.set_defaults(handler=_install)
    path = commands.add_parser("path", help="print the packaged dissector's path "
                                            "(for tshark -X lua_script:PATH)")
    path.set_defaults(handler=_path)


def _install(args: argparse.Namespace) -> int:
    target = install_dissector(args.plugins)
    print(f"installed {target}")
    print("Wireshark and tshark load it at start; set the key with -o kantech.key:KEYTEXT "
          "(or Edit > Preferences > Protocols > KANTECH in Wireshark)")
    return EXIT_OK


def _path(args: argparse.Namespace) -> int:
    print(packaged_dissector())
    return EXIT_OK
