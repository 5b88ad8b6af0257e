"""Alembic's entry point: migrations run on the connection the store opened (never offline, never
configuring logging: the portal's own logging stays as the CLI set it)."""

from __future__ import annotations

from alembic import context


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # alembic runs this file; a plain import (a module scan) does not
    run_migrations()
