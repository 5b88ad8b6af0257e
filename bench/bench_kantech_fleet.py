"""Benchmark: 100,000 emulated Kantech controllers in one process, pulsing and answering status.

Goal (issue 8): 100,000 KT-400/KT-1 in one process pulsing every 10 s to a gateway in another
process, each answering from its own 127.x address: <= 10 KiB RSS per controller, pulse jitter
p99 <= 50 ms, start <= 30 s, status requests answered with none lost. (Issue 7's goal was
10,000 at <= 50 KiB and <= 100 ms.)

Why two processes: the fleet's RSS must be measured alone, so it runs in a child process (this
``bench.kantech_fleet_process``) pinned to core 0, with the real controller models and, like
``protolab kantech emulate``, one UDP socket per device port for every address (IP_PKTINFO). The
gateway (the load) runs here, pinned to the other core, so its decoding does not steal the
fleet's CPU and shows up as jitter.

What is measured:

- start time: building the configs, every model and socket, and sending every ANNOUNCE;
- RSS per device: (child RSS after start - child RSS before building the fleet) / N, read from
  /proc; again after the pulse and status phases (steady state: replay windows, ACKed announces);
- pulse jitter: for every device, how far each interval between two of its pulses, as timestamped
  when the gateway reads the datagram, is from the configured pulse (p50/p99/max over all
  intervals); pulses received vs. expected from the scheduler's golden-ratio spread;
- status answers per second: STATUS_QUERY round trips through GatewayEndpoint, a bounded number in
  flight, spread over all devices, each answered by the real controller model.

Run a smaller fleet with ``KANTECH_FLEET_DEVICES=2000`` or ``python -m bench.bench_kantech_fleet 2000``.
"""

from __future__ import annotations

import asyncio
import gc
import ipaddress
import itertools
import json
import math
import os
import socket
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.benchmarks_md import write_section
from bench.kantech_fleet_process import KEY, SITE, cpu_seconds, pin_to_core, rss_bytes
from bench.kantech_fleet_process import main as run_fleet_process
from kantech_proto.endpoint_events import Address, EndpointEvent, MessageReceived
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import Announce, Pulse, StatusQuery, StatusReply
from kantech_proto.transports.endpoint_driver import EndpointDriver, RequestTimeoutError
from kantech_proto.transports.udp import UdpLink
from protolab.logs import configure_logging
from protolab.ports import free_port

COMMAND = "make bench  (or: .venv/bin/python -m bench kantech_fleet)"
DEVICES = 100_000
FIRST_ADDRESS = "127.40.0.1"  # 100,000 devices span 127.40.0.1 .. 127.41.134.160
SESSION = bytes.fromhex("0000000040aa")
PULSE = 10.0
PULSE_WINDOW = 25.0  # every device pulses 2 or 3 times
STATUS_SECONDS = 5.0
IN_FLIGHT = 256
RETRY, ATTEMPTS = 1.0, 5  # the gateway's request policy: a status is lost after 5 s unanswered
GOAL_KIB = 10.0
GOAL_JITTER_MS = 50.0  # p99
GOAL_START_S = 30.0
READY_TIMEOUT = 300.0
_GOLDEN = 0.6180339887498949  # fleet_runtime's first-beat spread: index * golden mod 1


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(0, math.ceil(fraction * len(sorted_values)) - 1)
    return sorted_values[min(rank, len(sorted_values) - 1)]


