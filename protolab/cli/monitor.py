"""``protolab monitor``: the print-fleet monitoring agent (``run``), what it stored (``devices``,
``alerts``, ``meters``, ``supplies``, ``trays``, ``changes``, ``rejections``, ``outbox``), the
latest counts on demand (``latest-counts``) and the device analyser (``analyse``).

This module only parses arguments; ekm_proto.monitor does the work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from ekm_proto.monitor import queries
from ekm_proto.monitor.agent import MonitorAgent
from ekm_proto.monitor.analyser import analyse, render
from ekm_proto.monitor.credentials import Credential, community, v3_user
from ekm_proto.monitor.meter_reports import latest_counts
from ekm_proto.monitor.progress import ProgressDisplay
from ekm_proto.monitor.settings import load_settings
from ekm_proto.monitor.shipped import run_shipped
from ekm_proto.monitor.store import MonitorStore, connect
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy
from ekm_proto.snmp.snmprec import format_snmprec
from protolab.cli.support import (
    EXIT_FAILURE,
    EXIT_OK,
    add_v3_user_options,
    host_port,
    run_until_stopped,
    v3_user_option,
)
from protolab.cli.xmpp_options import add_agent_xmpp_options, drained_exit, shipper_settings
from protolab.clock import SystemClock
from protolab.errors import ConfigurationError

#: the columns people see per kind (JSON carries every key)
COLUMNS = {
    "devices": ("address", "serial", "manufacturer", "model", "mac", "location",
                "asset_number", "engine_cycles", "available", "discovered_at"),
    "alerts": ("serial", "opened_at", "cleared_at", "duration", "group", "severity",
               "training", "description"),
    "meters": ("serial", "name", "value", "read_at"),
    "supplies": ("serial", "index", "description", "type", "colour", "level", "max_capacity",
                 "percent"),
    "trays": ("serial", "index", "name", "level", "max_capacity", "status"),
    "changes": ("serial", "kind", "old", "new", "at"),
    "rejections": ("serial", "name", "value", "reason", "at"),
    "outbox": ("id", "kind", "serial", "message_id", "created_at", "state"),
}


def _credential_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, help="SNMP UDP port of the devices (default 161)")
    parser.add_argument("--community", action="append", metavar="C",
                        help="SNMPv2c community, tried in the order given (repeatable; "
                             "public when no credential is given)")
    parser.add_argument("--v1-community", action="append", metavar="C",
                        help="SNMPv1 community (repeatable), tried after the v2c ones")
    add_v3_user_options(parser, user_help="SNMPv3 user, tried after communities")


def register(groups: Any) -> None:
    monitor = groups.add_parser("monitor", help="print-fleet monitoring agent (SNMP)")
    commands = monitor.add_subparsers(dest="monitor_command", metavar="SUBCOMMAND")
    commands.required = True
    run = commands.add_parser(
        "run", help="discover printers and watch them in the five loops",
        description="Discover printers (ranges, points, an asset list) and watch them: alert, "
                    "identity, meter, consumables and tray loops, stored in --db.")
    run.add_argument("--db", type=Path, help="the agent's SQLite database (created if new)")
    run.add_argument("--config", type=Path, help="TOML settings (flags override it)")
    run.add_argument("--range", action="append", metavar="A-B|CIDR",
                     help="addresses to discover: 10.0.0.10-10.0.0.99, 10.0.0.10-99, 10.0.0.0/24")
    run.add_argument("--point", action="append", metavar="ADDR", help="one address to discover")
    run.add_argument("--import-csv", type=Path, metavar="FILE",
                     help="asset list: address[,serial,asset_number,zone] with a header line")
    _credential_options(run)
    run.add_argument("--time-scale", type=float,
                     help="agent seconds per real second (match the emulator's --time-scale)")
    run.add_argument("--once", action="store_true",
                     help="discovery and one pass of every loop, then exit")
    run.add_argument("--max-in-flight", type=int, help="SNMP requests outstanding at most")
    run.add_argument("--no-progress", action="store_true", help="no progress display")
    run.add_argument("--trap-listen", type=host_port("--trap-listen", 162), metavar="HOST:PORT",
                     help="receive the printers' traps and informs here and read a device's "
                          "alerts as soon as it sends one (port 162 by default)")
    run.add_argument("--web-port", type=int, metavar="PORT",
                     help="TCP port of the printers' web servers, for counters only their web "
                          "page shows (default 80)")
    add_agent_xmpp_options(run)
    run.set_defaults(handler=_run)
    for kind in (*queries.KINDS, "outbox"):
        shown = commands.add_parser(kind, help=f"what the agent stored: {kind}")
        shown.add_argument("--db", type=Path, required=True, help="the agent's database")
        shown.add_argument("--json", action="store_true", help="one JSON array for programs")
        shown.set_defaults(handler=_show, kind=kind)
    latest = commands.add_parser("latest-counts",
                                 help="queue a device's latest counts for the portal")
    latest.add_argument("serial")
    latest.add_argument("--db", type=Path, required=True)
    latest.add_argument("--json", action="store_true")
    latest.set_defaults(handler=_latest)
    analyser = commands.add_parser(
        "analyse", help="how manageable one device is, loop by loop",
        description="Walk one device and report, per loop, the objects the agent needs.")
    analyser.add_argument("address")
    _credential_options(analyser)
    analyser.add_argument("--timeout", type=float, default=2.0, help="seconds per attempt")
    analyser.add_argument("--json", action="store_true", help="one JSON object")
    analyser.add_argument("--record", type=Path, metavar="FILE.snmprec",
                          help="save the walk for `protolab printers emulate --import-snmprec`")
    analyser.set_defaults(handler=_analyse)


def _credentials(args: argparse.Namespace) -> list[Credential]:
    found = [community(c, i) for i, c in enumerate(args.community or (), start=1)]
    found += [community(c, len(found) + i, "v1")
              for i, c in enumerate(args.v1_community or (), start=1)]
    user = v3_user_option(args)
    if user is not None:
        found.append(v3_user(user.name, auth_key=user.auth_key, priv_key=user.priv_key,
                             auth_protocol=user.auth_protocol, priv_protocol=user.priv_protocol))
    return found


def _run(args: argparse.Namespace) -> int:
    credentials = _credentials(args)
    settings = load_settings(
        args.config, db=args.db, ranges=tuple(args.range or ()), points=tuple(args.point or ()),
        asset_list=args.import_csv, port=args.port, time_scale=args.time_scale,
        credentials=tuple(credentials) or ((community("public", 1),) if not args.config
                                           else ()),
        max_in_flight=args.max_in_flight, trap_listen=args.trap_listen, web_port=args.web_port)

    shipping = shipper_settings(args)

    async def main(stop: asyncio.Event) -> int:
        clock = SystemClock()
        store = MonitorStore(settings.db)
        try:
            async with SnmpClient(clock, max_in_flight=settings.max_in_flight) as client:
                agent = MonitorAgent(settings, clock=clock, client=client, store=store)
                display = None
                if not args.no_progress:
                    stream = sys.stderr if sys.stderr.isatty() else None
                    display = asyncio.ensure_future(
                        ProgressDisplay(agent.snapshot, clock, stream).run())
                try:
                    if shipping is None:
                        await agent.run(stop, once=args.once)
                        return EXIT_OK
                    waiting = await run_shipped(agent, shipping, clock, stop, once=args.once,
                                                drain_timeout=args.drain_timeout)
                    return drained_exit(waiting, args.drain_timeout) if args.once else EXIT_OK
                finally:
                    if display is not None:
                        display.cancel()
        finally:
            store.close()

    return run_until_stopped(main)


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    def cell(value: Any) -> str:
        if value is None:
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
              for r in cells]
    return "\n".join(lines)


def _show(args: argparse.Namespace) -> int:
    connection = connect(args.db, read_only=True)
    try:
        if args.kind == "outbox":
            rows = [{"id": r[0], "message_id": r[1], "kind": r[2], "serial": r[3],
                     "payload": json.loads(r[4]), "created_at": r[5], "acked_at": r[6],
                     "rejected_at": r[7], "reason": r[8],
                     "state": "rejected" if r[7] is not None else "waiting" if r[6] is None
                     else "kept" if r[8] else "sent"} for r in connection.execute(
                "SELECT seq, message_id, kind, serial, payload, created_at, acked_at, "
                "rejected_at, reason FROM outbox ORDER BY seq")]
        else:
            rows = queries.query(connection, args.kind)
    finally:
        connection.close()
    print(json.dumps(rows, indent=1) if args.json else _table(rows, COLUMNS[args.kind]))
    return EXIT_OK


def _latest(args: argparse.Namespace) -> int:
    if not args.db.exists():
        raise ConfigurationError(f"{args.db}: no such database; expected the --db file of a "
                                 "`protolab monitor run`")
    store = MonitorStore(args.db)
    try:
        made = latest_counts(store.connection, args.serial, SystemClock().wall())
        if made is None:
            print(f"error: no device with serial {args.serial!r} in {args.db}", file=sys.stderr)
            return EXIT_FAILURE
        batch, readings = made
        store.commit([batch])
    finally:
        store.close()
    print(json.dumps(readings, indent=1) if args.json else _table(
        readings, ("name", "value", "raw", "read_at")))
    return EXIT_OK


def _analyse(args: argparse.Namespace) -> int:
    credentials = tuple(_credentials(args)) or (community("public", 1),)
    retry = RetryPolicy(timeout=args.timeout, retries=2)

    async def main(stop: asyncio.Event) -> int:
        async with SnmpClient(SystemClock(), max_in_flight=16) as client:
            analysis = await analyse(client, args.address, args.port or 161, credentials, retry)
        if args.record is not None and analysis.records:
            args.record.write_text(format_snmprec(analysis.records))
        print(json.dumps(analysis.to_json(), indent=1) if args.json else render(analysis))
        if args.record is not None and analysis.records:
            print(f"recorded {len(analysis.records)} objects in {args.record}", file=sys.stderr)
        return EXIT_OK if analysis.identity is not None else EXIT_FAILURE

    return run_until_stopped(main)
