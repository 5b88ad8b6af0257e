"""Alembic migrations of the portal database (one schema for SQLite and PostgreSQL)."""
