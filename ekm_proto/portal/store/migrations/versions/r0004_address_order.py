"""The asset list sorts device addresses as addresses, not as text: a sort key beside each
address (``address_order.address_sort_key``), filled for the devices already stored, and the
sort's index on it instead of on the address.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ekm_proto.portal.store.address_order import address_sort_key

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("address_key", sa.Text(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT agent, serial, address FROM devices WHERE address IS NOT NULL")).fetchall()
    if rows:
        connection.execute(
            sa.text("UPDATE devices SET address_key = :key WHERE agent = :agent AND "
                    "serial = :serial"),
            [{"key": address_sort_key(address), "agent": agent, "serial": serial}
             for agent, serial, address in rows])
    op.drop_index("devices_by_address", "devices")
    op.create_index("devices_by_address_key", "devices", ["address_key", "serial"])


def downgrade() -> None:
    op.drop_index("devices_by_address_key", "devices")
    op.create_index("devices_by_address", "devices", ["address", "serial"])
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("address_key")
