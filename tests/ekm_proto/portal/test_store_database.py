"""The portal database itself: migrations that build (and unbuild) one schema on SQLite and
PostgreSQL, the portable SQL door other parts of the portal use, ``portal migrate``, and clear
errors for a database the portal cannot use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from ekm_proto.portal.store import PortalStore, head_revision
from ekm_proto.portal.store.engine import MIGRATIONS
from protolab.cli.main import main
from protolab.errors import ConfigurationError

TABLES = {"messages", "agents", "devices", "meter_readings", "raw_counters", "supply_levels",
          "alerts", "changes", "rejected", "consumable_requests", "deliveries", "operators",
          "web_sessions", "alembic_version"}


def test_a_new_database_is_migrated_to_head_on_open(portal_db: str) -> None:
    store = PortalStore(portal_db)
    assert store.migrated_from is None
    assert set(sa.inspect(store.engine).get_table_names()) == TABLES
    assert store.query("SELECT version_num FROM alembic_version") == [
        {"version_num": head_revision()}]
    store.close()
    again = PortalStore(portal_db)
    assert again.migrated_from == head_revision()
    again.close()


def test_the_migrations_go_down_to_nothing_and_up_again(portal_db: str) -> None:
    store = PortalStore(portal_db)
    with store.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", MIGRATIONS)
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        assert set(sa.inspect(connection).get_table_names()) == {"alembic_version"}
    store.close()
    assert PortalStore(portal_db).migrated_from is None


def test_revision_4_gives_stored_addresses_their_sort_key(portal_db: str) -> None:
    """A portal upgraded with devices already stored sorts their addresses at once."""
    store = PortalStore(portal_db)
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    for serial, address in (("A", "10.0.0.10"), ("B", "10.0.0.9"), ("C", None)):
        store.execute("INSERT INTO devices (agent, serial, address, first_seen, last_seen) "
                      "VALUES ('agent@x', :serial, :address, 1, 1)", serial=serial,
                      address=address)
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    rows = store.query("SELECT serial, address_key FROM devices ORDER BY address_key")
    keys = {row["serial"]: row["address_key"] for row in rows}
    assert [row["serial"] for row in rows if row["address_key"]] == ["B", "A"]
    assert keys == {"A": "40a00000a", "B": "40a000009", "C": None}  # 4 + the 32-bit address
    store.close()


def test_portable_sql_for_the_web_interface(portal_db: str) -> None:
    store = PortalStore(portal_db)
    assert store.execute("INSERT INTO operators (name, role, password_hash, created_at) VALUES "
                         "(:name, :role, :hash, :at)", name="ada", role="admin", hash="x",
                         at=1594598400.25) == 1
    store.execute("INSERT INTO web_sessions VALUES (:token, :who, :csrf, :at, :until)",
                  token="t1", who="ada", csrf="c1", at=1.0, until=2.0)
    assert store.query("SELECT name, role, created_at FROM operators WHERE name = :name",
                       name="ada") == [{"name": "ada", "role": "admin", "created_at": 1594598400.25}]
    with pytest.raises(sa.exc.IntegrityError):
        store.execute("INSERT INTO web_sessions VALUES ('t2', 'nobody', 'c', 1, 2)")
    assert store.execute("DELETE FROM operators WHERE name = :name", name="ada") == 1
    assert store.query("SELECT count(*) AS n FROM web_sessions") == [{"n": 0}]  # cascaded
    store.close()


def test_portal_migrate_says_what_it_did(portal_db: str, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    assert main(["portal", "migrate", "--db", portal_db]) == 0
    assert f"schema {head_revision()} (was empty)" in capsys.readouterr().out
    assert main(["portal", "migrate", "--db", portal_db]) == 0
    assert f"schema {head_revision()} (already)" in capsys.readouterr().out


def test_another_program_s_database_is_left_as_it_is(portal_db: str) -> None:
    engine = sa.create_engine(portal_db if "://" in portal_db else f"sqlite:///{portal_db}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE invoices (number INTEGER)"))
    with pytest.raises(ConfigurationError, match="a database of another program"):
        PortalStore(portal_db)
    assert sa.inspect(engine).get_table_names() == ["invoices"]  # nothing created in it
    engine.dispose()


def test_unusable_databases_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                ) -> None:
    old = tmp_path / "issue11.db"
    sqlite3.connect(old).executescript("CREATE TABLE devices (serial TEXT PRIMARY KEY);")
    with pytest.raises(ConfigurationError, match="from before migrations"):
        PortalStore(old)
    assert main(["portal", "migrate", "--db", "mysql://u@127.0.0.1/x"]) == 2
    assert "stores in SQLite or PostgreSQL, not mysql" in capsys.readouterr().err
    assert main(["portal", "agents", "--db", "postgresql://nobody:secret@127.0.0.1:1/none"]) == 2
    error = capsys.readouterr().err
    assert "cannot open or migrate the portal database" in error and "127.0.0.1:1" in error
    assert "secret" not in error
    assert main(["portal", "agents", "--db", "postgres ql://"]) == 2
    assert "not a database URL" in capsys.readouterr().err
