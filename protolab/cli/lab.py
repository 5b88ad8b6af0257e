"""``protolab lab``: the demo lab (``make run``) on loopback; see protolab.lab."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from protolab.cli.support import EXIT_OK, run_until_stopped
from protolab.lab import LabSettings, run_lab
from protolab.lab_file import describe, load_lab

_DEFAULTS = LabSettings()


def register(groups: Any) -> None:
    lab = groups.add_parser("lab", help="the demo lab: Kantech fleet + gateway + printers + "
                            "monitoring agent -> Prosody -> portal",
                            description="Every part of protolab on this machine, loopback only; "
                                        "Ctrl-C stops it.")
    lab.add_argument("--kt400", type=int, default=_DEFAULTS.kt400)
    lab.add_argument("--kt1", type=int, default=_DEFAULTS.kt1)
    lab.add_argument("--iplink", type=int, default=_DEFAULTS.iplink)
    lab.add_argument("--loop-size", type=int, default=_DEFAULTS.loop_size)
    lab.add_argument("--printers", type=int, default=_DEFAULTS.printers)
    lab.add_argument("--key", default=_DEFAULTS.key, help="the lab site's AES key text")
    lab.add_argument("--site-id", type=int, default=_DEFAULTS.site_id)
    lab.add_argument("--site-file", type=Path, default=_DEFAULTS.site_file,
                     help="site TOML the gateway reloads the controllers from")
    lab.add_argument("--pulse", type=float, default=_DEFAULTS.pulse)
    lab.add_argument("--gateway-port", type=int, default=_DEFAULTS.gateway_port,
                     help="0: any free port")
    lab.add_argument("--discovery-port", type=int, default=_DEFAULTS.discovery_port)
    lab.add_argument("--kantech-control", type=int, default=_DEFAULTS.kantech_control,
                     help="Kantech control API port on 127.0.0.1")
    lab.add_argument("--printer-port", type=int, default=_DEFAULTS.printer_port,
                     help="SNMP port of the printers")
    lab.add_argument("--printer-control", type=int, default=_DEFAULTS.printer_control,
                     help="printer control API port on 127.0.0.1")
    lab.add_argument("--swipe-every", type=float, default=_DEFAULTS.swipe_every,
                     help="seconds between injected card swipes")
    lab.add_argument("--seed", type=int, default=_DEFAULTS.seed,
                     help="seed of the swipe generator (same seed, same swipes)")
    lab.add_argument("--no-monitoring", dest="monitoring", action="store_false",
                     help="without the monitoring agent, Prosody and the portal")
    lab.add_argument("--xmpp-port", type=int, default=_DEFAULTS.xmpp_port,
                     help="Prosody's client port on 127.0.0.1 (0: any free port)")
    lab.add_argument("--alert-every", type=float, default=_DEFAULTS.alert_every,
                     help="seconds between the monitoring agent's alert passes")
    lab.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    lab.add_argument("--config", type=Path, metavar="LAB.toml",
                     help="run the lab this file describes (the other lab flags are ignored)")
    lab.add_argument("--check", type=Path, metavar="LAB.toml",
                     help="check a lab file and say what it would run, then exit")
    lab.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    if args.check is not None:
        print(f"{args.check}: ok: {describe(load_lab(args.check))}")
        return EXIT_OK
    settings = LabSettings(
        kt400=args.kt400, kt1=args.kt1, iplink=args.iplink, loop_size=args.loop_size,
        printers=args.printers, key=args.key, site_id=args.site_id, pulse=args.pulse,
        gateway_port=args.gateway_port, discovery_port=args.discovery_port,
        kantech_control=args.kantech_control, printer_port=args.printer_port,
        printer_control=args.printer_control, swipe_every=args.swipe_every, seed=args.seed,
        site_file=args.site_file, monitoring=args.monitoring, xmpp_port=args.xmpp_port,
        alert_every=args.alert_every)

    if args.config is not None:
        settings = load_lab(args.config)

    async def lab(stop: asyncio.Event) -> None:
        if args.duration is not None:
            asyncio.get_running_loop().call_later(args.duration, stop.set)
        await run_lab(settings, stop)

    return run_until_stopped(lab)

