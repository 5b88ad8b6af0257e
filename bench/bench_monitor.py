"""Benchmark: the monitoring agent (ekm_proto.monitor) against 100,000 emulated printers.

The emulator (``protolab printers emulate --count 100000 --mix --static``) runs in its own
process on core 0; the agent in another on core 1, with working-hours intervals all day. The
agent discovers the fleet, then runs all five loops for RUN_SECONDS: the alert loop's pass times
(goal <= 3 minutes), requests/s, CPU and RSS come from that run. Then each loop makes one more
pass alone, to attribute the bytes on the wire to each loop; bytes per device per hour are those
per-pass figures times each loop's passes per working hour. Last, the alert loop's request on
10,000 printers through protolab's SnmpClient and through pysnmp's v1arch dispatcher.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.benchmarks_md import write_section
from bench.monitor_clients import addresses, protolab_pass, pysnmp_pass
from ekm_proto.snmp.manager.encoding import encode_community_request
from ekm_proto.snmp.manager.targets import Community
from ekm_proto.snmp.message import Pdu, PduType
from ekm_proto.snmp.types import NULL
from protolab.ports import free_port

COMMAND = "make bench  (or: .venv/bin/python -m bench monitor)"
COUNT = int(os.environ.get("PROTOLAB_BENCH_MONITOR_COUNT", "100000"))
CLIENT_COUNT = min(COUNT, 10_000)
RUN_SECONDS = float(os.environ.get("PROTOLAB_BENCH_MONITOR_SECONDS", "600"))
FIRST = "127.70.0.1"
IN_FLIGHT = 1024
GOAL_SECONDS = 180.0
PASSES_PER_HOUR = {"alert": 20, "identity": 6, "meter": 3, "consumables": 1, "tray": 0.125}
ROOT = Path(__file__).resolve().parent.parent


def _pinned(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 \
        else []


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# ---- the agent process ------------------------------------------------------------------------

async def _agent(port: int, db: Path) -> dict[str, Any]:
    from ekm_proto.monitor.agent import MonitorAgent
    from ekm_proto.monitor.credentials import community
    from ekm_proto.monitor.schedule import LoopSchedule, WorkingHours
    from ekm_proto.monitor.settings import MonitorSettings
    from ekm_proto.monitor.store import MonitorStore
    from ekm_proto.snmp.client import SnmpClient
    from protolab.clock import SystemClock

    last = ipaddress.IPv4Address(FIRST) + COUNT - 1
    always = LoopSchedule(hours=WorkingHours(start=0, end=24 * 60, days=frozenset(range(7))))
    settings = MonitorSettings(db=db, credentials=(community("public", 1),),
                               ranges=(f"{FIRST}-{last}",), port=port, schedule=always,
                               max_in_flight=IN_FLIGHT)
    clock = SystemClock()
    store = MonitorStore(db)
    result: dict[str, Any] = {"rss_start_mib": _rss_mib()}
    async with SnmpClient(clock, max_in_flight=IN_FLIGHT) as client:
        agent = MonitorAgent(settings, clock=clock, client=client, store=store)
        stats = client.manager.stats
        started, cpu = time.perf_counter(), time.process_time()
        await agent.discover()
        result["discovery"] = {"seconds": time.perf_counter() - started,
                               "cpu": time.process_time() - cpu, "requests": stats.sent,
                               "devices": len(agent.registry.active())}
        stop = asyncio.Event()
        before = dataclasses.replace(stats)
        started, cpu = time.perf_counter(), time.process_time()
        asyncio.get_running_loop().call_later(RUN_SECONDS, stop.set)
        await agent.run(stop)
        seconds = time.perf_counter() - started
        result["run"] = {"seconds": seconds, "cpu": time.process_time() - cpu,
                         "requests": stats.sent - before.sent,
                         "retransmitted": stats.retransmitted - before.retransmitted,
                         "bytes": stats.sent_bytes + stats.received_bytes - before.sent_bytes
                         - before.received_bytes,
                         "passes": {name: list(r.history) for name, r in agent.loops.items()},
                         "unfinished": {name: [r.done, r.total] for name, r in agent.loops.items()
                                        if r.done < r.total},
                         "window": agent.pacer.limit,
                         "rss_mib": _rss_mib(), "max_rss_mib":
                         resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        per_loop = {}
        for name, runner in agent.loops.items():  # one more pass each, alone: bytes per loop
            before = dataclasses.replace(stats)
            began = time.perf_counter()
            await runner.one_pass()
            per_loop[name] = {
                "seconds": time.perf_counter() - began, "requests": stats.sent - before.sent,
                "bytes": stats.sent_bytes + stats.received_bytes - before.sent_bytes
                - before.received_bytes, "devices": runner.total}
        result["alone"] = per_loop
        result["rows"] = {table: store.connection.execute(f"SELECT COUNT(*) FROM {table}")
                          .fetchone()[0] for table in ("devices", "meters", "supplies",
                                                       "trays", "alerts", "outbox")}
    store.close()
    return result


async def _clients(port: int) -> dict[str, Any]:
    """Both clients on the printers that answer (a first pass finds them): the figure is the
    clients' own cost, not the silent printers' timeouts."""
    found = await protolab_pass(addresses(FIRST, CLIENT_COUNT), port, 256)
    answering = found.pop("answering")
    ours = await protolab_pass(answering, port, 256)
    theirs = await pysnmp_pass(answering, port, 256)
    for result in (ours, theirs):
        del result["answering"]
    return {"found": found, "protolab": ours, "pysnmp": theirs}


def agent_main(argv: list[str]) -> None:
    """The child process: ``--agent PORT DB`` or ``--clients PORT``; prints one JSON line."""
    from protolab.logs import configure_logging

    configure_logging("WARNING")
    if argv[0] == "--agent":
        result = asyncio.run(_agent(int(argv[1]), Path(argv[2])))
    else:
        result = asyncio.run(_clients(int(argv[1])))
    print(json.dumps(result), flush=True)


# ---- the parent: processes and the report -----------------------------------------------------

def _child(*args: str, core: int, timeout: float) -> dict[str, Any]:
    done = subprocess.run([*_pinned(core), sys.executable, "-m", "bench.bench_monitor", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {done.stderr[-1500:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _start_emulator(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([*_pinned(0), sys.executable, "-m", "protolab", "--log-level",
                                "WARNING", "printers", "emulate", "--count", str(COUNT), "--mix",
                                "--static", "--port", str(port), "--first-address", FIRST],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.5)
        request = encode_community_request(Community(b"public"), Pdu(
            PduType.GET, 1, 0, 0, [((1, 3, 6, 1, 2, 1, 1, 5, 0), NULL)]))
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("the emulator exited")
            try:
                sock.sendto(request, (str(ipaddress.IPv4Address(FIRST) + 2), port))
                sock.recv(2048)
                return process
            except OSError:
                continue
    process.kill()
    raise RuntimeError("the emulator did not answer within 120 s")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _report(agent: dict[str, Any], clients: dict[str, Any], loads: list[str]) -> str:
    run, discovery = agent["run"], agent["discovery"]
    devices = discovery["devices"]
    alert = run["passes"]["alert"]
    worst = max(alert) if alert else float("inf")  # no pass finished within the run
    steady = alert[1:] or alert or [float("inf")]
    per_hour = {name: PASSES_PER_HOUR[name] * figures["bytes"] / max(1, devices)
                for name, figures in agent["alone"].items()}
    rows = "\n".join(
        f"| {name} | {figures['seconds']:.1f} s | {figures['requests']:,} | "
        f"{figures['bytes'] / max(1, devices):,.0f} B | {PASSES_PER_HOUR[name]:g} | "
        f"{per_hour[name]:,.0f} B |" for name, figures in agent["alone"].items())
    ours, theirs = clients["protolab"], clients["pysnmp"]
    verdict = "met" if worst <= GOAL_SECONDS else "MISSED"
    others = ", ".join(f"{name} {len(times)} ({', '.join(f'{t:.0f} s' for t in times)})"
                       for name, times in run["passes"].items() if name != "alert")
    unfinished = "; ".join(f"{name} {done:,} of {total:,} devices"
                           for name, (done, total) in run["unfinished"].items())
    if unfinished:
        others += f"; passes under way when the run ended: {unfinished}"
    return f"""
{COUNT:,} printers of the twelve profiles (`protolab printers emulate --count {COUNT} --mix \
--static`, core 0) and one agent process (core 1, {IN_FLIGHT} requests in flight, SNMPv2c,
working-hours intervals all day). Discovery found {devices:,} printers in \
{discovery['seconds']:.0f} s ({discovery['requests']:,} requests; the others are models that
ignore SNMP while asleep or are switched off at this hour, as their profiles say).

