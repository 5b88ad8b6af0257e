"""The reference SQLite outbox keeps the contract the shipper relies on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ekm_proto.shipping.errors import BadRecordError
from ekm_proto.shipping.outbox import Outbox, OutboxRow, SqliteOutbox
from protolab.errors import ConfigurationError


def test_pending_rows_come_in_seq_order_after_a_cursor(tmp_path: Path) -> None:
    outbox = SqliteOutbox(tmp_path / "o.db")
    ids = outbox.add_many([("change", {"serial": f"S{i}"}) for i in range(5)], 100.0)
    rows = outbox.pending(3)
    assert [r.message_id for r in rows] == ids[:3]
    assert [r.seq for r in rows] == sorted(r.seq for r in rows)
    assert [r.message_id for r in outbox.pending(10, after=rows[-1].seq)] == ids[3:]
    assert rows[0].payload == {"serial": "S0"} and rows[0].created_at == 100.0


def test_acked_and_rejected_rows_leave_the_pending_set_but_stay(tmp_path: Path) -> None:
    outbox: Outbox = SqliteOutbox(tmp_path / "o.db")
    assert isinstance(outbox, SqliteOutbox)
    ids = outbox.add_many([("change", {}), ("change", {}), ("change", {})], 1.0)
    outbox.mark_acked(ids[:1], 2.0)
    outbox.mark_rejected(ids[1], "schema: bad", 2.0)
    assert outbox.pending_count() == 1
    assert [r.message_id for r in outbox.pending(10)] == ids[2:]
    assert outbox.rejected() == {ids[1]: "schema: bad"}
    total = sqlite3.connect(tmp_path / "o.db").execute("SELECT count(*) FROM outbox").fetchone()
    assert total == (3,)


def test_the_outbox_survives_reopening_in_wal_mode(tmp_path: Path) -> None:
    first = SqliteOutbox(tmp_path / "o.db")
    ident = first.add("change", {"serial": "S1"}, 1.0)
    first.close()
    again = SqliteOutbox(tmp_path / "o.db")
    assert [r.message_id for r in again.pending(5)] == [ident]
    mode = sqlite3.connect(tmp_path / "o.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_prune_drops_only_old_acknowledged_rows(tmp_path: Path) -> None:
    outbox = SqliteOutbox(tmp_path / "o.db")
    ids = outbox.add_many([("change", {}), ("change", {})], 1.0)
    outbox.mark_acked([ids[0]], 5.0)
    assert outbox.prune(acked_before=10.0) == 1
    assert outbox.pending_count() == 1


def test_translate_ships_keeps_or_rejects_each_row_and_still_fills_the_limit(
        tmp_path: Path) -> None:
    def translate(row: OutboxRow) -> OutboxRow | str:
        if row.kind == "trays":
            return "kept: no tray element"
        if "serial" not in row.payload:
            raise BadRecordError("serial is missing")
        return OutboxRow(row.seq, row.message_id, "change", {"shipped": row.payload["serial"]},
                         row.created_at)

    path = tmp_path / "o.db"
    SqliteOutbox(path).close()  # the table, as a database's own migration would make it
    connection = sqlite3.connect(path, isolation_level=None)
    outbox = SqliteOutbox(connection=connection, translate=translate)
    ids = outbox.add_many([("trays", {}), ("change", {}), ("change", {"serial": "S1"}),
                           ("trays", {}), ("change", {"serial": "S2"})], 1.0)
    rows = outbox.pending(2)
    assert [(r.message_id, r.payload) for r in rows] == [(ids[2], {"shipped": "S1"}),
                                                        (ids[4], {"shipped": "S2"})]
    assert outbox.rejected() == {ids[1]: "serial is missing"}
    assert outbox.pending_count() == 2  # the two shipped rows wait for the portal
    kept = connection.execute("SELECT message_id, reason FROM outbox WHERE acked_at IS NOT NULL "
                              "ORDER BY seq").fetchall()
    assert kept == [(ids[0], "kept: no tray element"), (ids[3], "kept: no tray element")]
    outbox.close()
    assert connection.execute("SELECT count(*) FROM outbox").fetchone() == (5,)  # not closed


def test_a_database_without_the_outbox_table_is_refused(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "other.db", isolation_level=None)
    connection.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, payload TEXT)")
    with pytest.raises(ConfigurationError, match="no outbox table of this version"):
        SqliteOutbox(connection=connection)
