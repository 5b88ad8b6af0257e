"""Benchmark: 100,000 emulated printers in one process (emulators.printers).

Measures what the fleet design promises: start time, resident memory per printer (RSS before and
after building the fleet, from /proc/self/statm), GET/GETNEXT rates through the MibView API at one
target and spread over all 100,000, and the same GETs over the wire through ekm_proto's
SnmpServer (the emulator in its own process on core 0, a multi-target UDP client on core 1).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.benchmarks_md import write_section
from ekm_proto.snmp.manager.encoding import encode_community_request, response_id
from ekm_proto.snmp.manager.targets import Community
from ekm_proto.snmp.message import Pdu, PduType
from ekm_proto.snmp.types import NULL, Oid
from emulators.printers.catalog import compile_profile
from emulators.printers.fleet import PrinterFleet
from emulators.printers.profiles import load_profiles
from protolab.clock import SystemClock
from protolab.logs import configure_logging

COMMAND = "make bench  (or: .venv/bin/python -m bench printer_fleet)"
COUNT = 100_000
FIRST = "127.30.0.1"
TARGET_KIB = 15
TARGET_START = 10.0
LIFE: Oid = (1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4, 1, 1)
PROBES: list[Oid] = [LIFE, (1, 3, 6, 1, 2, 1, 1, 3, 0), (1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 1),
                     (1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1), (1, 3, 6, 1, 2, 1, 43, 5, 1, 1, 17, 1)]
WIRE_SECONDS = 2.0
PUBLIC = Community(b"public")
IN_FLIGHT = 64


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _pin(core: int) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > core:
        os.sched_setaffinity(0, {core})


def build_fleet() -> tuple[PrinterFleet, float, float]:
    models = [compile_profile(p) for p in load_profiles().values()]
    before = rss_bytes()
    start = time.perf_counter()
    fleet = PrinterFleet(models, COUNT, FIRST, SystemClock(), seed=1, simulate=True)
    seconds = time.perf_counter() - start
    return fleet, seconds, (rss_bytes() - before) / COUNT


def view_rates(fleet: PrinterFleet, addresses: list[str], n: int = 300_000) -> tuple[float, float]:
    """(GET/s, GETNEXT/s) through lookup + MibView, cycling targets and probe OIDs."""
    lookup = fleet.lookup
    count = len(addresses)
    start = time.perf_counter()
    for i in range(n):
        agent = lookup(addresses[i % count])
        if agent is not None:
            agent.get(PROBES[i % 5])
    gets = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(n):
        agent = lookup(addresses[i % count])
        if agent is not None:
            agent.get_next(PROBES[i % 5])
    return gets, n / (time.perf_counter() - start)


def first_touch(fleet: PrinterFleet, addresses: list[str]) -> float:
    """Seconds for one lookup of every printer: each starts its simulated life then."""
    start = time.perf_counter()
    for address in addresses:
        fleet.lookup(address)
    return time.perf_counter() - start


def _request(request_id: int) -> bytes:
    return encode_community_request(PUBLIC, Pdu(PduType.GET, request_id, 0, 0, [(LIFE, NULL)]))


async def wire_rate(port: int, addresses: list[str], seconds: float) -> tuple[float, int]:
    """GETs answered per second with IN_FLIGHT outstanding, each answer checked to come back
    from the address asked; returns (rate, requests lost to the 0.5 s timeout)."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.setblocking(False)
    outstanding: dict[int, tuple[str, float]] = {}
    counts = {"next": 0, "answers": 0, "lost": 0, "wrong": 0}
    counting = False

    def send_next() -> None:
        request_id = counts["next"] = (counts["next"] + 1) & 0x7FFFFFFF
        address = addresses[request_id % len(addresses)]
        outstanding[request_id] = (address, time.monotonic())
        try:
            sock.sendto(_request(request_id), (address, port))
        except BlockingIOError:
            pass

    def readable() -> None:
        while True:
            try:
                data, (source, _) = sock.recvfrom(65536)
            except (BlockingIOError, InterruptedError):
                return
            sent = outstanding.pop(response_id(data), None)
            if sent is None:
                continue
            if counting:
                if sent[0] == source:
                    counts["answers"] += 1
                else:
                    counts["wrong"] += 1
            send_next()

    loop.add_reader(sock.fileno(), readable)
    try:
        for _ in range(IN_FLIGHT):
            send_next()
        await asyncio.sleep(0.3)
        counting = True
        counts["answers"] = 0
        start = time.perf_counter()
        deadline = start + seconds
        while time.perf_counter() < deadline:
            await asyncio.sleep(0.1)
            now = time.monotonic()
            for request_id, (_, sent_at) in list(outstanding.items()):
                if now - sent_at > 0.5:
                    del outstanding[request_id]
                    counts["lost"] += 1
                    send_next()
        elapsed = time.perf_counter() - start
    finally:
        loop.remove_reader(sock.fileno())
        sock.close()
    if counts["wrong"]:
        raise RuntimeError(f"{counts['wrong']} answers came from the wrong address")
    return counts["answers"] / elapsed, counts["lost"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wire(addresses: list[str]) -> tuple[float, float, float, int]:
    """Start the emulator (one profile that always answers) and load it from this process."""
    port = _free_port()
    root = Path(__file__).resolve().parent.parent
    argv = [sys.executable, "-m", "protolab", "--log-level", "WARNING", "printers", "emulate",
            "--count", str(COUNT), "--profile", "hp-pagewide-785f", "--static", "--port",
            str(port), "--bind", "0.0.0.0", "--duration", "120"]
    server = subprocess.Popen(argv, cwd=root, preexec_fn=lambda: _pin(0),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = time.perf_counter()
        while asyncio.run(wire_rate(port, addresses[:1], 0.2))[0] == 0:
            if server.poll() is not None or time.perf_counter() - started > 60:
                raise RuntimeError("the emulator did not start answering")
        ready = time.perf_counter() - started
        one, _ = asyncio.run(wire_rate(port, addresses[:1], WIRE_SECONDS))
        spread, lost = asyncio.run(wire_rate(port, addresses, WIRE_SECONDS))
    finally:
        server.terminate()
        server.wait(10)
    return one, spread, ready, lost


def main() -> None:
    configure_logging("WARNING")
    _pin(1)
    fleet, start_seconds, per_printer = build_fleet()
    addresses = [state.address for state in fleet.printers]
    touch = first_touch(fleet, addresses)
    one_get, one_next = view_rates(fleet, addresses[:1])
    all_get, all_next = view_rates(fleet, addresses)
    del fleet
    try:
        wire_one, wire_all, ready, lost = wire(addresses)
        wire_rows = (f"| over the wire (SnmpServer, v2c GET, {IN_FLIGHT} in flight) | "
                     f"{wire_one:,.0f} GET/s | {wire_all:,.0f} GET/s ({lost} lost) |")
        wire_note = (f"- over the wire: the emulator in its own process (core 0, `--profile "
                     f"hp-pagewide-785f --static`) answered after {ready:.1f} s; the client (core 1)"
                     " checks every answer comes from the address asked")
    except (OSError, RuntimeError) as exc:
        wire_rows = f"| over the wire | not measured: {exc} | |"
        wire_note = "- over the wire: not measured"
    kib = per_printer / 1024
    body = f"""
{COUNT:,} printers of the twelve profiles (`--mix`) in one process, usage simulation on.

| measure | 1 target | {COUNT:,} targets |
|---|---|---|
| MibView GET (lookup + get, 5 OIDs in turn) | {one_get:,.0f}/s | {all_get:,.0f}/s |
| MibView GETNEXT (lookup + get_next) | {one_next:,.0f}/s | {all_next:,.0f}/s |
{wire_rows}

- start: {start_seconds:.1f} s for {COUNT:,} printers (goal <= {TARGET_START:.0f} s: \
{"met" if start_seconds <= TARGET_START else "MISSED"})
- first lookup of every printer (starts its simulated usage): {touch:.1f} s
- memory: {kib:.2f} KiB RSS per printer (goal <= {TARGET_KIB} KiB: \
{"met" if kib <= TARGET_KIB else "MISSED"}); layouts are shared per profile
{wire_note}
"""
    write_section("printer-fleet", COMMAND, body)
    print(body)


if __name__ == "__main__":
    main()
