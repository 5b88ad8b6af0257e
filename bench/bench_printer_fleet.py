"""Benchmark: 1,000,000 printers (the twelve profiles mixed) in one emulator process, each on its own
127.x.y.z address, as ``protolab printers emulate --mix --count 1000000`` runs them.

Measured over the wire, the emulator pinned to core 0 and the clients to core 1: the time until it
answers (start); every printer asked once; resident memory per printer then (RSS from /proc; goal
<= 2 KiB); a sample of 10,000 printers spread over the whole range, each answering from its own
address or silent as its profile says (the control API confirms); GET throughput and server CPU
per GET at one target and spread over the printers in turn (flat in the number of printers: goal
>= 0.9x; the spread rows address the printers whose profile answers every request: an OfficeJet
asleep is silent, a 2% drop quirk drops); SNMPv3 authPriv GET against net-snmp's snmpd in the same
run (goal >= 0.8x).

``.venv/bin/python -m bench printer_fleet`` (``--count N`` for a smaller fleet).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable

from bench.bench_printer_path import IN_FLIGHT, get_scenario, v3_scenario, walk
from bench.benchmarks_md import write_section
from bench.printer_servers import rss_bytes, servable, start_emulator, start_snmpd_serving
from bench.snmp_load import LoadClient, LoadResult
from bench.snmp_servers import Server
from ekm_proto.snmp.manager.encoding import encode_community_request, response_id
from ekm_proto.snmp.manager.targets import Community
from ekm_proto.snmp.message import Pdu
from ekm_proto.snmp.types import NULL
from emulators.printers.catalog import compile_profile
from emulators.printers.fleet_plan import ModelPlan
from emulators.printers.profiles import load_profiles
from protolab.ports import free_port

COMMAND = "make bench  (or: .venv/bin/python -m bench printer_fleet)"
COUNT = 1_000_000
FIRST = "127.64.0.1"
SAMPLE = 10_000
SYS_OBJECT_ID = (1, 3, 6, 1, 2, 1, 1, 2, 0)
FIRST_ID = 10_000
ANSWERING: list[str] = []  # the spread rows' targets (report names how many)


def addresses(count: int) -> list[str]:
    base = int.from_bytes(socket.inet_aton(FIRST), "big")
    return [socket.inet_ntoa((base + i).to_bytes(4, "big")) for i in range(count)]


Scenario = tuple[list[bytes], Callable[[bytes], int], Callable[[bytes, int], int]]


def _load(server: Server, scenario: Scenario, seconds: float,
          spread: list[str] | None = None) -> tuple[LoadResult, float]:
    requests, id_of, check = scenario
    client = LoadClient((server.address, server.port), requests, FIRST_ID, id_of, check,
                        in_flight=IN_FLIGHT, spread=spread)
    marks: list[float] = []
    result = asyncio.run(client.run(seconds, on_window=lambda _edge: marks.append(
        server.cpu_seconds())))
    return result, marks[1] - marks[0]


async def _sample(server: Server, targets: list[str], attempts: int = 3) -> set[str]:
    """Which of ``targets`` answer a GET of sysObjectID from their own address: 256 requests in
    flight, each re-sent after 0.5 s of silence up to ``attempts`` times in all."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.setblocking(False)
    answered: set[str] = set()
    waiting: dict[int, tuple[str, float, int]] = {}  # request id -> (target, sent, attempt)
    queue = list(reversed(targets))
    next_id = [FIRST_ID]
    slot_free = asyncio.Event()

    def send(target: str, attempt: int) -> None:
        request_id = next_id[0] = next_id[0] % 0x7FFFFFFF + 1
        waiting[request_id] = (target, time.monotonic(), attempt)
        pdu = Pdu(0xA0, request_id, 0, 0, [(SYS_OBJECT_ID, NULL)])
        try:
            sock.sendto(encode_community_request(Community(b"public"), pdu),
                        (target, server.port))
        except BlockingIOError:
            pass  # re-sent after its timeout

    def readable() -> None:
        while True:
            try:
                data, (source, _port) = sock.recvfrom(65536)
            except (BlockingIOError, InterruptedError):
                return
            sent = waiting.pop(response_id(data), None)
            if sent is not None and sent[0] == source:
                answered.add(source)
            slot_free.set()

    loop.add_reader(sock.fileno(), readable)
    try:
        while queue or waiting:
            while queue and len(waiting) < 256:
                send(queue.pop(), 1)
            slot_free.clear()
            try:
                await asyncio.wait_for(slot_free.wait(), 0.1)
            except TimeoutError:
                pass
            now = time.monotonic()
            for request_id, (target, sent_at, attempt) in list(waiting.items()):
                if now - sent_at > 0.5:
                    del waiting[request_id]
                    if attempt < attempts:
                        send(target, attempt + 1)
    finally:
        loop.remove_reader(sock.fileno())
        sock.close()
    return answered


