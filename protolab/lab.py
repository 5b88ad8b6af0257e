"""The demo lab (``protolab lab``, ``make run``): every part of protolab on one machine, loopback
only, composed from the packages' own objects.

Kantech: KT-400s, KT-1s and an IP-Link with its polled KT-100/KT-300 loop; the simulated gateway
sets their clocks, reloads them from a site file and tails their events, while card swipes are
injected through the Kantech control API (cards the site knows, and unknown ones, drawn from a
seeded generator so two runs swipe the same cards in the same order). Printers: a mixed fleet
answering SNMP, with their own control API, watched by the monitoring agent, which ships to
the portal through a Prosody the lab starts (protolab.lab_monitoring).
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from emulators.kantech.control_api import start_control_server
from emulators.kantech.fleet_config import DeviceConfig, FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import GatewayError, SimulatedGateway
from emulators.kantech_gateway.site_description import SiteDescription, load_site
from emulators.printers.service import build_fleet as build_printer_fleet
from emulators.printers.service import security_config, select_profiles, serve_printers
from kantech_proto.codes import DeviceModel
from protolab.clock import Clock, SystemClock
from protolab.lab_monitoring import run_monitoring
from protolab.logs import get_logger
from protolab.ports import free_port

EXAMPLE_SITE = Path(__file__).resolve().parents[1] / "emulators" / "kantech_gateway" / \
    "examples" / "site.toml"
UNKNOWN_CARDS = (50_000, 60_000)  # card numbers no site file of the lab grants
KNOWN_CARD_SHARE = 0.7
log = get_logger("lab")


@dataclass(frozen=True)
class LabSettings:
    """What the lab runs; every port may be 0 (any free port), as tests run it."""

    kt400: int = 2
    kt1: int = 2
    iplink: int = 1
    loop_size: int = 3
    printers: int = 4
    key: str = "protolab-lab"
    site_id: int = 1
    pulse: float = 10.0
    kantech_first_address: str = "127.20.0.1"
    printer_first_address: str = "127.30.0.1"
    gateway_port: int = 18801
    discovery_port: int = 18803
    kantech_control: int = 8810
    printer_port: int = 1161
    printer_control: int = 8811
    swipe_every: float = 3.0
    seed: int = 1
    site_file: Path = EXAMPLE_SITE
    monitoring: bool = True  # the agent -> Prosody -> portal chain (needs Prosody installed)
    xmpp_port: int = 0  # Prosody's client port on 127.0.0.1
    alert_every: float = 5.0  # seconds between the lab agent's alert passes


@dataclass(frozen=True)
class LabHandles:
    """Where a running lab's parts are, for a program or test driving it (ports resolved)."""

    gateway: SimulatedGateway
    kantech_control_url: str
    kantech_addresses: tuple[str, ...]
    printer_addresses: tuple[str, ...]
    printer_port: int
    printer_control_url: str
    #: the TCP port of every printer's web pages (each on its own address)
    printer_web_port: int = 0


async def run_lab(settings: LabSettings, stop: asyncio.Event, clock: Clock | None = None,
                  ready: Callable[[LabHandles], None] | None = None) -> None:
    """Run every part until ``stop`` is set; parts that cannot start raise before any runs.
    ``ready`` hears where the parts are once the Kantech side runs (the printers' SNMP and
    control ports are chosen by then but may take a moment more to answer)."""
    clock = clock or SystemClock()
    site = load_site(settings.site_file)
    async with SimulatedGateway(settings.key, settings.site_id,
                                ("127.0.0.1", settings.gateway_port),
                                discovery_port=settings.discovery_port, clock=clock) as gateway:
        fleet_settings = FleetSettings(
            kt400=settings.kt400, kt1=settings.kt1, iplink=settings.iplink,
            loop_size=settings.loop_size, first_address=settings.kantech_first_address,
            gateway=f"127.0.0.1:{gateway.address[1]}", key=settings.key,
            site_id=settings.site_id, pulse=settings.pulse,
            discovery_port=settings.discovery_port)
        async with KantechFleet(build_fleet(fleet_settings), clock=clock) as fleet:
            control = await start_control_server(fleet, "127.0.0.1", settings.kantech_control,
                                                 flag="--kantech-control", port_only=True)
            log.info("kantech lab ready", gateway=f"127.0.0.1:{gateway.address[1]}",
                     control=f"{control.url}/devices", devices=len(fleet.devices))
            controllers = [d.config for d in fleet.devices
                           if d.config.model is not DeviceModel.IP_LINK]
            tasks = [asyncio.create_task(_provision(gateway, cfg.address, site))
                     for cfg in controllers]
            tasks.append(asyncio.create_task(_tail(gateway)))
            tasks.append(asyncio.create_task(_swipes(
                control.url, controllers, site, settings.swipe_every,
                random.Random(settings.seed), clock)))
            snmp = settings.printer_port or free_port(kind=socket.SOCK_DGRAM)
            printer_control = settings.printer_control or free_port()
            web = free_port()
            if ready is not None:
                ready(LabHandles(
                    gateway, control.url, tuple(d.config.address for d in fleet.devices),
                    _printer_addresses(settings), snmp,
                    f"http://127.0.0.1:{printer_control}", web))
            try:
                await _printers_and_monitoring(settings, snmp, printer_control, web, stop,
                                               clock)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                await control.close()


async def _provision(gateway: SimulatedGateway, host: str, site: SiteDescription) -> None:
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


def swipe_plan(cards: list[int], rng: random.Random) -> tuple[int, int]:
    """The next swipe: (reader index draw, card); a known card KNOWN_CARD_SHARE of the time."""
    reader = rng.randrange(1 << 30)
    if cards and rng.random() < KNOWN_CARD_SHARE:
        return reader, rng.choice(cards)
    return reader, rng.randrange(*UNKNOWN_CARDS)


async def _swipes(control_url: str, controllers: list[DeviceConfig], site: SiteDescription,
                  every: float, rng: random.Random, clock: Clock) -> None:
    known = site.card_numbers
    if not controllers:
        return
    async with aiohttp.ClientSession() as session:
        while True:
            await clock.sleep(every)
            reader, card = swipe_plan(known, rng)
            device = controllers[reader % len(controllers)]
            url = f"{control_url}/devices/{device.address}/cards"
            async with session.post(url, json={"door": 1, "card": card}) as resp:
                body: dict[str, Any] = await resp.json()
            log.info("card swiped", device=device.address, card=card, result=body.get("result"))


def _printer_addresses(settings: LabSettings) -> tuple[str, ...]:
    first = ipaddress.IPv4Address(settings.printer_first_address)
    return tuple(str(first + i) for i in range(settings.printers))


async def _printers_and_monitoring(settings: LabSettings, snmp: int, control: int, web: int,
                                   stop: asyncio.Event, clock: Clock) -> None:
    """The printers on ports chosen beforehand: the agent must know where they answer."""
    if not settings.monitoring:
        await _printers(settings, snmp, control, web, stop, clock)
        return
    await asyncio.gather(_printers(settings, snmp, control, web, stop, clock),
                         run_monitoring(settings, snmp, f"http://127.0.0.1:{control}", stop,
                                        clock, web_port=web))


async def _printers(settings: LabSettings, snmp: int, control: int, web: int,
                    stop: asyncio.Event, clock: Clock) -> None:
    fleet = build_printer_fleet(select_profiles(mix=True), settings.printers,
                                settings.printer_first_address, clock)
    await serve_printers(fleet, security_config(), port=snmp, stop=stop, http_port=web,
                         control=("127.0.0.1", control),
                         port_flag="--printer-port", control_flag="--printer-control",
                         control_port_only=True)
