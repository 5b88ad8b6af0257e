"""``protolab bandwidth plan --measure``: the site run on emulated controllers and the simulated
gateway (loopback, free ports, in this process), the bytes each plan line stands for counted on
the wire.

Everything runs on one ``ManualClock``. While the controllers are reloaded it follows real time
in small steps (so a retry still fires if a datagram is lost); the idle window is then exact:
the clock is moved by hand, and each controller sends exactly ``window / pulse`` PULSEs.

A site with TCP/IP sites also runs one IP-Link with a loop of ``LOOP_SIZE`` controllers through
the same window: its loop's POLLs and answers are the measured polling of one TCP/IP site
(table 10 says it does not grow with the controllers), counted for each of the site's.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech.wire_observer import Direction, WireObserver, WireTransport
from emulators.kantech_gateway.gateway import SimulatedGateway
from kantech_proto.codes import DeviceModel
from kantech_proto.ip_frame import IpFrameCodec
from protolab.clock import ManualClock
from protolab.errors import ConfigurationError
from tools.bandwidth.measure_site import controller_model, controller_site
from tools.bandwidth.measure_tally import EXCHANGE, IDLE, LOOP, Counted, WireTally
from tools.bandwidth.plan_render import Measured
from tools.bandwidth.planner import PlanLine
from tools.bandwidth.site import Site

KEY = "protolab-measure"
SITE_ID = 1
FIRST_ADDRESS = "127.77.0.1"
PULSE_SECONDS = 10.0
IDLE_WINDOW = 60.0
#: the lab clock's wall time at the start (the controllers' date and the capture's times)
WALL_START = 1_750_000_000.0
#: loop controllers behind the measured IP-Link (the emulator's default loop)
LOOP_SIZE = 4
_TICK = 0.05
_IDLE_STEP = 0.5


@dataclass(slots=True)
class Measurement:
    """Figures by plan line key, and what no plan line holds."""

    measured: dict[str, Measured]
    details: dict[str, Any]
    notes: list[str] = field(default_factory=list)


async def measure_site(site: Site, *, first_address: str = FIRST_ADDRESS,
                       observer: WireObserver | None = None,
                       idle_window: float = IDLE_WINDOW) -> Measurement:
    """Reload every controller of ``site``, then count an idle window; ``observer`` (a capture)
    sees the gateway's datagrams too."""
    model = controller_model(site)
    if site.controllers < 1:
        raise ConfigurationError("--measure needs at least 1 controller in the site file")
    descriptions = [controller_site(site, i) for i in range(site.controllers)]
    clock = ManualClock(0.0, wall_start=WALL_START)
    tally = WireTally(IpFrameCodec(KEY))

    def both(direction: Direction, local_addr: tuple[str, int], peer_addr: tuple[str, int],
             transport: WireTransport, data: bytes, timestamp: float) -> None:
        tally(direction, local_addr, peer_addr, transport, data, timestamp)
        if observer is not None:
            observer(direction, local_addr, peer_addr, transport, data, timestamp)

    def loop_only(direction: Direction, local_addr: tuple[str, int],
                  peer_addr: tuple[str, int], transport: WireTransport, data: bytes,
                  timestamp: float) -> None:
        if transport == "serial":  # datagrams are seen once, at the gateway
            both(direction, local_addr, peer_addr, transport, data, timestamp)

    async with SimulatedGateway(KEY, SITE_ID, ("127.0.0.1", 0), clock=clock,
                                observer=both) as gateway:
        kt400 = site.controllers if model is DeviceModel.KT_400 else 0
        configs = build_fleet(FleetSettings(
            first_address=first_address, gateway=f"127.0.0.1:{gateway.address[1]}", key=KEY,
            site_id=SITE_ID, device_port=0, discovery_port=0, tftp_port=0, pulse=PULSE_SECONDS,
            kt400=kt400, kt1=site.controllers - kt400, iplink=1 if site.tcpip_sites else 0,
            loop_size=LOOP_SIZE))
        ticker = asyncio.ensure_future(_follow_real_time(clock))
        try:
            async with KantechFleet(configs, clock=clock, discovery_host="127.0.0.1",
                                    observer=loop_only) as fleet:
                hosts = [device.config.address for device in fleet.devices
                         if device.config.model is not DeviceModel.IP_LINK]
                iplinks = [device.config.address for device in fleet.devices
                           if device.config.model is DeviceModel.IP_LINK]
                for host, description in zip(hosts, descriptions, strict=True):
                    await gateway.wait_for_device(host, timeout=10.0)
                    await gateway.reload(host, description)
                for host in iplinks:
                    await gateway.wait_for_device(host, timeout=10.0)
                ticker.cancel()
                exchange_before = await _idle(clock, tally, idle_window, iplinks)
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
    return _result(site, tally, hosts, iplinks, idle_window, exchange_before)


async def _follow_real_time(clock: ManualClock) -> None:
    while True:
        await asyncio.sleep(_TICK)
        await clock.advance_async(_TICK)


