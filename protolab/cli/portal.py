"""``protolab portal``: run the portal (receive over XMPP, triage, deliver) and read its reports.

Only parses arguments: ekm_proto.portal does the work.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from ekm_proto.portal.chart import usage_chart
from ekm_proto.portal.reports import KINDS, report, to_csv, to_json, to_table
from ekm_proto.portal.rules import load_rules
from ekm_proto.portal.service import Portal
from ekm_proto.portal.store import PortalStore
from protolab.cli.portal_storage import DB_HELP, existing_store, register_storage
from protolab.cli.portal_web import add_web_options, check_web, register_users, start_web
from protolab.cli.support import EXIT_OK, add_secret_option, run_until_stopped
from protolab.cli.xmpp_options import add_server_options, xmpp_settings
from protolab.clock import SystemClock

PASSWORD_ENV = "PROTOLAB_PORTAL_PASSWORD"


def register(groups: Any) -> None:
    portal = groups.add_parser("portal", help="the portal agents ship to (XMPP), its reports")
    commands = portal.add_subparsers(dest="portal_command", metavar="SUBCOMMAND")
    commands.required = True

    run = commands.add_parser(
        "run", help="receive, store, triage and route what agents ship",
        description="Connect to the XMPP server as --jid, store every message agents ship "
                    "(once, validated) in --db, route alerts and consumable requests by --rules.")
    run.add_argument("--jid", required=True, help="the portal's JID (user@domain)")
    add_secret_option(run, "--password", env=PASSWORD_ENV, help="the portal's XMPP password")
    add_server_options(run)
    run.add_argument("--db", required=True, help=DB_HELP)
    run.add_argument("--rules", type=Path, metavar="FILE",
                     help="triage rules, destinations, SMTP and consumables settings (TOML; "
                          "default: record every alert)")
    add_web_options(run)
    run.set_defaults(handler=_run)

    reports = commands.add_parser(
        "report", help="a report: " + ", ".join(KINDS),
        description="assets, meters (pages by month), alerts, consumables (with days and pages "
                    "left), requests, rejected; a table, or --json / --csv FILE.")
    reports.add_argument("kind", choices=KINDS)
    reports.add_argument("--db", required=True, help=DB_HELP)
    reports.add_argument("--csv", type=Path, metavar="FILE", help="write CSV to FILE (- stdout)")
    reports.add_argument("--json", action="store_true", help="one JSON array on stdout")
    reports.set_defaults(handler=_report)

    chart = commands.add_parser("chart", help="monthly usage bar chart of one device (PNG)")
    chart.add_argument("serial")
    chart.add_argument("--db", required=True, help=DB_HELP)
    chart.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    chart.set_defaults(handler=_chart)
    register_storage(commands)

    register_users(commands)


def _existing_store(db: str) -> PortalStore:
    return existing_store(db)


def _run(args: argparse.Namespace) -> int:
    xmpp = xmpp_settings(args, args.jid, "password", "portal's")
    rules = load_rules(args.rules)
    check_web(args)
    portal = Portal(xmpp, args.db, rules, SystemClock())

    async def main(stop: asyncio.Event) -> int:
        web = await start_web(args, portal, rules)
        try:
            await portal.run(stop)
        finally:
            if web is not None:
                await web.close()
        return EXIT_OK

    try:
        return run_until_stopped(main)
    finally:
        portal.close()


def _report(args: argparse.Namespace) -> int:
    store = _existing_store(args.db)
    try:
        rows = report(store, args.kind)
    finally:
        store.close()
    if args.csv is not None:
        text = to_csv(rows)
        if str(args.csv) == "-":
            sys.stdout.write(text)
        else:
            args.csv.write_text(text)
    if args.json:
        print(to_json(rows))
    elif args.csv is None:
        sys.stdout.write(to_table(rows))
    return EXIT_OK


def _chart(args: argparse.Namespace) -> int:
    store = _existing_store(args.db)
    try:
        months = usage_chart(store, args.serial, args.out)
    finally:
        store.close()
    print(f"{args.out}: {months} month{'s' if months != 1 else ''} of usage for {args.serial}")
    return EXIT_OK
