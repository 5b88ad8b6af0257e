"""``protolab lab`` (``make run``): the whole demo lab on one machine, loopback only.

Kantech: KT-400s, KT-1s and an IP-Link with its polled KT-100/KT-300 loop, the simulated gateway
setting their clocks, reloading them from the example site file and tailing their events, while
card swipes are injected through the control API (granted cards from the site file, and unknown
ones). Printers: a mixed fleet of emulated printers answering SNMP, with their own control API.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
from pathlib import Path
from typing import Any

import aiohttp

from emulators.kantech.control_api import start_control_server
from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import GatewayError, SimulatedGateway
from emulators.kantech_gateway.site_description import load_site
from emulators.printers.service import build_fleet as build_printers
from emulators.printers.service import security_config, select_profiles, serve_printers
from kantech_proto.codes import DeviceModel
from protolab.clock import SystemClock
from protolab.logs import get_logger

EXAMPLE_SITE = Path(__file__).parent / "kantech_gateway" / "examples" / "site.toml"
log = get_logger("lab")


def register(groups: Any) -> None:
    lab = groups.add_parser("lab", help="the demo lab: Kantech fleet + gateway + printers")
    lab.add_argument("--kt400", type=int, default=2)
    lab.add_argument("--kt1", type=int, default=2)
    lab.add_argument("--iplink", type=int, default=1)
    lab.add_argument("--loop-size", type=int, default=3)
    lab.add_argument("--printers", type=int, default=4)
    lab.add_argument("--key", default="protolab-lab")
    lab.add_argument("--site-id", type=int, default=1)
    lab.add_argument("--pulse", type=float, default=10.0)
    lab.add_argument("--gateway-port", type=int, default=18801, help="0: any free port")
    lab.add_argument("--discovery-port", type=int, default=18803)
    lab.add_argument("--kantech-control", type=int, default=8810, help="control API port")
    lab.add_argument("--printer-port", type=int, default=1161, help="SNMP port of the printers")
    lab.add_argument("--printer-control", type=int, default=8811, help="control API port")
    lab.add_argument("--swipe-every", type=float, default=3.0, help="seconds between swipes")
    lab.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    lab.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_lab(args))
    return 0


async def run_lab(args: argparse.Namespace) -> None:
    site = load_site(EXAMPLE_SITE)
    async with SimulatedGateway(args.key, args.site_id, ("127.0.0.1", args.gateway_port),
                                discovery_port=args.discovery_port) as gateway:
        settings = FleetSettings(
            kt400=args.kt400, kt1=args.kt1, iplink=args.iplink, loop_size=args.loop_size,
            first_address="127.20.0.1", gateway=f"127.0.0.1:{gateway.address[1]}", key=args.key,
            site_id=args.site_id, pulse=args.pulse, discovery_port=args.discovery_port)
        async with KantechFleet(build_fleet(settings)) as fleet:
            server = await start_control_server(fleet, "127.0.0.1", args.kantech_control)
            control = server.address
            log.info("kantech lab ready", gateway=f"127.0.0.1:{gateway.address[1]}",
                     control=f"http://{control[0]}:{control[1]}/devices",
                     devices=len(fleet.devices))
            controllers = [d.config for d in fleet.devices
                           if d.config.model is not DeviceModel.IP_LINK]
            tasks = [asyncio.create_task(_provision(gateway, cfg.address, site))
                     for cfg in controllers]
            tasks.append(asyncio.create_task(_tail(gateway)))
            tasks.append(asyncio.create_task(_swipes(control, controllers, site,
                                                     args.swipe_every)))
            try:
                await _printers(args)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                await server.close()


async def _provision(gateway: SimulatedGateway, host: str, site: Any) -> None:
    try:
        info = await gateway.wait_for_device(host, timeout=10)
        await gateway.set_time(info)
        report = await gateway.reload(info, site)
        log.info("controller reloaded", device=host, records=report.records,
                 wire_bytes=report.wire_bytes_out)
    except (GatewayError, TimeoutError) as exc:
        log.warning("controller not reloaded", device=host, error=str(exc))


async def _tail(gateway: SimulatedGateway) -> None:
    async for source, event in gateway.events():
        log.info("controller event", source=source, **event.as_dict())


async def _swipes(control: tuple[str, int], controllers: list[Any], site: Any,
                  every: float) -> None:
    known = [card.card_number for card in site.cards] or [1]
    async with aiohttp.ClientSession() as session:
        while True:
            await asyncio.sleep(every)
            device = random.choice(controllers)
            unknown = random.randrange(50_000, 60_000)
            card = random.choice(known) if random.random() < 0.7 else unknown
            url = f"http://{control[0]}:{control[1]}/devices/{device.address}/cards"
            async with session.post(url, json={"door": 1, "card": card}) as resp:
                body = await resp.json()
            log.info("card swiped", device=device.address, card=card, result=body.get("result"))


async def _printers(args: argparse.Namespace) -> None:
    fleet = build_printers(select_profiles(mix=True), args.printers, "127.30.0.1", SystemClock())
    stop = asyncio.Event()
    if args.duration is not None:
        asyncio.get_running_loop().call_later(args.duration, stop.set)
    await serve_printers(fleet, security_config(), port=args.printer_port, stop=stop,
                         control=("127.0.0.1", args.printer_control),
                         port_flag="--printer-port", control_flag="--printer-control",
                         control_port_only=True)
