"""``protolab portal agents`` and ``portal migrate``: the agents one portal hears from, and its
database brought to the newest schema (SQLite or PostgreSQL)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ekm_proto.portal.intake import iso
from ekm_proto.portal.reports import to_table
from ekm_proto.portal.store import PortalStore, database_url, head_revision
from protolab.cli.support import EXIT_OK
from protolab.errors import ConfigurationError

DB_HELP = "the portal's database: an SQLite file, or postgresql://USER@HOST:PORT/NAME"


def register_storage(commands: Any) -> None:
    agents = commands.add_parser(
        "agents", help="the agents shipping to this portal and their last contact",
        description="One row per agent (its JID): the customer and site it reports, when it was "
                    "last in contact, how many devices and messages the portal holds from it.")
    agents.add_argument("--db", required=True, help=DB_HELP)
    agents.add_argument("--json", action="store_true", help="one JSON array on stdout")
    agents.set_defaults(handler=_agents)

    migrate = commands.add_parser(
        "migrate", help="create or upgrade the portal database to the newest schema",
        description="Bring --db to the newest schema (portals do this themselves on start; "
                    "this does it ahead, e.g. for a PostgreSQL shared by several portals).")
    migrate.add_argument("--db", required=True, help=DB_HELP)
    migrate.set_defaults(handler=_migrate)


def existing_store(db: str) -> PortalStore:
    """The store on ``db``; a file path must exist (a report never creates an empty database)."""
    if database_url(db).get_backend_name() == "sqlite" and "://" not in db \
            and not Path(db).is_file():
        raise ConfigurationError(f"--db {db}: no such portal database")
    return PortalStore(db)


def _agents(args: argparse.Namespace) -> int:
    store = existing_store(args.db)
    try:
        rows: list[dict[str, Any]] = [
            {"jid": a["jid"], "customer": a["customer"], "site": a["site"],
             "last_contact": iso(a["last_contact"]), "first_contact": iso(a["first_seen"]),
             "devices": int(a["devices"]), "messages": int(a["messages"]),
             "duplicates": int(a["duplicates"])} for a in store.agents()]
    finally:
        store.close()
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        sys.stdout.write(to_table(rows) if rows else "no agent has shipped to this portal yet\n")
    return EXIT_OK


def _migrate(args: argparse.Namespace) -> int:
    store = PortalStore(args.db)
    try:
        before = store.migrated_from
        print(f"{store.where}: schema {head_revision()}"
              + (" (already)" if before == head_revision()
                 else f" (was {before or 'empty'})"))
    finally:
        store.close()
    return EXIT_OK
