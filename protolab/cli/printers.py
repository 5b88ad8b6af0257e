"""``protolab printers emulate``: a fleet of emulated network printers on one UDP port.

Every printer answers SNMP at its own loopback address (printer i at --first-address + i) through
ekm_proto's single-socket server, takes raw jobs on --raw-port, serves its web pages on
--http-port and sends notifications to --trap-sink; an optional control API drives them. This module
only parses arguments; emulators.printers.service builds and serves the fleet.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

from emulators.printers.catalog import compile_profile
from emulators.printers.profiles import PROFILE_DIR, load_profiles
from emulators.printers.service import (
    INFORM_RETRIES,
    build_fleet,
    export_walks,
    security_config,
    select_profiles,
    serve_printers,
    trap_sinks,
)
from protolab.cli.support import (
    EXIT_OK,
    add_v3_user_options,
    host_port,
    run_until_stopped,
    v3_user_option,
)
from protolab.clock import SystemClock
from protolab.errors import ConfigurationError
from tools.capture.capture_tap import CaptureTap


def register(groups: Any) -> None:
    printers = groups.add_parser("printers", help="emulated network printers (SNMP)")
    commands = printers.add_subparsers(dest="printers_command", metavar="SUBCOMMAND")
    commands.required = True
    emulate = commands.add_parser(
        "emulate", help="serve a fleet of emulated printers over SNMP",
        description="Emulate --count printers at --first-address and the following addresses, "
                    "answering SNMP v1/v2c/v3 on one UDP port.")
    emulate.add_argument("--count", type=int, default=1, help="number of printers (default 1)")
    emulate.add_argument("--first-address", default="127.30.0.1",
                         help="address of printer 0; printer i answers at this + i")
    emulate.add_argument("--port", type=int, default=161, help="UDP port (default 161)")
    emulate.add_argument("--bind", default="0.0.0.0",
                         help="address the one UDP socket binds (default 0.0.0.0)")
    emulate.add_argument("--raw-port", type=_port_or_off("--raw-port"), default=9100,
                         help="TCP port of every printer's raw printing port (PJL, PCL, "
                              "PostScript; default 9100, 0 any free port, off none)")
    emulate.add_argument("--http-port", type=_port_or_off("--http-port"), default=80,
                         help="TCP port of every printer's web pages (default 80, 0 any free "
                              "port, off none)")
    emulate.add_argument("--pcap", default=None, metavar="FILE",
                         help="write the SNMP datagrams (requests, answers, traps, informs) and "
                              "the raw port's TCP traffic to this pcap file (Ethernet, IP, "
                              "UDP/TCP headers; the web pages are not captured)")
    emulate.add_argument("--community", action="append",
                         help="SNMPv1/v2c read community (repeatable; default public)")
    emulate.add_argument("--write-community", action="append", default=[],
                         help="SNMPv1/v2c community that may also SET (repeatable; default none)")
    add_v3_user_options(emulate)
    emulate.add_argument("--v3-write", action="store_true",
                         help="the SNMPv3 user may also SET (sysContact, sysLocation, reset...)")
    which = emulate.add_mutually_exclusive_group()
    which.add_argument("--profile", action="append",
                       help="profile name (repeatable); see --list-profiles")
    which.add_argument("--mix", action="store_true",
                       help="all profiles, spread by their fleet_weight")
    emulate.add_argument("--profiles-dir", type=Path, default=PROFILE_DIR,
                         help="directory of profile TOML files")
    emulate.add_argument("--import-snmprec", type=Path, action="append", metavar="FILE",
                         help="a recorded walk (snmpsim .snmprec) to emulate as a profile")
    emulate.add_argument("--export-snmprec", type=Path, metavar="PATH",
                         help="write one printer per profile as .snmprec (a file, or a directory "
                              "with several profiles) and exit")
    emulate.add_argument("--list-profiles", action="store_true", help="list profiles and exit")
    emulate.add_argument("--time-scale", type=float, default=1.0,
                         help="simulated seconds per real second (1440: a day per minute)")
    emulate.add_argument("--start-time", help="simulated start, ISO 8601 (default: now)")
    emulate.add_argument("--utc-offset", type=float, default=0.0,
                         help="printers' local time offset from UTC in hours (office hours)")
    emulate.add_argument("--seed", type=int, default=0, help="fleet seed (identities, usage)")
    emulate.add_argument("--static", action="store_true",
                         help="no simulated usage: only the control API changes printers")
    emulate.add_argument("--control", metavar="HOST:PORT", type=host_port("--control"),
                         help="serve the HTTP JSON control API on this loopback address")
    emulate.add_argument("--duration", type=float, help="stop after this many seconds")
    _notification_options(emulate)
    emulate.set_defaults(handler=_emulate)


def _notification_options(emulate: argparse.ArgumentParser) -> None:
    notify = emulate.add_argument_group(
        "notifications", "coldStart, linkDown/linkUp and printerV2Alert from every printer")
    notify.add_argument("--trap-sink", action="append", default=[], metavar="HOST:PORT",
                        type=host_port("--trap-sink", 162),
                        help="send notifications here (repeatable; port 162 by default)")
    notify.add_argument("--trap-version", choices=("1", "2c", "3"), default="2c",
                        help="1 or 2c: traps with --trap-community; 3: informs from --v3-user "
                             "(default 2c)")
    notify.add_argument("--trap-community", default="public",
                        help="community of SNMPv1/v2c notifications (default public)")
    notify.add_argument("--inform", action="store_true",
                        help="SNMPv2c informs (acknowledged, re-sent) instead of traps")
    notify.add_argument("--inform-timeout", type=float, default=1.0,
                        help="seconds before an unacknowledged inform is re-sent; the wait "
                             "doubles up to a minute (default 1)")
    notify.add_argument("--inform-retries", type=int, default=INFORM_RETRIES,
                        help="give up on an inform after this many re-sends "
                             "(default: until acknowledged)")
    notify.add_argument("--trap-rate", type=float, default=1000.0,
                        help="notifications per second across the fleet (default 1000)")


def _port_or_off(flag: str) -> Callable[[str], int | None]:
    def parse(text: str) -> int | None:
        if text.lower() == "off":
            return None
        if not text.isdigit() or int(text) > 65535:
            raise argparse.ArgumentTypeError(f"{flag} {text!r}: expected a port 0..65535 or off")
        return int(text)

    parse.__name__ = "PORT"
    return parse


def _start_epoch(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ConfigurationError(f"--start-time {text!r}: expected ISO 8601 such as "
                                 "2026-03-02T08:00:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.timestamp()


def _list(profiles_dir: Path) -> int:
    print(f"{'profile':26} {'vendor':8} {'colour':6} {'A3':3} {'OIDs':>4}  model")
    for name, profile in load_profiles(profiles_dir).items():
        oids = len(compile_profile(profile).layout)
        print(f"{name:26} {profile.vendor:8} {'yes' if profile.color else 'no':6} "
              f"{'yes' if profile.a3 else 'no':3} {oids:>4}  {profile.model}")
    return EXIT_OK


def _emulate(args: argparse.Namespace) -> int:
    if args.list_profiles:
        return _list(args.profiles_dir)
    if args.count < 0:
        raise ConfigurationError(f"--count {args.count}: expected 0 or more printers")
    profiles = select_profiles(args.profile or (), mix=args.mix, profiles_dir=args.profiles_dir,
                               recordings=args.import_snmprec or ())
    fleet = build_fleet(profiles, args.count, args.first_address, SystemClock(),
                        time_scale=args.time_scale, start_epoch=_start_epoch(args.start_time),
                        seed=args.seed, simulate=not args.static,
                        utc_offset_hours=args.utc_offset)
    if args.export_snmprec is not None:
        for target, state in export_walks(fleet, args.export_snmprec):
            print(f"wrote {target} ({state.model.name}, printer {state.index} at "
                  f"{state.address})")
        return EXIT_OK
    user = v3_user_option(args)
    security = security_config(args.community or ["public"], args.v3_user,
                               auth_key=user.auth_key if user else None,
                               priv_key=user.priv_key if user else None,
                               auth_protocol=args.auth_protocol,
                               priv_protocol=args.priv_protocol,
                               write_communities=args.write_community, v3_write=args.v3_write)

    sinks = trap_sinks(args.trap_sink, args.trap_version, community=args.trap_community,
                       inform=args.inform, user=security.users[0] if security.users else None,
                       timeout=args.inform_timeout, retries=args.inform_retries)

    capture = CaptureTap.open(args.pcap) if args.pcap else None

    async def main(stop: asyncio.Event) -> int:
        if args.duration is not None:
            asyncio.get_running_loop().call_later(args.duration, stop.set)
        try:
            await serve_printers(fleet, security, port=args.port, bind=args.bind,
                                 control=args.control, stop=stop, sinks=sinks,
                                 trap_rate=args.trap_rate, raw_port=args.raw_port,
                                 http_port=args.http_port, capture=capture)
        finally:
            if capture is not None:
                capture.close()
        return EXIT_OK

    return run_until_stopped(main)