async def _idle(clock: ManualClock, tally: WireTally, window: float,
                iplinks: list[str]) -> int:
    """Exactly ``window`` seconds of the lab clock with nothing asked of the controllers; gives
    the bytes of the IP-Links' other exchanges before it (the window's are its own)."""
    await asyncio.sleep(0.1)  # datagrams still on their way belong to the reload
    tally.reset(IDLE, LOOP)
    exchange_before = sum(tally.counts[host][EXCHANGE].total for host in iplinks)
    steps = round(window / _IDLE_STEP)
    for _ in range(steps):
        await clock.advance_async(_IDLE_STEP)
        await asyncio.sleep(0.02)  # the gateway reads and acknowledges what the step sent (an ACK
        # read late would let a device time out on the lab clock and pulse again)
    await asyncio.sleep(0.1)
    tally.counting = False
    return exchange_before


def _key(section: str, component: str) -> str:
    return PlanLine(section, "", component, 0, 0).key


def _measured(counted: Counted, divisor: float = 1.0) -> Measured:
    return Measured(round(counted.payload / divisor), round(counted.protocol_overhead / divisor),
                    round(counted.transport_overhead / divisor))


def _result(site: Site, tally: WireTally, hosts: list[str], iplinks: list[str],
            window: float, exchange_before: int) -> Measurement:
    measured: dict[str, Measured] = {}
    totals: dict[str, Counted] = {}
    for host in hosts:
        for component, counted in tally.counts[host].items():
            total = totals.setdefault(component, Counted())
            for name in ("payload", "protocol_overhead", "transport_overhead", "frames"):
                setattr(total, name, getattr(total, name) + getattr(counted, name))
    first = tally.counts[hosts[0]]
    for component, counted in first.items():
        if component not in (EXCHANGE, IDLE):
            measured[_key("controller_reload_per_controller", component)] = _measured(counted)
    for component, counted in totals.items():
        if component not in (EXCHANGE, IDLE):
            measured[_key("controller_reload_total", component)] = _measured(counted)
    idle = totals.get(IDLE, Counted())
    measured[_key("idle", "TCP/IP sites")] = _measured(idle, window)
    exchange = _as_dict(first.get(EXCHANGE, Counted()))
    details: dict[str, Any] = {
        "controllers": len(hosts), "controller_model": site.controller_model,
        "pulse_seconds": PULSE_SECONDS, "idle_window_seconds": window,
        "idle_pulses": idle.frames, "idle_bytes_on_wire": idle.total,
        "exchange_per_controller": exchange,
        "exchange_total": _as_dict(totals.get(EXCHANGE, Counted())),
        "reload_bytes_on_wire_total": sum(c.total for k, c in totals.items() if k != IDLE),
    }
    polling_note = _polling(site, tally, iplinks, window, exchange_before, measured, details)
    notes = [
        "Measured on emulated controllers and the simulated gateway over loopback UDP: payload "
        "is what the paper counts (records, a PULSE's data), protocol is the rest of each 0x99 "
        "frame, transport the Ethernet II + IPv4 + UDP headers (42 bytes a datagram).",
        "The reload's RELOAD_BEGIN, RELOAD_END and the controllers' ACKs are in no table: "
        f"{exchange['total']} bytes per controller on the wire "
        "(exchange_per_controller in --json).",
        f"Idle: the PULSE heartbeats of {len(hosts)} IP controllers (one every "
        f"{PULSE_SECONDS:g} s) over {window:g} s of the lab clock, set beside table 10's "
        "per-TCP/IP-site figure.",
        "Not measured: the gateway reload (tables 8 and 9 are EntraPass server and workstation "
        "traffic, which no emulator runs).",
        polling_note,
    ]
    if site.floors:
        notes.append(f"Not measured: {site.floors} floors (the measured controllers get no "
                     "elevator records).")
    return Measurement(measured, details, notes)


def _polling(site: Site, tally: WireTally, iplinks: list[str], window: float,
             exchange_before: int, measured: dict[str, Measured], details: dict[str, Any]) -> str:
    """The polling line from the one measured IP-Link: its loop per second, once per TCP/IP
    site; what the IP-Link itself sends on the network is in the details."""
    if not iplinks:
        return "Polling: the site has no TCP/IP sites (tcpip_sites = 0), so nothing is polled."
    counts = tally.counts[iplinks[0]]
    loop = counts.get(LOOP, Counted())
    network = (counts.get(IDLE, Counted()).total + counts.get(EXCHANGE, Counted()).total
               - exchange_before) / window
    per_site = loop.payload / window
    measured[_key("polling", "TCP/IP sites")] = Measured(round(per_site * site.tcpip_sites), 0, 0)
    details.update({
        "polling_loop_size": LOOP_SIZE,
        "polling_loop_bytes_per_second_per_site": round(per_site, 1),
        "polling_loop_writes": loop.frames,
        "polling_network_bytes_per_second_per_site": round(network, 1),
    })
    return (f"Polling: one IP-Link polling a loop of {LOOP_SIZE} controllers for {window:g} s "
            f"of the lab clock, {per_site:,.0f} bytes per second on its serial loop (POLLs and "
            f"the controllers' answers), counted for each of the {site.tcpip_sites} TCP/IP "
            "sites. WIRE.md's IP-Link polls its loop itself, so the network between gateway and "
            f"IP-Link carries no poll, only the IP-Link's own traffic (its PULSEs here): "
            f"{network:,.1f} bytes per second a site with headers, not the paper's 54 + 5 and "
            "54 + 1 bytes a poll.")


def _as_dict(counted: Counted) -> dict[str, int]:
    return {"frames": counted.frames, "payload": counted.payload,
            "protocol_overhead": counted.protocol_overhead,
            "transport_overhead": counted.transport_overhead, "total": counted.total}
