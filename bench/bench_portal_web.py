"""Benchmark: the portal web interface's asset list with 100,000 devices.

The store holds 100,000 devices (the overview's asset columns filled, ~5% with no zone or IP);
an operator is logged in; each page is fetched over loopback HTTP by an aiohttp client, so a
figure is the whole request: session check, the count and page queries, Jinja rendering and the
transfer. Pages asked for: the first page in the default order (device id), a page deep in the
list sorted by model (descending), the last page sorted by IP address, one customer's site, and
the customers-and-sites summary (a GROUP BY over every device).

Goal (issue 12, "render fast"): the asset list page <= 250 ms at 100,000 devices, whichever
page and sort (median of the runs).

``python -m bench portal_web [DEVICES]``; ``PORTAL_WEB_DEVICES`` also sets the fleet size.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.benchmarks_md import write_section
from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.web.accounts import add_operator
from ekm_proto.portal.web.app import create_app
from ekm_proto.portal.web.server import serve
from ekm_proto.portal.web.sessions import SESSION_COOKIE, open_session
from protolab.clock import SystemClock

DEVICES = 100_000
RUNS = 15
GOAL_MS = 250.0
ZONES = ("London", "Bristol", "Boise_HQ_Floor1", "192.168.11-254", None)
MODELS = ("PageWide Enterprise Color Flow MFP 785f", "ECOSYS M6026cdn", "CLX-8380ND",
          "Optra T 614 N", "Color LaserJet Managed Flow MFP M577cm", "WorkForce Pro WF-S190DW")
VENDORS = ("HP", "Kyocera", "Samsung", "Lexmark", "HP", "Epson")


def fill(store: PortalStore, devices: int, now: float) -> None:
    """Rows as the intake writes them, inserted in bulk (the intake's speed is not measured
    here)."""
    rows = []
    for i in range(devices):
        kind = i % len(MODELS)
        rows.append((f"SN{i:08d}", VENDORS[kind], MODELS[kind],
                     None if i % 20 == 7 else f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
                     f"0015{i:08X}", f"EQ-{i}", f"Floor {i % 9}", ZONES[i % len(ZONES)],
                     (i * 7919) % 250_000, now - (i % 900) * 86400.0,
                     f"agent{i % 10}@xmpp.test", f"site-{i % 10}", f"Customer {i % 10}",
                     now - 86400.0, now - (i % 3600)))
    with store.transaction():
        store.db.executemany(
            "INSERT INTO devices (serial, manufacturer, model, address, mac, asset_number, "
            "location, zone, engine_cycles, discovered_at, agent, agent_name, customer, "
            "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


async def measure(devices: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="bench-portal-web-") as folder:
        store = PortalStore(Path(folder) / "portal.db")
        clock = SystemClock()
        fill(store, devices, clock.wall())
        add_operator(store, "bench", "viewer", "bench-password", clock.wall())
        token = open_session(store, "bench", clock.wall())
        server = await serve(create_app(store, clock), "127.0.0.1", 0)
        last = max(1, -(-devices // 50))
        pages = {"first page, device id order": "/assets",
                 "page 1,000 by model, descending": "/assets?sort=model&order=desc&page=1000",
                 f"last page ({last:,}) by IP address": f"/assets?sort=ip&page={last}",
                 "one customer's site, by engine cycles": "/assets?customer=Customer+3"
                                                         "&site=London&sort=cycles",
                 "customers and sites (summary)": "/customers"}
        times: dict[str, list[float]] = {name: [] for name in pages}
        jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[server.url])
        jar.update_cookies({SESSION_COOKIE: token})
        try:
            async with aiohttp.ClientSession(server.url, cookie_jar=jar) as client:
                for _ in range(RUNS):
                    for name, path in pages.items():
                        start = time.perf_counter()
                        async with client.get(path) as response:
                            body = await response.read()
                        elapsed = (time.perf_counter() - start) * 1000
                        if response.status != 200 or b"Log in" in body[:2000]:
                            raise RuntimeError(f"{path}: HTTP {response.status}")
                        times[name].append(elapsed)
        finally:
            await server.close()
            store.close()
        return times


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    numbers = [a for a in args if a.isdigit()]
    devices = int(numbers[0]) if numbers else int(os.environ.get("PORTAL_WEB_DEVICES", DEVICES))
    load_before = os.getloadavg()
    times = asyncio.run(measure(devices))
    load_after = os.getloadavg()
    rows = []
    worst = 0.0
    for name, samples in times.items():
        median = statistics.median(samples)
        p90 = sorted(samples)[int(len(samples) * 0.9) - 1]
        if "/customers" not in name and "summary" not in name:
            worst = max(worst, median)
        rows.append(f"| {name} | {median:,.0f} | {p90:,.0f} | {max(samples):,.0f} |")
        print(f"{name}: median {median:.1f} ms", flush=True)
    verdict = "met" if worst <= GOAL_MS else "MISSED"
    table = "\n".join(rows)
    body = f"""
The asset list of the portal's web interface with **{devices:,} devices** in its SQLite store,
fetched over loopback HTTP by an aiohttp client with a logged-in session ({RUNS} runs of each
page, 50 rows a page): the whole request, session check, count and page queries, Jinja
rendering and transfer.

| page | median ms | p90 ms | max ms |
|---|---|---|---|
{table}

Slowest asset-list page (median): **{worst:,.0f} ms** (goal <= {GOAL_MS:.0f} ms: {verdict}).

Load average before / after: {load_before[0]:.2f} / {load_after[0]:.2f} (other jobs were running on
this 2-core machine).
"""
    write_section("portal-web", "make bench  (or: .venv/bin/python -m bench portal_web)", body)


if __name__ == "__main__":
    main()
