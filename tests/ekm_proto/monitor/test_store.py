"""The agent's database: migrations with a schema version, batches all or nothing with their
outbox messages, the outbox as the shipper reads it, state carried across a restart; settings
from TOML."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ekm_proto.monitor import schema
from ekm_proto.monitor.alerts import from_alert_rows
from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.records import apply_alerts
from ekm_proto.monitor.settings import load_settings
from ekm_proto.monitor.store import MonitorStore
from protolab.errors import ConfigurationError

JAM = {2: 3, 3: 3, 4: 13, 5: 1, 6: 13200, 7: 8, 8: b"Paper jam."}


def device(device_id: int = 1) -> Device:
    return Device(id=device_id, address="127.0.0.5", port=161, credential="v2c community #1",
                  serial=f"SER{device_id}", mac="00:11:22:33:44:55", manufacturer="HP",
                  model="M577", name="npi", location="", discovered_at=100.0)


def test_a_new_database_is_migrated_and_a_newer_one_refused(tmp_path: Path) -> None:
    store = MonitorStore(tmp_path / "a.db")
    assert store.migrated_from == 0 and schema.version(store.connection) == schema.SCHEMA_VERSION
    assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    assert MonitorStore(tmp_path / "a.db").migrated_from == schema.SCHEMA_VERSION
    connection = sqlite3.connect(tmp_path / "a.db")
    connection.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(ConfigurationError, match="newer than this protolab"):
        MonitorStore(tmp_path / "a.db")
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigurationError, match="not a usable SQLite database"):
        MonitorStore(tmp_path / "junk.db")


def test_data_and_its_outbox_message_commit_together_or_not_at_all(tmp_path: Path) -> None:
    store = MonitorStore(tmp_path / "a.db")
    printer = device()
    good = Batch("discovery", 100.0)
    good.insert_device(printer)
    good.outbox("asset", printer.serial, {"serial": printer.serial})
    store.commit([good])
    broken = Batch("alert", 200.0)
    apply_alerts(printer, type("C", (), {"opened": tuple(from_alert_rows({1: JAM})),
                                         "cleared": ()})(), broken, lambda: 1)
    broken.insert_device(printer)  # the same id again: this batch cannot commit
    with pytest.raises(sqlite3.IntegrityError):
        store.commit([broken])
    assert store.connection.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == 0
    [message] = store.outbox_pending()
    assert (message.kind, message.serial, message.payload) == ("asset", "SER1",
                                                               {"serial": "SER1"})
    assert len(message.message_id) == 32
    assert store.outbox_done([message.message_id, "unknown"]) == 1
    assert store.outbox_count() == 0


def test_a_restarted_store_gives_back_previous_readings_and_open_records(tmp_path: Path) -> None:
    store = MonitorStore(tmp_path / "a.db")
    printer = device()
    batch = Batch("meter", 500.0)
    batch.insert_device(printer)
    batch.meter(printer.id, "2026-03-02", "prtMarkerLifeCount", "1.3.6", "total", 7, 2**32 + 7)
    batch.update_device(printer.id, last_answer=500.0, uptime_ticks=1234, uptime_at=500.0)
    apply_alerts(printer, type("C", (), {"opened": tuple(from_alert_rows({1: JAM})),
                                         "cleared": ()})(), batch, lambda: 41)
    printer.loop("meter").retry_at = 900.0
    batch.loop_state(printer.id, "meter", printer.loop("meter"))
    store.commit([batch])
    store.close()
    [loaded] = MonitorStore(tmp_path / "a.db").load_devices()
    assert loaded.meters["prtMarkerLifeCount"].value == 2**32 + 7
    assert loaded.open_alerts == {"alert:13:1:8:13200": (41, 500.0)}
    assert loaded.loops["meter"].retry_at == 900.0 and loaded.uptime_ticks == 1234
    assert loaded.availability.last_answer == 500.0


def test_settings_from_toml_and_flags(tmp_path: Path) -> None:
    (tmp_path / "auth.key").write_text("monitor-auth-1\n")
    config = tmp_path / "monitor.toml"
    config.write_text("""
[agent]
db = "fleet.db"
time_zone = "Europe/London"
unavailable_after = 60
[agent.working_hours]
start = "07:30"
end = "19:00"
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
[agent.intervals]
alert = [2, 10]
[snmp]
timeout = 0.5
retries = 3
[discovery]
ranges = ["10.0.0.1-20"]
[[credentials]]
community = "public"
[[credentials]]
user = "monitor"
auth_key_file = "%s"
""" % (tmp_path / "auth.key"))
    settings = load_settings(config, points=("10.0.1.1",), time_scale=60.0)
    assert settings.db == Path("fleet.db") and settings.unavailable_after == 3600.0
    assert settings.schedule.intervals["alert"] == (120.0, 600.0)
    assert settings.schedule.intervals["meter"] == (1200.0, 14400.0)
    assert settings.schedule.hours.start == 450 and 5 in settings.schedule.hours.days
    assert [c.label for c in settings.credentials] == ["v2c community #1",
                                                       "v3 user monitor (authNoPriv)"]
    assert settings.ranges == ("10.0.0.1-20",) and settings.points == ("10.0.1.1",)
    assert settings.retry.retries == 3 and settings.time_scale == 60.0
    config.write_text("[agent]\ndb = 'x.db'\nintervls = 3\n")
    with pytest.raises(ConfigurationError, match="unknown key intervls"):
        load_settings(config, credentials=())
    with pytest.raises(ConfigurationError, match="no SNMP credentials"):
        load_settings(None, db="x.db")
