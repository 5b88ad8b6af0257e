"""Operators of the web interface and their sessions (the web interface writes them; a session
goes with its operator).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operators", sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False))
    op.create_table(
        "web_sessions", sa.Column("token_hash", sa.Text(), primary_key=True),
        sa.Column("operator", sa.Text(), sa.ForeignKey("operators.name", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("csrf_token", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("expires_at", sa.Double(), nullable=False))


def downgrade() -> None:
    op.drop_table("web_sessions")
    op.drop_table("operators")
