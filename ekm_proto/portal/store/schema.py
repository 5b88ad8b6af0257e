"""The portal's tables. Times are POSIX seconds (UTC); one row per device in ``devices``, keyed by
serial (what the overview keys assets on); every data row keeps the message id it came in."""

from __future__ import annotations

SCHEMA_VERSION = 1

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    agent TEXT NOT NULL, message_id TEXT NOT NULL, kind TEXT NOT NULL, received_at REAL NOT NULL,
    PRIMARY KEY (agent, message_id));
CREATE TABLE IF NOT EXISTS agents (
    agent TEXT PRIMARY KEY, name TEXT NOT NULL, customer TEXT, last_seen REAL NOT NULL,
    duplicates INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS devices (
    serial TEXT PRIMARY KEY, manufacturer TEXT, model TEXT, address TEXT, mac TEXT,
    asset_number TEXT, location TEXT, zone TEXT, engine_cycles INTEGER, discovered_at REAL,
    agent TEXT NOT NULL, agent_name TEXT, customer TEXT, first_seen REAL NOT NULL,
    last_seen REAL NOT NULL, available INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS meter_readings (
    id INTEGER PRIMARY KEY, serial TEXT NOT NULL, read_at REAL NOT NULL, message_id TEXT NOT NULL,
    mono_small INTEGER NOT NULL, colour_small INTEGER NOT NULL, mono_large INTEGER NOT NULL,
    colour_large INTEGER NOT NULL, engine_cycles INTEGER);
CREATE INDEX IF NOT EXISTS meter_readings_serial ON meter_readings (serial, read_at);
CREATE TABLE IF NOT EXISTS raw_counters (
    reading_id INTEGER NOT NULL REFERENCES meter_readings (id), name TEXT NOT NULL,
    value INTEGER NOT NULL, class TEXT);
CREATE INDEX IF NOT EXISTS raw_counters_reading ON raw_counters (reading_id);
CREATE TABLE IF NOT EXISTS supply_levels (
    id INTEGER PRIMARY KEY, serial TEXT NOT NULL, supply_index INTEGER NOT NULL,
    read_at REAL NOT NULL, message_id TEXT NOT NULL, description TEXT NOT NULL, type TEXT NOT NULL,
    colour TEXT, sku TEXT, level INTEGER NOT NULL, max_capacity INTEGER NOT NULL, percent REAL,
    cartridge INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS supply_levels_supply ON supply_levels (serial, supply_index, read_at);
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY, serial TEXT NOT NULL, alert_key TEXT NOT NULL, opened_at REAL NOT NULL,
    cleared_at REAL, code INTEGER, alert_group INTEGER, severity INTEGER, training INTEGER,
    location INTEGER, vendor_code TEXT, description TEXT NOT NULL, engine_cycles INTEGER,
    standard_code TEXT NOT NULL, category TEXT NOT NULL, triage_step TEXT NOT NULL,
    message_id TEXT NOT NULL, UNIQUE (serial, alert_key, opened_at));
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY, serial TEXT NOT NULL, kind TEXT NOT NULL, old TEXT, new TEXT,
    at REAL NOT NULL, message_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rejected (
    id INTEGER PRIMARY KEY, agent TEXT NOT NULL, batch_id TEXT, message_id TEXT,
    reason TEXT NOT NULL, payload TEXT, received_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS consumable_requests (
    id INTEGER PRIMARY KEY, customer TEXT NOT NULL, site TEXT NOT NULL, serial TEXT NOT NULL,
    supply_index INTEGER NOT NULL, cartridge INTEGER NOT NULL, description TEXT NOT NULL,
    sku TEXT, reason TEXT NOT NULL, percent REAL, days_left REAL, pages_left INTEGER,
    raised_at REAL NOT NULL, UNIQUE (serial, supply_index, cartridge));
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY, destination TEXT NOT NULL, subject TEXT NOT NULL,
    notice TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL, detail TEXT, created_at REAL NOT NULL, done_at REAL);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_at);
CREATE TABLE IF NOT EXISTS operators (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
    created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS web_sessions (
    token_hash TEXT PRIMARY KEY,
    operator TEXT NOT NULL REFERENCES operators(name) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL, created_at REAL NOT NULL, expires_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS devices_site ON devices (customer, zone, available, last_seen);
""" + "".join(  # the web asset list's sortable columns: a page of 100,000 devices from an index
    f"CREATE INDEX IF NOT EXISTS devices_by_{column} ON devices ({column}, serial);\n"
    for column in ("zone", "manufacturer", "model", "asset_number", "mac", "address",
                   "engine_cycles", "discovered_at", "location"))
