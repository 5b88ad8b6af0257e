"""Opening the portal database: a file path or ``sqlite:///...`` (SQLite, the default) or
``postgresql://...``, and bringing its schema to the newest migration.

SQLite runs in WAL mode and every transaction starts with ``BEGIN IMMEDIATE``, so two processes
sharing one file take turns instead of failing half-way; PostgreSQL serialises the migration of
a fresh database with an advisory lock, so portals started together do not race on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from protolab.errors import ConfigurationError

MIGRATIONS = str(Path(__file__).with_name("migrations"))
#: pg_advisory_xact_lock key held while a portal migrates a PostgreSQL database ("ekmp")
MIGRATION_LOCK = 0x656B6D70


def database_url(db: str | Path) -> sa.URL:
    """``--db`` as a URL: anything without ``://`` is an SQLite file path."""
    text = str(db)
    if "://" not in text:
        return sa.URL.create("sqlite", database=str(Path(text).expanduser().absolute()))
    try:
        url = sa.make_url(text)
    except ArgumentError:
        raise ConfigurationError(f"--db {text}: not a database URL (expected a file path, "
                                 "sqlite:///FILE or postgresql://USER@HOST:PORT/NAME)") from None
    if url.get_backend_name() == "postgresql" and url.get_driver_name() in ("", "psycopg2"):
        url = url.set(drivername="postgresql+psycopg")  # the driver protolab depends on
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigurationError(f"--db {shown(url)}: the portal stores in SQLite or PostgreSQL, "
                                 f"not {url.get_backend_name()}")
    return url


def shown(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we say BEGIN ourselves (below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: sa.URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 30.0})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory(MIGRATIONS).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, url: sa.URL) -> str | None:
    """Migrate to head if needed; the revision the database was at before."""
    try:
        before = current_revision(engine)
        if before == head_revision():
            return before
        with engine.begin() as connection:
            if url.get_backend_name() == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": MIGRATION_LOCK})
            _refuse_unversioned(connection, url)
            command.upgrade(_config(connection), "head")
        return before
    except SQLAlchemyError as exc:
        raise ConfigurationError(f"--db {shown(url)}: cannot open or migrate the portal "
                                 f"database: {exc.__class__.__name__}: {_first_line(exc)}",
                                 source=shown(url)) from None


def _refuse_unversioned(connection: sa.Connection, url: sa.URL) -> None:
    """Tables but no migration record: not ours to change (an old portal's, or another
    program's database given by mistake)."""
    tables = set(sa.inspect(connection).get_table_names())
    if not tables or "alembic_version" in tables:
        return
    if "devices" in tables:
        raise ConfigurationError(
            f"--db {shown(url)}: a portal database from before migrations (devices keyed by "
            "serial alone); start a new database for this portal", source=shown(url))
    raise ConfigurationError(
        f"--db {shown(url)}: a database of another program (tables "
        f"{', '.join(sorted(tables)[:5])}); expected a new database or a portal's",
        source=shown(url))


def _first_line(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
