"""``protolab printers emulate``: a fleet of emulated network printers on one UDP port.

Every printer answers SNMP at its own loopback address (printer i at --first-address + i) through
ekm_proto's single-socket server; an optional control API on loopback drives them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import signal
import sys
from pathlib import Path
from typing import Any

from emulators.printers.fleet import PrinterFleet
from emulators.printers.model import PrinterModel
from emulators.printers.profiles import PROFILE_DIR, Profile, load_profiles
from emulators.printers.recorded import load_recording
from emulators.printers.snmprec import format_snmprec, walk
from protolab.clock import SystemClock
from protolab.errors import ConfigurationError, ProtolabError
from protolab.logs import get_logger

EXIT_BAD_INPUT = 2


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
    emulate.add_argument("--community", action="append",
                         help="SNMPv1/v2c read community (repeatable; default public)")
    emulate.add_argument("--v3-user", help="SNMPv3 user name")
    emulate.add_argument("--auth-key", help="SNMPv3 authentication passphrase")
    emulate.add_argument("--priv-key", help="SNMPv3 privacy passphrase")
    emulate.add_argument("--auth-protocol", default="SHA", help="MD5, SHA, SHA-224..SHA-512")
    emulate.add_argument("--priv-protocol", default="AES", help="DES or AES")
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
    emulate.add_argument("--control", metavar="HOST:PORT",
                         help="serve the HTTP JSON control API on this loopback address")
    emulate.add_argument("--duration", type=float, help="stop after this many seconds")
    emulate.set_defaults(handler=_emulate)


def _profiles(args: argparse.Namespace) -> list[Profile]:
    available = dict(load_profiles(args.profiles_dir))
    imported = [load_recording(path) for path in args.import_snmprec or ()]
    for profile in imported:
        available[profile.name] = profile
    if args.profile:
        unknown = [name for name in args.profile if name not in available]
        if unknown:
            raise ConfigurationError(f"unknown profile {', '.join(unknown)}; expected one of: "
                                     + ", ".join(sorted(available)))
        return [available[name] for name in args.profile]
    if args.mix:
        return list(available.values())
    if imported:
        return imported
    return [available["hp-color-laserjet-m577"]]


def _list(args: argparse.Namespace) -> int:
    available = dict(load_profiles(args.profiles_dir))
    print(f"{'profile':26} {'vendor':8} {'colour':6} {'A3':3} {'OIDs':>4}  model")
    for name, profile in available.items():
        oids = len(PrinterModel(profile).layout)
        print(f"{name:26} {profile.vendor:8} {'yes' if profile.color else 'no':6} "
              f"{'yes' if profile.a3 else 'no':3} {oids:>4}  {profile.model}")
    return 0


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


def _control_address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigurationError(f"--control {text!r}: expected HOST:PORT such as 127.0.0.1:8161")
    return host, int(port)


def build_fleet(args: argparse.Namespace) -> PrinterFleet:
    if args.count < 0:
        raise ConfigurationError(f"--count {args.count}: expected 0 or more printers")
    models = [PrinterModel(p) for p in _profiles(args)]
    return PrinterFleet(models, args.count, args.first_address, SystemClock(),
                        time_scale=args.time_scale, start_epoch=_start_epoch(args.start_time),
                        seed=args.seed, simulate=not args.static,
                        utc_offset_hours=args.utc_offset)


def _export(fleet: PrinterFleet, path: Path) -> int:
    firsts: dict[str, Any] = {}
    for state in fleet.printers:
        firsts.setdefault(state.model.name, state)
    if not firsts:
        raise ConfigurationError("--export-snmprec with --count 0: no printer to export")
    if len(firsts) == 1 and path.suffix == ".snmprec":
        targets = {path: next(iter(firsts.values()))}
    else:
        path.mkdir(parents=True, exist_ok=True)
        targets = {path / f"{name}.snmprec": state for name, state in firsts.items()}
    for target, state in targets.items():
        target.write_text(format_snmprec(walk(fleet.view_of(state))))
        print(f"wrote {target} ({state.model.name}, printer {state.index} at {state.address})")
    return 0


def _security(args: argparse.Namespace) -> Any:
    from ekm_proto.snmp.agent.engine import SecurityConfig
    from ekm_proto.snmp.usm import UsmUser

    users = []
    if args.v3_user:
        users.append(UsmUser(
            args.v3_user, args.auth_protocol if args.auth_key else None, args.auth_key,
            args.priv_protocol if args.priv_key else None, args.priv_key))
    elif args.auth_key or args.priv_key:
        raise ConfigurationError("--auth-key/--priv-key need --v3-user NAME")
    return SecurityConfig(communities=args.community or ["public"], users=users)


async def serve(args: argparse.Namespace, fleet: PrinterFleet) -> int:
    """Run the SNMP server (and the control API) until a signal or --duration."""
    from ekm_proto.snmp.agent.server import SnmpServer

    log = get_logger("printers.emulate")
    server = SnmpServer(fleet, _security(args), port=args.port, bind_address=args.bind,
                        clock=fleet.sim.clock)
    try:
        await server.start()
    except OSError as exc:
        raise ConfigurationError(f"cannot listen on UDP {args.bind}:{args.port}: {exc.strerror}; "
                                 "expected a free port (161 needs root)") from None
    runner = None
    control_port = None
    try:
        if args.control:
            from emulators.printers.control_api import start_control

            host, port = _control_address(args.control)
            runner, control_port = await start_control(fleet, host, port)
        log.info("emulate.ready", printers=len(fleet), first=args.first_address,
                 snmp_port=server.port, control_port=control_port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), args.duration)
    finally:
        if runner is not None:
            await runner.cleanup()
        await server.close()
        log.info("emulate.stopped", received=server.stats.received)
    return 0


def _emulate(args: argparse.Namespace) -> int:
    try:
        if args.list_profiles:
            return _list(args)
        fleet = build_fleet(args)
        if args.export_snmprec is not None:
            return _export(fleet, args.export_snmprec)
        return asyncio.run(serve(args, fleet))
    except ProtolabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