def silent_by_profile(control: int, slot: int) -> bool:
    """What the control API says of a printer that did not answer: silent as its profile makes
    it (asleep on a model that ignores SNMP asleep, a dropped request) rather than broken."""
    with urllib.request.urlopen(f"http://127.0.0.1:{control}/printers/{slot}", timeout=10) as r:
        shown = json.loads(r.read())
    return not shown["answers_snmp"] or shown["quirks"]["drop_rate"] > 0


def always_answering(count: int) -> list[str]:
    """The addresses of printers whose profile answers every request (no deep sleep without
    SNMP, no dropped requests), for the throughput rows."""
    models = [compile_profile(p) for p in load_profiles().values()]
    plan = ModelPlan(models, count)
    everyone = addresses(count)
    return [everyone[i] for i in range(count)
            if not plan(i).silent_asleep and not plan(i).profile.quirks.drop_rate]


def main() -> None:
    count = int(sys.argv[sys.argv.index("--count") + 1]) if "--count" in sys.argv else COUNT
    if len(os.sched_getaffinity(0)) >= 2:
        os.sched_setaffinity(0, {1})
    everyone = addresses(count)
    answering = always_answering(count)
    ANSWERING[:] = answering
    servers: list[Server] = []
    figures: dict[str, object] = {}
    try:
        began = time.perf_counter()
        control = free_port()
        ours = start_emulator(FIRST, free_port(kind=socket.SOCK_DGRAM), 0, count=count, mix=True,
                              start_timeout=120, control=control)
        figures["start"] = time.perf_counter() - began
        servers.append(ours)
        figures["rss_start"] = rss_bytes(ours)
        items = servable(walk(ours))
        oids = [oid for oid, _ in items if oid[:7] != (1, 3, 6, 1, 2, 1, 43)][:40]
        touched = time.perf_counter()
        figures["touched"] = len(asyncio.run(_sample(ours, everyone, attempts=1)))
        figures["touch_seconds"] = time.perf_counter() - touched
        figures["rss_all"] = rss_bytes(ours)
        step = max(1, count // SAMPLE)
        sample = everyone[::step][:SAMPLE]
        answered = asyncio.run(_sample(ours, sample))
        quiet = [i * step for i, address in enumerate(sample) if address not in answered]
        explained = sum(silent_by_profile(control, slot) for slot in quiet)
        figures["sample"] = (len(answered), len(sample), explained, len(quiet) - explained)
        chosen = set(oids)
        snmpd = start_snmpd_serving([item for item in items if item[0] in chosen], "127.30.0.2",
                                    free_port(kind=socket.SOCK_DGRAM), 0)
        servers.append(snmpd)
        runs: dict[str, list[tuple[LoadResult, float]]] = {"one": [], "spread": [], "v3": [],
                                                         "v3-snmpd": []}
        scenario = get_scenario(oids)
        for _round in range(5):
            runs["one"].append(_load(ours, scenario, 2.0))
            runs["spread"].append(_load(ours, scenario, 2.0, spread=answering))
            runs["v3"].append(_load(ours, v3_scenario(ours, oids), 2.0))
            runs["v3-snmpd"].append(_load(snmpd, v3_scenario(snmpd, oids), 2.0))
            print({k: round(v[-1][0].rate) for k, v in runs.items()}, flush=True)
    finally:
        for server in servers:
            server.stop()
    write_section("printer-fleet", COMMAND, report(count, figures, runs))


def _best(runs: list[tuple[LoadResult, float]]) -> tuple[float, float, float, float]:
    """(best rate, median rate, best CPU us per answer, median CPU us per answer)."""
    rates = [r.rate for r, _ in runs]
    cpus = [cpu / max(r.answers, 1) * 1e6 for r, cpu in runs]
    return max(rates), statistics.median(rates), min(cpus), statistics.median(cpus)


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _line(figures: tuple[float, float, float, float]) -> str:
    return (f"{figures[0]:,.0f}/s (median {figures[1]:,.0f}), {figures[2]:.1f} us CPU "
            f"(median {figures[3]:.1f})")


def report(count: int, figures: dict[str, object], runs: dict[str, list[tuple[LoadResult, float]]]
           ) -> str:
    one, spread = _best(runs["one"]), _best(runs["spread"])
    v3, v3_snmpd = _best(runs["v3"]), _best(runs["v3-snmpd"])
    rss_all, rss_start = int(figures["rss_all"]), int(figures["rss_start"])  # type: ignore[call-overload]
    per_printer, added = rss_all / count, (rss_all - rss_start) / count
    sample = figures["sample"]
    assert isinstance(sample, tuple)
    answered, asked, explained, failed = (int(x) for x in sample)
    start = float(figures["start"])  # type: ignore[arg-type]
    flat, v3_ratio = spread[0] / one[0], v3[0] / v3_snmpd[0]
    rows = [
        ("start (process spawned to first answer)", f"{start:.1f} s",
         f"<= 30 s: {_verdict(start <= 30)}"),
        ("every printer asked once (a GET to each address, 256 in flight)",
         f"{figures['touched']:,} answered in {figures['touch_seconds']:.0f} s (the others: "
         "asleep or dropping, as their profile says)", ""),
        ("RSS then, whole process", f"{per_printer / 1024:.2f} KiB per printer "
         f"({rss_all / 2**20:,.0f} MiB)", f"<= 2 KiB: {_verdict(per_printer <= 2048)}"),
        ("RSS added by making the printers", f"{added / 1024:.2f} KiB per printer", ""),
        (f"sample of {asked:,} printers spread over the range",
         f"{answered:,} answered from their own address; {explained:,} silent as their profile "
         f"says (asleep on a model that ignores SNMP asleep, or dropping requests); {failed} "
         "failed", f"no failure: {_verdict(failed == 0)}"),
        ("GET, 1 target", _line(one), ""),
        (f"GET, {len(ANSWERING):,} printers in turn", _line(spread),
         f">= 0.9x of 1 target: {flat:.2f}x {_verdict(flat >= 0.9)} (CPU per GET "
         f"{one[2] / spread[2]:.2f}x, medians {one[3] / spread[3]:.2f}x)"),
        ("SNMPv3 authPriv GET, 1 target", _line(v3), ""),
        ("same, net-snmp snmpd", _line(v3_snmpd),
         f">= 0.8x: {v3_ratio:.2f}x {_verdict(v3_ratio >= 0.8)} (CPU "
         f"{v3_snmpd[2] / v3[2]:.2f}x)")]
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    load = os.getloadavg()
    return f"""
{count:,} printers (`--mix`, the twelve profiles) in one process on {count:,} addresses from
{FIRST} on, usage simulation on; emulator pinned to core 0, clients to core 1. A printer's state
is made the first time anything asks for it, as of the fleet's start.

| measure | result | goal |
|---|---|---|
{table}

- 5 interleaved rounds of 2 s each for the GET and v3 rows (best and median); 64 requests in
  flight, every answer checked (v3: MAC verified, decrypted), spread answers checked to come
  from the address asked
- load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores, other jobs running)
"""

if __name__ == "__main__":
    main()
