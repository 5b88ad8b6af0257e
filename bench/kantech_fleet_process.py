"""The fleet side of bench_kantech_fleet: a child process running the fleet, reporting its
figures as JSON lines on stdout and stopping when stdin says so.

``python -m bench.kantech_fleet_process COUNT FIRST DEVICE_PORT GATEWAY_PORT PULSE PIN``; the
benchmark starts it. Also the /proc readings both processes use.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import sys
import time
from collections.abc import Sequence

from protolab.logs import configure_logging

KEY = "bench-fleet-key"
SITE = 4040


def rss_bytes(pid: int | str = "self") -> int:
    """Resident set size of a process, from /proc (no psutil dependency)."""
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raise_fd_limit() -> tuple[int, int]:
    """Soft RLIMIT_NOFILE up to the hard limit: every device holds its own UDP socket."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def pin_to_core(core: int) -> bool:
    """Pin this process to one core when there are at least two, to mirror 'one process'."""
    if not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2:
        return False
    os.sched_setaffinity(0, {core % (os.cpu_count() or 1)})
    return True



async def run_fleet(count: int, first: str, device_port: int, gateway_port: int,
                     pulse: float, pin: bool) -> None:
    """Start the fleet, report its figures as one JSON line, run until stdin says stop."""
    # before the emulator modules bind their module-level loggers, or they keep INFO and print
    # one line per device and per batch to stderr
    configure_logging("WARNING")
    from emulators.kantech import controller_model  # noqa: F401  imported before the baseline
    from emulators.kantech.fleet_config import FleetSettings, build_fleet
    from emulators.kantech.fleet_runtime import KantechFleet

    pinned = pin_to_core(0) if pin else False
    soft, hard = raise_fd_limit()
    loop = asyncio.get_running_loop()
    gc.collect()
    before = rss_bytes()
    started = time.perf_counter()
    settings = FleetSettings(kt400=count - count // 2, kt1=count // 2, first_address=first,
                             gateway=f"127.0.0.1:{gateway_port}", key=KEY, site_id=SITE,
                             device_port=device_port, discovery_port=0, pulse=pulse)
    configs = build_fleet(settings)
    after_configs = rss_bytes()
    fleet = KantechFleet(configs, discovery_host="127.0.0.1")
    await fleet.start()
    t0 = fleet.clock.now()  # the gateway stamps pulses with the same (monotonic) clock
    start_seconds = time.perf_counter() - started
    after = rss_bytes()  # no gc.collect() here: the pulses already run, it would stall them
    pauses = _GcPauses()
    stop = asyncio.Event()
    loop.add_reader(sys.stdin.fileno(), stop.set)
    print(json.dumps({"devices": len(fleet.devices), "rss_before": before,
                      "rss_configs": after_configs, "rss_after": after, "t0": t0,
                      "start_seconds": start_seconds, "nofile": [soft, hard], "pinned": pinned}),
          flush=True)
    try:
        await stop.wait()
    finally:
        loop.remove_reader(sys.stdin.fileno())
        pauses.close()
        began = time.perf_counter()
        gc.collect()  # what one full collection of the whole fleet would stall the loop for
        full_ms = (time.perf_counter() - began) * 1000
        print(json.dumps({"gc": pauses.summary(), "full_collect_ms": full_ms,
                          "models_built": sum(d.model_built for d in fleet.devices)}),
              flush=True)
        await fleet.stop()


class _GcPauses:
    """Times the garbage collector while the fleet runs: a full collection walks every
    device's objects and stalls the loop, which is where pulse jitter comes from."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._began = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.pauses[info["generation"]].append((time.perf_counter() - self._began) * 1000)

    def close(self) -> None:
        if self._callback in gc.callbacks:
            gc.callbacks.remove(self._callback)

    def summary(self) -> dict[str, list[float]]:
        """Per generation: [collections, max pause ms]."""
        return {str(gen): [len(times), max(times, default=0.0)] for gen, times in self.pauses.items()}


def main(argv: Sequence[str]) -> None:
    count, first, device_port, gateway_port, pulse, pin = argv[:6]
    asyncio.run(run_fleet(int(count), first, int(device_port), int(gateway_port), float(pulse),
                          pin == "1"))


if __name__ == "__main__":
    main(sys.argv[1:])
