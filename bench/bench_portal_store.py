"""The portal's store path on SQLite and on PostgreSQL: messages stored per second side by side,
and a whole day of 10 agents x 10,000 printers through one portal.

Each agent's day is the simulated mixed-fleet day of ``xmpp_fleet_day`` (asset, meters, supplies,
alerts opened and cleared, availability, moves), decoded into batches of 100 as the receiver
hands them to the intake; the timer runs only around ``Intake.take`` (one transaction per batch:
de-duplication, devices keyed by agent + serial, triage, consumables prediction, routing).
Every agent numbers its printers from 0, so the same serials arrive from ten agents.

``python -m bench.bench_portal_store [--devices N] [--agents N] [--sample N]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.benchmarks_md import write_section
from bench.xmpp_fleet_day import DAY_START, fleet_day
from ekm_proto.portal.intake import Intake
from ekm_proto.portal.rules import PortalRules
from ekm_proto.portal.store import PortalStore
from ekm_proto.shipping.envelope import Batch
from ekm_proto.shipping.records import Message, record_from_payload
from protolab.postgres import PostgresServer

BATCH = 100


@dataclass(frozen=True, slots=True)
class Run:
    database: str
    writers: int
    agents: int
    devices: int
    messages: int
    seconds: float
    devices_stored: int
    statements: int = 0

    @property
    def rate(self) -> float:
        return self.messages / self.seconds


def agent_batches(agent: int, devices: int) -> list[Batch]:
    rows = fleet_day(devices, seed=agent)
    messages = [Message(f"a{agent}-{n}", kind, record_from_payload(kind, payload))
                for n, (kind, payload) in enumerate(rows)]
    return [Batch(f"site-{agent}", f"Customer {agent}", DAY_START + 86000,
                  tuple(messages[i:i + BATCH])) for i in range(0, len(messages), BATCH)]


def _take(store: PortalStore, agent: int, batches: list[Batch]) -> int:
    intake, stored = Intake(store, PortalRules()), 0
    for number, batch in enumerate(batches):
        result = intake.take(f"agent{agent}@portal.bench", f"b{number}", batch,
                             DAY_START + 86400)
        assert result.duplicates == 0 and not result.rejected
        stored += result.stored
    return stored


def store_day(db: str, name: str, agents: int, devices: int) -> Run:
    """Every agent's day into one store, agent after agent; the seconds in the intake only."""
    store = PortalStore(db)
    seconds, messages, opened = 0.0, 0, store.statements
    for agent in range(agents):
        batches = agent_batches(agent, devices)
        start = time.perf_counter()
        messages += _take(store, agent, batches)
        seconds += time.perf_counter() - start
        print(f"  {name}: agent {agent + 1}/{agents}: {messages:,} messages, "
              f"{messages / seconds:,.0f}/s", flush=True)
    statements = store.statements - opened  # the intake's: counts() below reads apart
    stored = store.counts()["devices"]
    store.close()
    return Run(name, 1, agents, devices, messages, seconds, stored, statements)


def store_day_shared(db: str, name: str, agents: int, devices: int, writers: int) -> Run:
    """The same day through ``writers`` stores on one database at once (as portals sharing a
    PostgreSQL: each its own connection; threads here, so they also share one GIL)."""
    batches = {agent: agent_batches(agent, devices) for agent in range(agents)}
    stores = [PortalStore(db) for _ in range(writers)]
    counts = [0] * writers

    def writer(number: int) -> None:
        for agent in range(number, agents, writers):
            counts[number] += _take(stores[number], agent, batches[agent])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    stored = stores[0].counts()["devices"]
    for store in stores:
        store.close()
    print(f"  {name}: {sum(counts):,} messages, {sum(counts) / seconds:,.0f}/s", flush=True)
    return Run(name, writers, agents, devices, sum(counts), seconds, stored)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.bench_portal_store")
    parser.add_argument("--agents", type=int, default=10)
    parser.add_argument("--devices", type=int, default=10_000, help="printers per agent (full day)")
    parser.add_argument("--sample", type=int, default=500,
                        help="printers per agent for the side-by-side rates (4 agents)")
    parser.add_argument("--postgres-day", action="store_true",
                        help="the full day on PostgreSQL too (4 writers; long on 2 cores)")
    args = parser.parse_args(argv if argv is not None else [])
    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="bench-portal-store-"))
    postgres = PostgresServer().start()
    try:
        side = [store_day(str(folder / "sample.db"), "SQLite", 4, args.sample),
                store_day(postgres.create_database("sample"), "PostgreSQL", 4, args.sample),
                store_day_shared(postgres.create_database("shared"), "PostgreSQL", 4,
                                 args.sample, 4)]
        full = [store_day(str(folder / "day.db"), "SQLite", args.agents, args.devices)]
        if args.postgres_day:
            full.append(store_day_shared(postgres.create_database("day"), "PostgreSQL",
                                         args.agents, args.devices, 4))
    finally:
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)
    load_after = os.getloadavg()
    single_pg = side[1].rate
    per_message = side[1].statements / side[1].messages
    rows = "\n".join(f"| {r.database} | {r.writers} | {r.agents} x {r.devices:,} | {r.messages:,} | "
                     f"{r.seconds:,.1f} | **{r.rate:,.0f}** | {r.devices_stored:,} |"
                     for r in side + full)
    body = f"""
The portal's store path (`Intake.take`: one transaction per batch of {BATCH} messages with
de-duplication by (agent, message id), devices keyed by agent + serial, triage, consumables
prediction, routing) on SQLite (a file, WAL, synchronous=NORMAL) and on PostgreSQL 15 (Debian's,
a server started in a temporary folder, loopback TCP, fsync off as in the tests) from one
Python process. Messages: a simulated mixed-fleet day per agent (asset, meters, supplies,
alerts opened and cleared, availability, moves: the `xmpp-shipping` section's day), every agent
numbering its printers from 0 (the same serials from every agent, kept apart). Decoding is not
timed (the receiver's work); only the store path is.

| database | writers | agents x printers | messages stored | seconds | messages/s | devices |
|---|---|---|---|---|---|---|
{rows}

Load average {load_before[0]:.1f} before, {load_after[0]:.1f} after, on {os.cpu_count()} cores.
SQLite runs in the portal's process; PostgreSQL is another process reached over TCP, and the
store path makes {per_message:.1f} statements per message (de-duplication and devices once per
batch; then the record, consumables reads), each a round trip: about
{1000 / (per_message * single_pg):.2f} ms each at the single-writer rate
above. So one PostgreSQL connection stores a day of {full[0].messages:,} messages
({args.agents} agents x {args.devices:,} printers) in about
{full[0].messages / single_pg / 60:,.0f} minutes, where SQLite takes
{full[0].seconds / 60:,.1f}; several portal processes (writers) on one PostgreSQL add up where
SQLite takes one writer at a time (the 4-writer row: threads of one process, so they also
share one interpreter lock). `--postgres-day` runs the full day on PostgreSQL too.
"""
    options = " ".join(argv or [])
    command = (f".venv/bin/python -m bench.bench_portal_store {options}" if options else
               "make bench  (or: .venv/bin/python -m bench portal_store)")
    write_section("portal-store", command, body)


if __name__ == "__main__":
    main(sys.argv[1:])
