"""The monitor's outbox is the shipper's: what a real agent wrote against emulated printers reads
as records of the ekm-1 format that the schema accepts and the portal's decoder gives back, the
day's meters with their roll-up, rows settled not deleted, seq never reused."""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ekm_proto.monitor import schema
from ekm_proto.monitor.store import MonitorStore
from ekm_proto.page_counts import roll_up
from ekm_proto.printer_mib import textual_conventions as tc
from ekm_proto.shipping.envelope import decode_batch, encode_batch
from ekm_proto.shipping.outbox import Outbox
from ekm_proto.shipping.records import (
    AlertEvent,
    Asset,
    Availability,
    Message,
    MeterReading,
    SupplyLevels,
    record_from_payload,
)
from emulators.printers.profiles import Profile
from protolab.clock import ManualClock


async def test_what_the_agent_wrote_ships_as_valid_ekm_records(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    late = datetime.datetime(2026, 3, 2, 22, 0, tzinfo=datetime.UTC).timestamp()
    clock = ManualClock(1000.0, wall_start=late)
    printers, agent = await lab(
        [profiles["hp-color-laserjet-m577"], profiles["samsung-clp-660n"]], 2, "127.45.7.1",
        printer_options={"clock": clock}, unavailable_after=600.0, backoff_limit=360.0)
    agent.start()
    await agent.settle()
    raised = await printers.control("POST", "/printers/0/alerts", {"code": "jam"})
    await agent.advance(16 * 60)  # out of working hours the alert loop runs every 15 minutes
    await printers.control("DELETE", f"/printers/0/alerts/{raised['alert']['index']}")
    await printers.control("POST", "/printers/1/offline")
    await agent.advance(31 * 60)
    await printers.control("POST", "/printers/1/online")
    await agent.advance(5 * 3600, step=600)  # past midnight: yesterday's meters are reported
    outbox: Outbox = agent.store.outbox
    rows = outbox.pending(10_000)
    stored = agent.store.connection.execute(
        "SELECT kind, reason FROM outbox WHERE acked_at IS NOT NULL").fetchall()
    assert {kind for kind, _ in stored} == {"trays", "availability"}  # kept, with why
    assert all(reason.startswith("kept by the agent") for _, reason in stored)
    assert agent.store.connection.execute(
        "SELECT count(*) FROM outbox WHERE rejected_at IS NOT NULL").fetchone()[0] == 0
    messages = [Message(r.message_id, r.kind, record_from_payload(r.kind, r.payload))
                for r in rows]
    document = encode_batch(messages, agent="agent-1", customer=None, sent_at=clock.wall())
    decoded = decode_batch(document)
    assert not decoded.invalid and list(decoded.messages) == messages
    records = [m.record for m in messages]
    serials = {p.serial for p in printers.fleet.printers}
    assert {r.serial for r in records if isinstance(r, Asset)} == serials
    assert {r.serial for r in records if isinstance(r, SupplyLevels) and r.supplies} == serials
    jam = [r for r in records if isinstance(r, AlertEvent) and r.code == tc.ALERT_CODES["jam"]]
    assert [a.event for a in jam] == ["opened", "cleared"]
    assert {(a.group, a.severity, a.training, a.key) for a in jam} == {
        (tc.ALERT_GROUPS["mediaPath"], 3, 3, jam[0].key)}  # Critical, Untrained
    assert jam[1].opened_at == jam[0].opened_at < (jam[1].cleared_at or 0)
    [down, up] = [r for r in records if isinstance(r, Availability)]
    assert (down.available, up.available) == (False, True) and up.since == down.at
    assert down.reason.startswith("Device busy/unavailable for over 10 minutes")
    daily = [r for r in records if isinstance(r, MeterReading)]
    assert {r.serial for r in daily} == serials  # once a day per device
    for reading in daily:
        again = roll_up((c.name, c.value, c.kind) for c in reading.counters)
        assert reading.rollup == again and reading.rollup.total_pages > 0
        assert reading.read_at < datetime.datetime(2026, 3, 3, tzinfo=datetime.UTC).timestamp()
    assert len([c for c in daily[0].counters if c.kind == "total"]) == 1


async def test_acked_rows_stay_settled_and_seq_is_never_reused(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    printers, agent = await lab([profiles["lexmark-optra-t614n"]], 1, "127.45.8.1")
    agent.start()
    await agent.settle()
    outbox = agent.store.outbox
    rows = outbox.pending(1000)
    assert rows and outbox.pending_count() == len(rows)
    outbox.mark_acked([r.message_id for r in rows], 5.0)
    assert outbox.pending(1000) == [] and outbox.pending_count() == 0
    assert agent.agent.latest_counts(printers.fleet.printers[0].serial) is not None
    [asked] = outbox.pending(1000)
    assert asked.seq > rows[-1].seq and asked.kind == "meters"
    outbox.mark_rejected(asked.message_id, "portal: test", 6.0)
    assert outbox.pending_count() == 0
    total = agent.store.connection.execute("SELECT count(*) FROM outbox").fetchone()[0]
    assert total == len(rows) + 1 + agent.store.connection.execute(
        "SELECT count(*) FROM outbox WHERE kind = 'trays'").fetchone()[0]


def test_a_version_1_database_keeps_its_outbox_rows_when_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path, isolation_level=None)
    for statement in schema.MIGRATIONS[0].split(";"):
        if statement.strip():
            connection.execute(statement)
    connection.execute("PRAGMA user_version = 1")
    connection.execute("INSERT INTO outbox (id, message_id, kind, serial, payload, created_at) "
                       "VALUES (7, 'm7', 'change', 'S1', ?, 100.0)",
                       ('{"serial":"S1","address":"127.0.0.9","kind":"move","old":"a",'
                        '"new":"b","at":"2026-03-02T09:00:00Z"}',))
    connection.close()
    store = MonitorStore(path)
    try:
        assert store.migrated_from == 1
        [row] = store.outbox.pending(10)
        assert (row.seq, row.message_id, row.payload["kind"]) == (7, "m7", "move")
        assert row.payload["at"] == datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC
                                                      ).timestamp()
    finally:
        store.close()


