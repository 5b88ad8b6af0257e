"""``protolab portal run --web``'s options and ``protolab portal user`` (the web interface's
operators). Only parses arguments: ekm_proto.portal.web does the work."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

from ekm_proto.portal.rules import PortalRules
from ekm_proto.portal.service import Portal
from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.web.accounts import ROLES, add_operator, list_operators, remove_operator
from ekm_proto.portal.web.app import create_app
from ekm_proto.portal.web.rules_editor import RulesEditor
from ekm_proto.portal.web.server import check_web_options, serve
from protolab.cli.support import EXIT_OK, host_port
from protolab.clock import SystemClock
from protolab.http_api import ApiServer
from protolab.logs import get_logger
from protolab.secrets import read_secret_file

log = get_logger("protolab.cli.portal")


def add_web_options(run: argparse.ArgumentParser) -> None:
    run.add_argument("--web", type=host_port("--web"), metavar="HOST:PORT",
                     help="serve the web interface here (HTTPS with --web-cert/--web-key; "
                          "plain HTTP only on a loopback address)")
    run.add_argument("--web-cert", type=Path, metavar="FILE",
                     help="the web interface's certificate chain (PEM)")
    run.add_argument("--web-key", type=Path, metavar="FILE",
                     help="the private key of --web-cert (PEM)")


def check_web(args: argparse.Namespace) -> None:
    """Refuse unsafe or half-given web options before anything connects."""
    if args.web is None:
        if args.web_cert is not None or args.web_key is not None:
            check_web_options("127.0.0.1", args.web_cert, args.web_key)
        return
    check_web_options(args.web[0], args.web_cert, args.web_key)


async def start_web(args: argparse.Namespace, portal: Portal, rules: PortalRules
                    ) -> ApiServer | None:
    if args.web is None:
        return None
    editor = RulesEditor(args.rules, rules, apply=portal.use_rules)
    app = create_app(portal.store, portal.clock, editor)
    server = await serve(app, args.web[0], args.web[1], args.web_cert, args.web_key)
    print(f"portal web interface on {server.url}/", flush=True)
    return server


def register_users(commands: Any) -> None:
    user = commands.add_parser("user", help="operators of the web interface",
                               description="Add, list and remove the operators who may log in "
                                           "to the web interface (roles: viewer, admin).")
    actions = user.add_subparsers(dest="user_command", metavar="ACTION")
    actions.required = True
    add = actions.add_parser("add", help="add an operator")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True,
                     help="viewer sees everything; admin may also change the alert rules")
    add.add_argument("--password-file", type=Path, required=True, metavar="F",
                     help="a file holding the password (at least 8 characters)")
    add.add_argument("--db", type=Path, required=True, help="the portal's database")
    add.set_defaults(handler=_add)
    listing = actions.add_parser("list", help="list the operators")
    listing.add_argument("--db", type=Path, required=True)
    listing.set_defaults(handler=_list)
    remove = actions.add_parser("remove", help="remove an operator (and end their sessions)")
    remove.add_argument("name")
    remove.add_argument("--db", type=Path, required=True)
    remove.set_defaults(handler=_remove)


def _add(args: argparse.Namespace) -> int:
    password = read_secret_file(args.password_file, f"password of operator {args.name}")
    store = PortalStore(args.db)
    try:
        add_operator(store, args.name, args.role, password, SystemClock().wall())
    finally:
        store.close()
    print(f"operator {args.name} added ({args.role})")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    store = PortalStore(args.db)
    try:
        rows = list_operators(store)
    finally:
        store.close()
    for row in rows:
        created = datetime.datetime.fromtimestamp(row["created_at"], datetime.UTC)
        print(f"{row['name']}\t{row['role']}\t{created:%Y-%m-%dT%H:%M:%SZ}")
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    store = PortalStore(args.db)
    try:
        remove_operator(store, args.name)
    finally:
        store.close()
    print(f"operator {args.name} removed")
    return EXIT_OK
