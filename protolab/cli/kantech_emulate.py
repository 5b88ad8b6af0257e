"""``protolab kantech emulate``: a fleet of emulated KT-400 / KT-1 / IP-Link devices on the network.

Options default to None so that only what the user typed overrides a fleet file's ``[defaults]``.
"""

from __future__ import annotations

import argparse
from typing import Any

from emulators.kantech.emulation import emulate
from emulators.kantech.fleet_config import (
    FLEET_MODELS,
    DeviceConfig,
    FleetSettings,
    build_fleet,
    load_fleet_file,
)
from emulators.kantech.fleet_runtime import SOCKET_MODES
from kantech_proto.codes import model_name
from kantech_proto.replay import ReplayPolicy
from kantech_proto.wire_profile import AesMode, ChecksumKind
from protolab.cli.kantech_options import (
    add_capture_options,
    add_key_option,
    open_capture,
    site_key,
)
from protolab.cli.support import host_port, run_until_stopped

_SETTING_FLAGS = (*(model_name(m) for m in FLEET_MODELS), "loop_size", "first_address",
                  "gateway", "site_id", "device_port", "discovery_port", "replay", "pulse",
                  "transport", "tftp_port", "event_buffer", "checksum", "aes_mode",
                  "loop_link", "loop_serve", "loop_baud", "factory_default", "http_port")


def register(kantech_commands: Any) -> argparse.ArgumentParser:
    """Add ``emulate`` to the ``protolab kantech`` subcommands; returns the new parser."""
    p = kantech_commands.add_parser(
        "emulate", help="run a fleet of emulated Kantech IP devices (one address each)")
    for model in FLEET_MODELS:
        p.add_argument(f"--{model_name(model)}", type=int, default=None, metavar="N",
                       help=f"how many {model.name.replace('_', '-')} devices")
    p.add_argument("--loop-size", type=int, default=None, metavar="M",
                   help="controllers on each IP-Link's RS-485 loop")
    p.add_argument("--loop-link", default=None, metavar="DEVICE",
                   help="IP-Links poll their loop over this serial device (a USB RS-485 "
                        "adapter or one end of a socat PTY pair) instead of in-process")
    p.add_argument("--loop-serve", default=None, metavar="DEVICE",
                   help="also run the loop's KT-100/KT-300 controllers on this serial device "
                        "(the other end of --loop-link's pair)")
    p.add_argument("--loop-baud", type=int, default=None, help="loop line speed (9600)")
    p.add_argument("--first-address", default=None, metavar="IP",
                   help="address of device 0; device i gets first + i (default 127.20.0.1)")
    p.add_argument("--gateway", default=None, metavar="IP[:PORT]",
                   help="the gateway's address for pulses and events (default 127.0.0.1; port "
                        "18801 over UDP, 18802 with --transport tcp, or the one given)")
    add_key_option(p)
    p.add_argument("--site-id", type=lambda t: int(t, 0), default=None, help="EntraPass site id")
    p.add_argument("--device-port", type=int, default=None, help="UDP listening port (18810)")
    p.add_argument("--discovery-port", type=int, default=None, help="UDP DISCOVER port (18803)")
    p.add_argument("--tftp-port", type=int, default=None,
                   help="UDP port where IP-Links serve their firmware over TFTP (18001)")
    p.add_argument("--replay", choices=[policy.value for policy in ReplayPolicy], default=None,
                   help="replay policy: none (vulnerable firmware), strict or window (default)")
    p.add_argument("--pulse", type=float, default=None, metavar="SECONDS",
                   help="heartbeat interval (default 10)")
    p.add_argument("--control", type=host_port("--control", 0), default=None,
                   metavar="127.0.0.1:PORT", help="serve the HTTP control API here (loopback)")
    p.add_argument("--fleet", default=None, metavar="FLEET.TOML", help="fleet description file")
    p.add_argument("--transport", choices=["udp", "tcp"], default=None,
                   help="how devices reach the gateway (tcp: connect to the --gateway port, "
                        "default 18802, and reconnect with back-off)")
    p.add_argument("--event-buffer", type=int, default=None, metavar="N",
                   help="unacknowledged events each controller keeps (default 5000); past it "
                        "the oldest are dropped and a BUFFER_OVERFLOW event says how many")
    p.add_argument("--checksum", choices=[k.value for k in ChecksumKind], default=None,
                   help="wire profile: frame checksum (default crc16-ccitt-false)")
    p.add_argument("--aes-mode", "--mode", dest="aes_mode", choices=[m.value for m in AesMode],
                   default=None, help="wire profile: AES mode (default cbc-zero-iv)")
    p.add_argument("--factory-default", action="store_true", default=None,
                   help="devices start unconfigured: silent, serving their configuration page "
                        "(site key, site id, gateway, IP settings) on their own address")
    p.add_argument("--http-port", type=int, default=None,
                   help="port of the factory-default configuration page (80)")
    p.add_argument("--sockets", choices=list(SOCKET_MODES), default="shared",
                   help="shared (default): one UDP socket per port for every device address "
                        "(IP_PKTINFO), for fleets of 100,000; per-device: a socket each")
    p.add_argument("--duration", type=float, default=None, metavar="SECONDS",
                   help="stop after this many seconds (default: until interrupted)")
    add_capture_options(p)
    p.set_defaults(handler=run_emulate)
    return p


def configs_from_args(args: argparse.Namespace) -> list[DeviceConfig]:
    """The devices the command line (and its fleet file) describe."""
    fleet = load_fleet_file(args.fleet) if args.fleet else None
    overrides = {name: getattr(args, name) for name in _SETTING_FLAGS}
    overrides["key"] = site_key(args)
    return build_fleet(FleetSettings(), fleet, overrides)


def run_emulate(args: argparse.Namespace) -> int:
    """The ``emulate`` handler: runs until Ctrl-C, SIGTERM or ``--duration``."""
    configs = configs_from_args(args)
    tap = open_capture(args, configs[0].key if configs else None)
    try:
        return run_until_stopped(lambda stop: emulate(configs, args.control, args.duration,
                                                      stop=stop, sockets=args.sockets,
                                                      observer=tap))
    finally:
        if tap is not None:
            tap.close()