def test_a_meter_report_without_readings_is_kept_not_shipped_as_zero(tmp_path: Path) -> None:
    store = MonitorStore(tmp_path / "agent.db")
    try:
        store.connection.execute(
            "INSERT INTO outbox (message_id, kind, serial, payload, created_at) VALUES "
            "('m1', 'meters', 'S1', ?, 10.0)",
            ('{"serial":"S1","day":null,"requested":true,"readings":[]}',))
        assert store.outbox.pending(10) == []
        assert store.connection.execute("SELECT reason FROM outbox").fetchone()[0].startswith(
            "kept by the agent: no good reading")
    finally:
        store.close()


def test_a_payload_of_the_wrong_shape_is_rejected_with_its_reason(tmp_path: Path) -> None:
    store = MonitorStore(tmp_path / "agent.db")
    try:
        for ident, kind, payload in (
                ("m1", "meters", '{"serial":"S1","readings":["not an object"]}'),
                ("m2", "alert", '{"serial":"S1","event":"cleared","alert_id":99,"key":"k",'
                                '"opened_at":"2026-03-02T09:00:00Z",'
                                '"cleared_at":"2026-03-02T09:05:00Z"}'),
                ("m3", "change", '[1, 2]'),
                ("m4", "asset", '{"serial":"S1"}')):
            store.connection.execute(
                "INSERT INTO outbox (message_id, kind, serial, payload, created_at) VALUES "
                "(?, ?, 'S1', ?, 10.0)", (ident, kind, payload))
        assert store.outbox.pending(10) == []
        reasons = dict(store.connection.execute(
            "SELECT message_id, reason FROM outbox WHERE rejected_at IS NOT NULL"))
        assert set(reasons) == {"m1", "m2", "m3", "m4"}
        assert "alert record 99 is not in the alerts table" in reasons["m2"]
        assert "'manufacturer' is missing" in reasons["m4"]
    finally:
        store.close()