**All five loops together for {run['seconds']:.0f} s:** alert passes took \
{', '.join(f'{s:.0f} s' for s in alert) or 'none finished'} (goal <= {GOAL_SECONDS:.0f} s for every pass: \
{verdict}; after the first, which also reads every alert table once: \
{max(steady):.0f} s at most).
Passes of the other loops in that time: {others}.
{run['requests'] / run['seconds']:,.0f} SNMP requests/s on average ({run['retransmitted']:,} \
retransmitted); agent CPU {100 * run['cpu'] / run['seconds']:.0f}% of one core \
({run['cpu']:.0f} s); RSS {run['rss_mib']:.0f} MiB (peak {run['max_rss_mib']:.0f} MiB, \
{agent['rss_start_mib']:.0f} MiB before discovery).

**Bytes on the wire** (SNMP payload both ways) per device, one pass of each loop alone after \
the run, times that loop's passes per working hour:

| loop | pass | requests | bytes per device per pass | passes per hour | per device per hour |
|---|---|---|---|---|---|
{rows}
| **all** | | | | | **{sum(per_hour.values()):,.0f} B** ({sum(per_hour.values()) * 8 / 3600:,.1f} bit/s) |

**Client comparison**, the alert loop's GET (4 OIDs) to each of the \
{ours['printers']:,} printers that answer among the first {CLIENT_COUNT:,} (a first pass over \
all {CLIENT_COUNT:,}, silent ones included, took {clients['found']['seconds']:.1f} s), 256 at a \
time, from one process on core 1:

