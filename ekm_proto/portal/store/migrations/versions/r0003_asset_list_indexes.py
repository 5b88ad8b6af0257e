"""Indexes for the web interface's asset list: one customer's site, and a page of 100,000
devices sorted by any column read from an index instead of a sort of the whole table.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SORTABLE = ("zone", "manufacturer", "model", "asset_number", "mac", "address", "engine_cycles",
            "discovered_at", "location")


def upgrade() -> None:
    op.create_index("devices_site", "devices", ["customer", "zone", "available", "last_seen"])
    for column in SORTABLE:
        op.create_index(f"devices_by_{column}", "devices", [column, "serial"])


def downgrade() -> None:
    for column in SORTABLE:
        op.drop_index(f"devices_by_{column}", "devices")
    op.drop_index("devices_site", "devices")
