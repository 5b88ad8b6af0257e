"""The portal's database for every portal test, twice: an SQLite file, and a fresh database on a
real PostgreSQL (Debian's, started once per session in a temporary folder on a free loopback
port, run as an unprivileged user when the tests run as root, stopped by its PID)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from protolab.postgres import PostgresServer

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def portal_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where the portal stores: a file path (SQLite) or a postgresql:// URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "portal.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"portal_{next(_numbers)}"
    yield server.create_database(name)
    server.sql(f'DROP DATABASE "{name}" WITH (FORCE)')  # and the connections the test left