| client | pass | CPU | answered | requests/s |
|---|---|---|---|---|
| protolab SnmpClient | {ours['seconds']:.1f} s | {ours['cpu']:.1f} s | {ours['answered']:,} | \
{ours['answered'] / ours['seconds']:,.0f} |
| pysnmp {_pysnmp_version()} v1arch SnmpDispatcher | {theirs['seconds']:.1f} s | \
{theirs['cpu']:.1f} s | {theirs['answered']:,} | {theirs['answered'] / theirs['seconds']:,.0f} |

CPU per answered request: protolab {1e6 * ours['cpu'] / max(1, ours['answered']):.0f} us, \
pysnmp {1e6 * theirs['cpu'] / max(1, theirs['answered']):.0f} us (the emulator, on the other \
core, answers both the same way).

Database after the run: {', '.join(f'{k} {v:,}' for k, v in agent['rows'].items())} rows.
Load average (1, 5, 15 min) before / after the run / at the end: {' / '.join(loads)}.
"""


def _pysnmp_version() -> str:
    import pysnmp

    return str(pysnmp.__version__)


def main() -> None:
    loads = [_load()]
    port = free_port(kind=socket.SOCK_DGRAM)
    emulator = _start_emulator(port)
    folder = Path(tempfile.mkdtemp(prefix="protolab-bench-monitor-"))
    try:
        agent = _child("--agent", str(port), str(folder / "monitor.db"), core=1,
                       timeout=RUN_SECONDS + 3600)
        loads.append(_load())
        clients = _child("--clients", str(port), core=1, timeout=1200)
    finally:
        emulator.terminate()
        emulator.wait(30)
        shutil.rmtree(folder, ignore_errors=True)
    loads.append(_load())
    print(json.dumps({"agent": agent, "clients": clients}), flush=True)
    body = _report(agent, clients, loads)
    write_section("monitor", COMMAND, body)
    print(body)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        agent_main(sys.argv[1:])
    else:
        main()
