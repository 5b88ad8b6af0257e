"""The portal's tables: messages once per agent, agents, devices keyed by agent and serial, their
readings, supplies, alerts, changes, rejected messages, consumable requests and deliveries.

Times are POSIX seconds (UTC) in double precision; counters are 64-bit. Every data row keeps the
message id it came in.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIME: sa.Double[float] = sa.Double()
COUNT: sa.BigInteger = sa.BigInteger()


def _text(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _device_key() -> list[sa.Column]:
    return [_text("agent", False), _text("serial", False)]


def upgrade() -> None:
    op.create_table(
        "messages", _text("agent", False), _text("message_id", False), _text("kind", False),
        sa.Column("received_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("agent", "message_id"))
    op.create_table(
        "agents", _text("agent", False), _text("name", False), _text("customer"),
        sa.Column("first_seen", TIME, nullable=False), sa.Column("last_seen", TIME, nullable=False),
        sa.Column("duplicates", COUNT, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("agent"))
    op.create_table(
        "devices", *_device_key(), _text("manufacturer"), _text("model"), _text("address"),
        _text("mac"), _text("asset_number"), _text("location"), _text("zone"),
        sa.Column("engine_cycles", COUNT), sa.Column("discovered_at", TIME),
        _text("agent_name"), _text("customer"), sa.Column("first_seen", TIME, nullable=False),
        sa.Column("last_seen", TIME, nullable=False),
        sa.Column("available", sa.Integer(), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("agent", "serial"))
    op.create_index("devices_serial", "devices", ["serial"])
    op.create_table(
        "meter_readings", sa.Column("id", sa.Integer(), primary_key=True), *_device_key(),
        sa.Column("read_at", TIME, nullable=False), _text("message_id", False),
        *(sa.Column(n, COUNT, nullable=False)
          for n in ("mono_small", "colour_small", "mono_large", "colour_large")),
        sa.Column("engine_cycles", COUNT))
    op.create_index("meter_readings_device", "meter_readings", ["agent", "serial", "read_at"])
    op.create_table(
        "raw_counters",
        sa.Column("reading_id", sa.Integer(), sa.ForeignKey("meter_readings.id"), nullable=False),
        _text("name", False), sa.Column("value", COUNT, nullable=False), _text("class"))
    op.create_index("raw_counters_reading", "raw_counters", ["reading_id"])
    op.create_table(
        "supply_levels", sa.Column("id", sa.Integer(), primary_key=True), *_device_key(),
        sa.Column("supply_index", sa.Integer(), nullable=False),
        sa.Column("read_at", TIME, nullable=False), _text("message_id", False),
        _text("description", False), _text("type", False), _text("colour"), _text("sku"),
        sa.Column("level", COUNT, nullable=False), sa.Column("max_capacity", COUNT, nullable=False),
        sa.Column("percent", sa.Double()), sa.Column("cartridge", sa.Integer(), nullable=False))
    op.create_index("supply_levels_supply", "supply_levels",
                    ["agent", "serial", "supply_index", "read_at"])
    op.create_table(
        "alerts", sa.Column("id", sa.Integer(), primary_key=True), *_device_key(),
        _text("alert_key", False), sa.Column("opened_at", TIME, nullable=False),
        sa.Column("cleared_at", TIME),
        *(sa.Column(n, sa.Integer()) for n in ("code", "alert_group", "severity", "training",
                                                 "location")),
        _text("vendor_code"), _text("description", False), sa.Column("engine_cycles", COUNT),
        _text("standard_code", False), _text("category", False), _text("triage_step", False),
        _text("message_id", False),
        sa.UniqueConstraint("agent", "serial", "alert_key", "opened_at"))
    op.create_table(
        "changes", sa.Column("id", sa.Integer(), primary_key=True), *_device_key(),
        _text("kind", False), _text("old"), _text("new"), sa.Column("at", TIME, nullable=False),
        _text("message_id", False))
    op.create_table(
        "rejected", sa.Column("id", sa.Integer(), primary_key=True), _text("agent", False),
        _text("batch_id"), _text("message_id"), _text("reason", False), _text("payload"),
        sa.Column("received_at", TIME, nullable=False))
    op.create_table(
        "consumable_requests", sa.Column("id", sa.Integer(), primary_key=True),
        _text("customer", False), _text("site", False), *_device_key(),
        sa.Column("supply_index", sa.Integer(), nullable=False),
        sa.Column("cartridge", sa.Integer(), nullable=False), _text("description", False),
        _text("sku"), _text("reason", False), sa.Column("percent", sa.Double()),
        sa.Column("days_left", sa.Double()), sa.Column("pages_left", COUNT),
        sa.Column("raised_at", TIME, nullable=False),
        sa.UniqueConstraint("agent", "serial", "supply_index", "cartridge"))
    op.create_table(
        "deliveries", sa.Column("id", sa.Integer(), primary_key=True),
        _text("destination", False), _text("subject", False), _text("notice", False),
        _text("status", False), sa.Column("attempts", sa.Integer(), nullable=False,
                                          server_default="0"),
        sa.Column("next_at", TIME, nullable=False), _text("detail"),
        sa.Column("created_at", TIME, nullable=False), sa.Column("done_at", TIME))
    op.create_index("deliveries_due", "deliveries", ["status", "next_at"])


def downgrade() -> None:
    for table in ("deliveries", "consumable_requests", "rejected", "changes", "alerts",
                  "supply_levels", "raw_counters", "meter_readings", "devices", "agents",
                  "messages"):
        op.drop_table(table)
