"""``protolab bandwidth ...``: the white paper's byte counts as a planner for a site."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from protolab.cli.support import EXIT_OK
from protolab.errors import ConfigurationError
from tools.bandwidth.chart import write_chart
from tools.bandwidth.command_line import command_line_cost
from tools.bandwidth.firmware import KILOBYTES, firmware_transfer
from tools.bandwidth.measure_run import Measurement, measure_site
from tools.bandwidth.paper_examples import all_examples
from tools.bandwidth.paper_render import (
    command_line_text,
    examples_text,
    firmware_text,
    tables_text,
)
from tools.bandwidth.plan_render import plan_json, plan_text
from tools.bandwidth.planner import plan_site
from tools.bandwidth.registry import ALL_TABLES, find_table
from tools.bandwidth.site import Site, load_site
from tools.bandwidth.tables_firmware import IMAGES_BY_MODEL
from tools.capture.capture_tap import CaptureTap


def register(groups: Any) -> None:
    bandwidth = groups.add_parser(
        "bandwidth", help="bandwidth planner from the EntraPass white paper's tables")
    commands = bandwidth.add_subparsers(dest="bandwidth_command", metavar="SUBCOMMAND")
    commands.required = True

    plan = commands.add_parser("plan", help="reload, idle and polling budget of a site file")
    plan.add_argument("site", metavar="SITE.toml", help="the site file (see the README)")
    plan.add_argument("--json", action="store_true", help="one JSON object instead of text")
    plan.add_argument("--chart", metavar="OUT.png", help="also draw the budget into a PNG")
    plan.add_argument("--measure", action="store_true",
                      help="also run the site on emulated controllers and the simulated gateway "
                           "(loopback, in this process) and show the bytes really sent beside "
                           "each planned figure: payload, protocol and UDP/IP overhead")
    plan.add_argument("--pcap", metavar="FILE",
                      help="with --measure: write the measured traffic to this pcap file")
    plan.set_defaults(handler=_plan)

    firmware = commands.add_parser("firmware", help="packets and bytes of a firmware reload")
    firmware.add_argument("--model", required=True, choices=list(IMAGES_BY_MODEL),
                          help="the firmware image (the paper's list)")
    firmware.add_argument("--controllers", type=int, default=1, help="controllers to reload")
    firmware.add_argument("--kilobyte", type=int, default=1024, choices=KILOBYTES,
                          help="bytes in the paper's kb (1000 reproduces its 500 packets)")
    firmware.add_argument("--json", action="store_true")
    firmware.set_defaults(handler=_firmware)

    line = commands.add_parser("command-line", help="bytes of a SmartLink command line")
    line.add_argument("line", metavar="LINE",
                      help="""in the paper's notation: '<2>"COMMAND=ACTIVATERELAY"<28><3>'""")
    line.add_argument("--json", action="store_true")
    line.set_defaults(handler=_command_line)

    examples = commands.add_parser(
        "examples", help="the paper's worked examples, recomputed, with where they do not add up")
    examples.add_argument("--json", action="store_true")
    examples.set_defaults(handler=_examples)

    tables = commands.add_parser("tables", help="print the paper's tables as data")
    tables.add_argument("number", nargs="?", help="one table: 1..13, idle, firmware, ...")
    tables.add_argument("--json", action="store_true")
    tables.set_defaults(handler=_tables)


def _print_json(value: Any) -> int:
    print(json.dumps(value, indent=2))
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    site = load_site(args.site)
    plan = plan_site(site)
    if args.pcap and not args.measure:
        raise ConfigurationError("--pcap writes what --measure sends: expected --measure too")
    measurement = _measure(site, args.pcap) if args.measure else None
    if args.chart:
        write_chart(plan, args.chart)
    measured = measurement.measured if measurement is not None else None
    if args.json:
        out = plan_json(plan, measured)
        if measurement is not None:
            out["measurement"] = {**measurement.details, "notes": measurement.notes}
        return _print_json(out)
    print(plan_text(plan, measured), end="")
    if measurement is not None:
        print("\nMeasurement\n" + "".join(f"  - {note}\n" for note in measurement.notes), end="")
    return EXIT_OK


def _measure(site: Site, pcap: str | None) -> Measurement:
    tap = CaptureTap.open(pcap) if pcap else None
    try:
        return asyncio.run(measure_site(site, observer=tap))
    finally:
        if tap is not None:
            tap.close()


def _firmware(args: argparse.Namespace) -> int:
    transfer = firmware_transfer(args.model, args.controllers, args.kilobyte)
    if args.json:
        return _print_json(transfer.as_json())
    print(firmware_text(transfer), end="")
    return EXIT_OK


def _command_line(args: argparse.Namespace) -> int:
    cost = command_line_cost(args.line)
    if args.json:
        return _print_json(cost.as_json())
    print(command_line_text(cost), end="")
    return EXIT_OK


def _examples(args: argparse.Namespace) -> int:
    examples = all_examples()
    if args.json:
        return _print_json([example.as_json() for example in examples])
    print(examples_text(examples), end="")
    return EXIT_OK


def _tables(args: argparse.Namespace) -> int:
    tables = [find_table(args.number)] if args.number else list(ALL_TABLES)
    if args.json:
        return _print_json([{"number": t.number, "title": t.title, "columns": list(t.columns),
                             "rows": [{"label": r.label, "cells": list(r.cells), "bytes": r.bytes,
                                       "note": r.note} for r in t.rows],
                             "notes": list(t.notes)} for t in tables])
    print(tables_text(tables), end="")
    return EXIT_OK