def expected_pulses(count: int, pulse: float, t0: float, t_end: float) -> int:
    """Beats due in [t0, t_end] given the fleet scheduler's first beat at t0 + pulse*frac(i*golden)."""
    total = 0
    for index in range(count):
        first = t0 + pulse * ((index * _GOLDEN) % 1.0)
        if first <= t_end:
            total += int((t_end - first) // pulse) + 1
    return total


# -- the gateway side (this process) ---------------------------------------------------------

class _GatewayDriver(EndpointDriver):
    """Gateway driver that timestamps pulses when their datagram is read, instead of queueing
    every event (a queue of 10,000 announces and 1,000 pulses/s would only add latency)."""

    def __init__(self, endpoint: GatewayEndpoint, link: UdpLink) -> None:
        super().__init__(endpoint, link.send, name="bench-gateway")
        self.pulses: dict[str, list[float]] = {}
        self.announces = 0
        self.other = 0
        self._fed_at = 0.0

    def feed(self, data: bytes, peer: Address) -> None:
        self._fed_at = self.now()
        super().feed(data, peer)

    def _dispatch(self, event: EndpointEvent) -> None:
        if isinstance(event, MessageReceived):
            message = event.frame.message
            if isinstance(message, Pulse):
                self.pulses.setdefault(event.peer[0], []).append(self._fed_at)
            elif isinstance(message, Announce):
                self.announces += 1
            else:
                self.other += 1
            return
        super()._dispatch(event)


@dataclass
class FleetResult:
    """Everything one run measured; ``markdown`` turns it into the BENCHMARKS.md section."""

    devices: int
    start_seconds: float
    rss_before: int
    rss_configs: int
    rss_after_start: int
    rss_after_run: int
    pulses_received: int
    pulses_expected: int
    devices_pulsing: int
    jitter_ms: list[float] = field(default_factory=list)
    announces: int = 0
    status_answers: int = 0
    status_seconds: float = 0.0
    status_lost: int = 0
    status_bytes: int = 0
    pinned: bool = False
    nofile: tuple[int, int] = (0, 0)
    pulse: float = PULSE
    window: float = PULSE_WINDOW
    first_address: str = FIRST_ADDRESS
    gc_pauses: dict[str, list[float]] = field(default_factory=dict)
    full_collect_ms: float = 0.0
    status_cpu: tuple[float, float] = (0.0, 0.0)  # busy fraction of a core: fleet, gateway
    models_built: int = 0
    load_before: str = ""
    load_after: str = ""

    @property
    def kib_per_device(self) -> float:
        return (self.rss_after_start - self.rss_before) / max(1, self.devices) / 1024

    @property
    def kib_per_device_run(self) -> float:
        return (self.rss_after_run - self.rss_before) / max(1, self.devices) / 1024

    @property
    def config_kib_per_device(self) -> float:
        return (self.rss_configs - self.rss_before) / max(1, self.devices) / 1024

    @property
    def status_rate(self) -> float:
        return self.status_answers / self.status_seconds if self.status_seconds else 0.0

    def jitter(self, fraction: float) -> float:
        return percentile(self.jitter_ms, fraction)

    def markdown(self) -> str:
        def verdict(ok: bool) -> str:
            return "met" if ok else "MISSED"

        kib, kib_run = self.kib_per_device, self.kib_per_device_run
        p50, p99, worst = self.jitter(0.5), self.jitter(0.99), self.jitter(1.0)
        return f"""
{self.devices:,} emulated controllers (half KT-400, half KT-1, real controller models, built
when first needed) in one process (`KantechFleet`, one UDP socket for every address via
IP_PKTINFO, {self.first_address} upward), pulsing every {self.pulse:g} s to a gateway
(`GatewayEndpoint` over `UdpLink`) in a second process; fleet pinned to core 0, gateway to
core 1: {"yes" if self.pinned else "no (one core)"}. Load average before the run:
{self.load_before}.

| measure | result | goal |
|---|---|---|
| devices | {self.devices:,} | 100,000 |
| start (configs, runtimes, paced ANNOUNCEs) | {self.start_seconds:.1f} s | <= {GOAL_START_S:.0f} s: \
{verdict(self.start_seconds <= GOAL_START_S)} |
| RSS per device after start | {kib:.2f} KiB | <= {GOAL_KIB:.0f} KiB: {verdict(kib <= GOAL_KIB)} |
| RSS per device after pulses + status load | {kib_run:.2f} KiB | <= {GOAL_KIB:.0f} KiB: \
{verdict(kib_run <= GOAL_KIB)} |
| pulse jitter p50 / p99 / max | {p50:.1f} / {p99:.1f} / {worst:.1f} ms | p99 <= \
{GOAL_JITTER_MS:.0f} ms: {verdict(p99 <= GOAL_JITTER_MS)} |
| pulses received / expected in {self.window:g} s | {self.pulses_received:,} / \
{self.pulses_expected:,} ({self.devices_pulsing:,} devices heard) | all |
| status answers/s ({IN_FLIGHT} in flight, all devices in turn; {ATTEMPTS} attempts \
{RETRY:g} s apart) | {self.status_rate:,.0f} \
({self.status_lost} lost) | none lost: {verdict(self.status_lost == 0)} |

- RSS: child process, /proc statm, before building the fleet (modules already imported) and after
  `start()`; the per-device configs alone are {self.config_kib_per_device:.2f} KiB. A status
  query builds that device's controller model, so the second RSS includes the
  {self.models_built:,} models the status load built.
- jitter: |interval between two pulses of one device - {self.pulse:g} s|, timestamped when the
  gateway reads the datagram (the gateway does not collect garbage while it times pulses; the
  fleet under test keeps its collector); {len(self.jitter_ms):,} intervals.
- fleet process garbage collector while running, per generation (collections, longest pause):
  {", ".join(f"gen{g} {int(v[0])} x <= {v[1]:.0f} ms" for g, v in sorted(self.gc_pauses.items()))}
- a forced full `gc.collect()` of the running fleet stalls its loop {self.full_collect_ms:.0f} ms \
(the benchmark collects only before the pulses start: a collection during them showed as jitter)
- status load: fleet process {self.status_cpu[0]:.0%} of its core, gateway \
{self.status_cpu[1]:.0%} of its core (the busier one is the limit)
- announces received at the gateway during start: {self.announces:,}; status data
  {self.status_bytes} bytes per answer; load average at the end: {self.load_after}.
"""


def _status_peers(count: int, first: str, port: int) -> list[tuple[str, int]]:
    base = ipaddress.IPv4Address(first)
    return [(str(base + i), port) for i in range(count)]


async def status_load(driver: EndpointDriver, peers: list[tuple[str, int]], seconds: float,
                      in_flight: int = IN_FLIGHT) -> tuple[int, float, int, int]:
    """STATUS_QUERY round trips with ``in_flight`` outstanding, every device in turn.

    Returns (answers within the window, window seconds, requests lost, status data bytes).
    """
    loop = asyncio.get_running_loop()
    counts = {"next": 0, "answers": 0, "lost": 0, "bytes": 0}
    started = loop.time()
    deadline = started + seconds

    async def worker() -> None:
        while loop.time() < deadline:
            peer = peers[counts["next"] % len(peers)]
            counts["next"] += 1
            try:
                reply = await driver.request(peer, StatusQuery())
            except RequestTimeoutError:
                counts["lost"] += 1
                continue
            message = reply.frame.message
            if not isinstance(message, StatusReply) or reply.peer[0] != peer[0]:
                raise RuntimeError(f"{peer[0]} answered {type(message).__name__} from {reply.peer}")
            if loop.time() <= deadline:
                counts["answers"] += 1
                if not counts["bytes"]:
                    counts["bytes"] = len(message.encode_data())

    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return counts["answers"], seconds, counts["lost"], counts["bytes"]


async def run_benchmark(count: int = DEVICES, *, pulse: float = PULSE, window: float = PULSE_WINDOW,
                        status_seconds: float = STATUS_SECONDS, first_address: str = FIRST_ADDRESS,
                        in_flight: int = IN_FLIGHT, pin: bool = True) -> FleetResult:
    """Start the fleet in a child process, collect its pulses for ``window`` s, then load it with
    status queries for ``status_seconds`` s; the child's RSS is read before it stops."""
    load_before = load_average()
    pinned = pin_to_core(1) if pin else False
    endpoint = GatewayEndpoint(IpFrameCodec(KEY), SITE, SESSION, retry_interval=RETRY, max_attempts=ATTEMPTS)
    link = await UdpLink.open(endpoint, ("127.0.0.1", 0), name="bench-gateway")
    link.driver.close()
    driver = link.driver = _GatewayDriver(endpoint, link)
    sock = link.transport.get_extra_info("socket") if link.transport else None
    if sock is not None:  # 10,000 ANNOUNCEs arrive in a burst during start
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    device_port = free_port(kind=socket.SOCK_DGRAM)
    gc_pauses: dict[str, list[float]] = {}
    full_collect_ms = 0.0
    models_built = 0
    root = Path(__file__).resolve().parent.parent
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.kantech_fleet_process", str(count), first_address,
        str(device_port), str(link.local_address[1]), repr(pulse), "1" if pin else "0",
        cwd=root, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert child.stdin is not None and child.stdout is not None
    try:
        line = await asyncio.wait_for(child.stdout.readline(), READY_TIMEOUT)
        if not line:
            raise RuntimeError(f"the fleet process exited ({await child.wait()}) before starting")
        ready: dict[str, Any] = json.loads(line)
        t0 = float(ready["t0"])
        t_end = t0 + window
        # The gateway here is the measuring instrument: its own collections (its per-device
        # state is as large as the fleet) would hold datagrams in the socket and read as the
        # fleet's jitter, so it does not collect while it times pulses. The fleet keeps its GC.
        gc.collect()
        gc.freeze()
        gc.disable()
        try:
            await asyncio.sleep(max(0.0, t_end - asyncio.get_running_loop().time()))
        finally:
            gc.enable()
        pulses = {address: [t for t in times if t <= t_end] for address, times in driver.pulses.items()}
        peers = _status_peers(int(ready["devices"]), first_address, device_port)
        fleet_cpu, gateway_cpu = cpu_seconds(child.pid), time.process_time()
        answers, seconds, lost, status_bytes = await status_load(driver, peers, status_seconds,
                                                                 in_flight)
        fleet_cpu = (cpu_seconds(child.pid) - fleet_cpu) / seconds
        gateway_cpu = (time.process_time() - gateway_cpu) / seconds
        rss_after_run = rss_bytes(child.pid)
    finally:
        if child.returncode is None:
            child.stdin.write(b"stop\n")
            child.stdin.close()
            try:
                gc_line = await asyncio.wait_for(child.stdout.readline(), 30)
                stopped: dict[str, Any] = json.loads(gc_line) if gc_line else {}
                gc_pauses = stopped.get("gc", {})
                full_collect_ms = float(stopped.get("full_collect_ms", 0.0))
                models_built = int(stopped.get("models_built", 0))
            except (TimeoutError, ValueError, KeyError):
                pass
            try:
                await asyncio.wait_for(child.wait(), 60)
            except TimeoutError:
                child.kill()
                await child.wait()
        link.close()
    jitter = sorted(abs((later - earlier) - pulse) * 1000
                    for times in pulses.values() for earlier, later in itertools.pairwise(times))
    return FleetResult(
        devices=int(ready["devices"]), start_seconds=float(ready["start_seconds"]),
        rss_before=int(ready["rss_before"]), rss_configs=int(ready["rss_configs"]),
        rss_after_start=int(ready["rss_after"]), rss_after_run=rss_after_run,
        pulses_received=sum(map(len, pulses.values())),
        pulses_expected=expected_pulses(int(ready["devices"]), pulse, t0, t_end),
        devices_pulsing=sum(1 for times in pulses.values() if times), jitter_ms=jitter,
        announces=driver.announces, status_answers=answers, status_seconds=seconds,
        status_lost=lost, status_bytes=status_bytes, pinned=pinned and bool(ready["pinned"]),
        nofile=(int(ready["nofile"][0]), int(ready["nofile"][1])), pulse=pulse, window=window,
        first_address=first_address, gc_pauses=gc_pauses, full_collect_ms=full_collect_ms,
        status_cpu=(fleet_cpu, gateway_cpu), models_built=models_built,
        load_before=load_before, load_after=load_average())


def _device_count(argv: Sequence[str]) -> tuple[int, str]:
    """N from the command line or KANTECH_FLEET_DEVICES (one shared socket: no fd limit)."""
    wanted = int(argv[0]) if argv else int(os.environ.get("KANTECH_FLEET_DEVICES", DEVICES))
    return wanted, ""


def load_average() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark (``--child ...`` is the fleet process this starts)."""
    args = list(sys.argv[1:] if argv is None and __name__ == "__main__" else argv or [])
    if args[:1] == ["--child"]:
        run_fleet_process(args[1:7])
        return
    configure_logging("WARNING")
    count, note = _device_count(args)
    result = asyncio.run(run_benchmark(count))
    body = result.markdown() + (f"- {note}\n" if note else "")
    name = "kantech-fleet" if count == DEVICES else f"kantech-fleet-{count:,}".replace(",", "_")
    command = COMMAND if count == DEVICES else f"python -m bench.bench_kantech_fleet {count}"
    write_section(name, command, body)
    print(body, flush=True)


if __name__ == "__main__":
    main()
