"""The agent's database: its tables, and the migrations that bring an older file up to date.

SQLite in WAL mode (readers, such as ``protolab monitor devices``, never block the agent), one
transaction per batch of readings. The schema version is SQLite's ``user_version``; migration N
takes a database from version N - 1 to N inside one transaction, so a file is never left half
migrated. Times are agent epoch seconds (REAL); identifiers of devices and alerts are chosen by
the agent, so a reading batch can name the rows it creates before they are committed.

The outbox holds what the agent will ship to the portal (issue 11's XMPP client): one row per
message, written in the same transaction as the data it describes; ``message_id`` is unique so
the portal de-duplicates, ``payload`` is a JSON object, ``kind`` says what it carries. Since
version 2 it is the shipping outbox's table: rows are settled (``acked_at``, ``rejected_at`` and
``reason``), never deleted by the shipper.
"""

from __future__ import annotations

import sqlite3

from protolab.errors import ConfigurationError

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE devices (
    id INTEGER PRIMARY KEY, address TEXT NOT NULL, port INTEGER NOT NULL,
    credential TEXT NOT NULL, serial TEXT NOT NULL, mac TEXT NOT NULL,
    manufacturer TEXT NOT NULL, model TEXT NOT NULL, name TEXT NOT NULL, location TEXT NOT NULL,
    asset_number TEXT NOT NULL DEFAULT '', zone TEXT NOT NULL DEFAULT '',
    engine_cycles INTEGER, discovered_at REAL NOT NULL, enterprise INTEGER,
    device_index INTEGER NOT NULL, marker_index INTEGER NOT NULL, if_index INTEGER,
    max_speed INTEGER, counters TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'active', available INTEGER NOT NULL DEFAULT 1,
    last_answer REAL, silent_since REAL, uptime_ticks INTEGER, uptime_at REAL, rebooted_at REAL,
    alert_events INTEGER, alert_rows INTEGER NOT NULL DEFAULT 0, updated_at REAL NOT NULL);
CREATE INDEX devices_serial ON devices (serial);
CREATE INDEX devices_address ON devices (address);
CREATE TABLE device_loops (
    device_id INTEGER NOT NULL, loop TEXT NOT NULL, last_attempt REAL, last_ok REAL,
    failures INTEGER NOT NULL DEFAULT 0, skip_until REAL, retry_at REAL,
    PRIMARY KEY (device_id, loop)) WITHOUT ROWID;
CREATE TABLE passes (
    id INTEGER PRIMARY KEY, loop TEXT NOT NULL, started_at REAL NOT NULL, finished_at REAL,
    devices INTEGER NOT NULL DEFAULT 0, answered INTEGER NOT NULL DEFAULT 0);
CREATE INDEX passes_loop ON passes (loop, started_at);
CREATE TABLE meters (
    device_id INTEGER NOT NULL, name TEXT NOT NULL, oid TEXT NOT NULL, meaning TEXT NOT NULL,
    raw INTEGER NOT NULL, value INTEGER NOT NULL, read_at REAL NOT NULL,
    PRIMARY KEY (device_id, name)) WITHOUT ROWID;
CREATE TABLE meter_days (
    device_id INTEGER NOT NULL, day TEXT NOT NULL, name TEXT NOT NULL, oid TEXT NOT NULL,
    meaning TEXT NOT NULL, raw INTEGER NOT NULL, value INTEGER NOT NULL, read_at REAL NOT NULL,
    reported INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, day, name)) WITHOUT ROWID;
CREATE INDEX meter_days_unreported ON meter_days (day) WHERE reported = 0;
CREATE TABLE supplies (
    device_id INTEGER NOT NULL, idx INTEGER NOT NULL, description TEXT NOT NULL,
    type TEXT NOT NULL, colour TEXT NOT NULL, unit TEXT NOT NULL, class TEXT NOT NULL,
    level INTEGER NOT NULL, max_capacity INTEGER NOT NULL, percent REAL, read_at REAL NOT NULL,
    PRIMARY KEY (device_id, idx)) WITHOUT ROWID;
CREATE TABLE trays (
    device_id INTEGER NOT NULL, idx INTEGER NOT NULL, name TEXT NOT NULL, media TEXT NOT NULL,
    level INTEGER NOT NULL, max_capacity INTEGER NOT NULL, status TEXT NOT NULL,
    read_at REAL NOT NULL, PRIMARY KEY (device_id, idx)) WITHOUT ROWID;
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY, device_id INTEGER NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL,
    code INTEGER, code_name TEXT NOT NULL, grp TEXT NOT NULL, group_index INTEGER NOT NULL,
    location INTEGER NOT NULL, severity TEXT NOT NULL, training TEXT NOT NULL,
    description TEXT NOT NULL, engine_cycles INTEGER, opened_at REAL NOT NULL, cleared_at REAL);
CREATE INDEX alerts_open ON alerts (device_id) WHERE cleared_at IS NULL;
CREATE TABLE changes (
    id INTEGER PRIMARY KEY, device_id INTEGER NOT NULL, serial TEXT NOT NULL, kind TEXT NOT NULL,
    old TEXT NOT NULL, new TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE rejections (
    id INTEGER PRIMARY KEY, device_id INTEGER NOT NULL, serial TEXT NOT NULL, loop TEXT NOT NULL,
    name TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, serial TEXT,
    payload TEXT NOT NULL, created_at REAL NOT NULL);
"""

# The outbox becomes the shipping outbox's table (ekm_proto.shipping.outbox.TABLE): seq never
# reused (AUTOINCREMENT), rows settled (acked / rejected with a reason) rather than deleted.
_V2 = """
CREATE TABLE outbox_v2 (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    serial TEXT, payload TEXT NOT NULL, created_at REAL NOT NULL, acked_at REAL,
    rejected_at REAL, reason TEXT);
INSERT INTO outbox_v2 (seq, message_id, kind, serial, payload, created_at)
    SELECT id, message_id, kind, serial, payload, created_at FROM outbox ORDER BY id;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (seq) WHERE acked_at IS NULL AND rejected_at IS NULL;
"""

#: migration N (index N - 1) brings a database from schema version N - 1 to N
MIGRATIONS: tuple[str, ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)


def version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def refuse_foreign(connection: sqlite3.Connection, source: str) -> int:
    """The schema version, after making sure the file is new or a monitor's: another program's
    database given by mistake is not ours to change (not even its journal mode)."""
    found = version(connection)
    if found == 0:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name LIMIT 5")]
        if tables:
            raise ConfigurationError(f"{source}: an SQLite database of another program (tables "
                                     f"{', '.join(tables)}); expected a new file or the --db "
                                     "file of a `protolab monitor run`", source=source)
    return found


def migrate(connection: sqlite3.Connection, source: str) -> int:
    """Bring the database to SCHEMA_VERSION; returns the version it had."""
    found = refuse_foreign(connection, source)
    if found > SCHEMA_VERSION:
        raise ConfigurationError(f"{source}: database schema version {found} is newer than this "
                                 f"protolab's ({SCHEMA_VERSION}); expected a database written "
                                 "by this version or an older one", source=source)
    for number in range(found + 1, SCHEMA_VERSION + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[number - 1].split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return found
