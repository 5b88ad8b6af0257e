"""``protolab kantech emulate``: a fleet of emulated KT-400 / KT-1 / IP-Link devices on the network.

Options default to None so that only what the user typed overrides a fleet file's ``[defaults]``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from emulators.kantech.fleet_config import (
    DeviceConfig,
    FleetSettings,
    build_fleet,
    load_fleet_file,
    parse_host_port,
)
from emulators.kantech.fleet_runtime import KantechFleet, ModelFactory
from kantech_proto.errors import KantechError
from kantech_proto.replay import ReplayPolicy
from protolab.logs import get_logger

EXIT_BAD_INPUT = 2
log = get_logger("kantech.emulate")


def add_emulate_parser(kantech_subparsers: Any) -> argparse.ArgumentParser:
    """Add ``emulate`` to the ``protolab kantech`` subcommands; returns the new parser."""
    p = kantech_subparsers.add_parser(
        "emulate", help="run a fleet of emulated Kantech IP devices (one address each)")
    p.add_argument("--kt400", type=int, default=None, metavar="N", help="KT-400 controllers")
    p.add_argument("--kt1", type=int, default=None, metavar="N", help="KT-1 controllers")
    p.add_argument("--iplink", type=int, default=None, metavar="N", help="IP-Link bridges")
    p.add_argument("--loop-size", type=int, default=None, metavar="M",
                   help="controllers on each IP-Link's RS-485 loop")
    p.add_argument("--first-address", default=None, metavar="IP",
                   help="address of device 0; device i gets first + i (default 127.20.0.1)")
    p.add_argument("--gateway", default=None, metavar="IP:PORT",
                   help="the gateway's UDP address for pulses and events (default 127.0.0.1:18801)")
    p.add_argument("--key", default=None, help="the site's AES key text (at most 16 characters)")
    p.add_argument("--site-id", type=lambda t: int(t, 0), default=None, help="EntraPass site id")
    p.add_argument("--device-port", type=int, default=None, help="UDP listening port (18810)")
    p.add_argument("--discovery-port", type=int, default=None, help="UDP DISCOVER port (18803)")
    p.add_argument("--tftp-port", type=int, default=None,
                   help="UDP port where IP-Links serve their firmware over TFTP (18001)")
    p.add_argument("--replay", choices=[policy.value for policy in ReplayPolicy], default=None,
                   help="replay policy: none (vulnerable firmware), strict or window (default)")
    p.add_argument("--pulse", type=float, default=None, metavar="SECONDS",
                   help="heartbeat interval (default 10)")
    p.add_argument("--control", default=None, metavar="127.0.0.1:PORT",
                   help="serve the HTTP control API here (loopback)")
    p.add_argument("--fleet", default=None, metavar="FLEET.TOML", help="fleet description file")
    p.add_argument("--transport", choices=["udp", "tcp"], default=None,
                   help="how devices reach the gateway (tcp: connect to its port 18802)")
    p.add_argument("--duration", type=float, default=None, metavar="SECONDS",
                   help="stop after this many seconds (default: until interrupted)")
    p.set_defaults(handler=run_emulate)
    return p


_SETTING_FLAGS = ("kt400", "kt1", "iplink", "loop_size", "first_address", "gateway", "key",
                  "site_id", "device_port", "discovery_port", "replay", "pulse", "transport",
                  "tftp_port")


def configs_from_args(args: argparse.Namespace) -> list[DeviceConfig]:
    """The devices the command line (and its fleet file) describe."""
    fleet = load_fleet_file(args.fleet) if args.fleet else None
    overrides = {name: getattr(args, name) for name in _SETTING_FLAGS}
    return build_fleet(FleetSettings(), fleet, overrides)


def run_emulate(args: argparse.Namespace, model_factory: ModelFactory | None = None) -> int:
    """The ``emulate`` handler: returns the process exit code."""
    try:
        configs = configs_from_args(args)
        control = parse_host_port(args.control, 0) if args.control else None
    except KantechError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not configs:
        print("error: no devices: give --kt400, --kt1, --iplink or --fleet", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        asyncio.run(emulate(configs, control, args.duration, model_factory))
    except KantechError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: cannot open the fleet's sockets: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        pass
    return 0


async def emulate(configs: list[DeviceConfig], control: tuple[str, int] | None = None,
                  duration: float | None = None, model_factory: ModelFactory | None = None,
                  ready: asyncio.Event | None = None) -> None:
    """Run the fleet (and its control API) until ``duration`` elapses or the task is cancelled."""
    async with KantechFleet(configs, model_factory) as fleet:
        runner = None
        if control is not None:
            from emulators.kantech.control_api import start_control_server

            runner, bound = await start_control_server(fleet, *control)
            log.info("control API listening", url=f"http://{bound[0]}:{bound[1]}/devices")
        try:
            if ready is not None:
                ready.set()
            if duration is None:
                await asyncio.Event().wait()
            else:
                await asyncio.sleep(duration)
        finally:
            if runner is not None:
                await runner.cleanup()
