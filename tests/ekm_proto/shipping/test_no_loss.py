"""No loss, no double: every outbox row arrives exactly once at the portal (after its
de-duplication) with the portal away and back, Prosody killed and restarted during a stream,
and the agent killed with SIGKILL and restarted."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

from bench.xmpp_agent_process import kill_agent, start_agent
from ekm_proto.portal.service import Portal
from ekm_proto.shipping.outbox import SqliteOutbox
from protolab.processes import stop_process
from protolab.prosody import ProsodyServer
from tests.ekm_proto.xmpp_lab import (
    JULY_13_2020,
    USERS,
    eventually,
    make_portal,
    make_shipper,
    running,
)


def write_rows(outbox: SqliteOutbox, start: int, count: int) -> list[str]:
    return outbox.add_many([("meters", {"serial": f"S{i % 40}", "read_at": JULY_13_2020 + i,
                                        "counters": [{"name": "Mono A4", "value": i}]})
                            for i in range(start, start + count)], JULY_13_2020)


def stored_once(portal_db: Path, ids: list[str]) -> None:
    """Every id stored, each with exactly one reading: nothing lost, nothing doubled."""
    db = sqlite3.connect(portal_db)
    stored = {m for (m,) in db.execute("SELECT message_id FROM messages")}
    per_message = dict(db.execute("SELECT message_id, count(*) FROM meter_readings "
                                  "GROUP BY message_id").fetchall())
    db.close()
    assert set(ids) - stored == set(), "lost"
    assert stored - set(ids) == set(), "unknown messages"
    assert {n for n in per_message.values()} == {1}, "a message stored twice"


async def writer(outbox: SqliteOutbox, ids: list[str], total: int, per_step: int,
                 pause: float) -> None:
    while len(ids) < total:
        ids.extend(write_rows(outbox, len(ids), min(per_step, total - len(ids))))
        await asyncio.sleep(pause)


async def test_nothing_goes_while_the_portal_is_away_and_all_of_it_when_it_is_back(
        prosody: ProsodyServer, tmp_path: Path) -> None:
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    ids = write_rows(outbox, 0, 300)
    shipper = make_shipper(prosody, outbox)
    portal_db = tmp_path / "portal.db"
    async with running(shipper.run):
        await eventually(lambda: shipper.connected, what="agent connected")
        await asyncio.sleep(1.0)
        assert (shipper.stanzas_sent, outbox.pending_count()) == (0, 300)  # waits for presence
        portal = make_portal(prosody, portal_db)
        async with running(portal.run):
            await eventually(lambda: outbox.pending_count() == 0, what="first 300 stored")
        # the portal went away (cleanly) mid-life: what is written now waits for it
        await eventually(lambda: not shipper.book.portal_available, what="portal seen gone")
        ids += write_rows(outbox, 300, 200)
        await asyncio.sleep(0.5)
        assert outbox.pending_count() == 200
        again = make_portal(prosody, portal_db)
        async with running(again.run):
            assert await shipper.drain(30) == 0
        again.close()
    stored_once(portal_db, ids)


async def test_prosody_killed_and_restarted_during_a_stream(prosody: ProsodyServer,
                                                            tmp_path: Path) -> None:
    """Each stop comes while the outbox holds rows not yet acknowledged, by construction: a
    burst is written and Prosody stopped before the event loop runs again (SIGKILL is sent
    from the loop's thread). Whether some of those rows were on the wire, acked or receipted at
    that instant is timing; what must hold whatever the timing is the outcome: after every
    restart the shipper streams again, and every row arrives exactly once."""
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    ids: list[str] = []
    shipper = make_shipper(prosody, outbox)
    portal = make_portal(prosody, tmp_path / "portal.db")
    async with running(portal.run), running(shipper.run):
        writing = asyncio.ensure_future(writer(outbox, ids, 3000, 60, 0.05))
        for restart, hard in enumerate((True, False, True)):  # SIGKILL, SIGTERM, SIGKILL
            sent = shipper.stanzas_sent
            await eventually(lambda s=sent: shipper.stanzas_sent > s and shipper.connected,
                             what=f"streaming on stream {restart + 1}")
            await asyncio.sleep(0.2)
            ids.extend(write_rows(outbox, 3000 + restart * 200, 200))
            if hard:
                prosody.kill()
            else:
                await asyncio.to_thread(prosody.stop)
            await asyncio.to_thread(prosody.start)
        sent = shipper.stanzas_sent
        await eventually(lambda: shipper.stanzas_sent > sent and shipper.connected,
                         what="streaming after the last restart")
        await writing
        assert await shipper.drain(60) == 0
    stored_once(tmp_path / "portal.db", ids)


async def test_the_agent_killed_and_restarted(prosody: ProsodyServer, tmp_path: Path) -> None:
    outbox_path = tmp_path / "outbox.db"
    outbox = SqliteOutbox(outbox_path)
    ids: list[str] = []
    portal: Portal = make_portal(prosody, tmp_path / "portal.db")
    agent = start_agent(prosody, outbox_path, tmp_path, USERS["agent"])
    try:
        async with running(portal.run):
            writing = asyncio.ensure_future(writer(outbox, ids, 2400, 60, 0.05))
            for _ in range(2):
                before = portal.receiver.stats.stored
                await eventually(lambda b=before: portal.receiver.stats.stored > b + 100,
                                 timeout=60, what="the agent shipping")  # a process start
                kill_agent(agent)
                agent = start_agent(prosody, outbox_path, tmp_path, USERS["agent"])
            await writing
            await eventually(lambda: outbox.pending_count() == 0, timeout=60,
                             what="the outbox drained by the restarted agent")
    finally:
        with contextlib.suppress(ProcessLookupError):
            stop_process(agent)
    stored_once(tmp_path / "portal.db", ids)
