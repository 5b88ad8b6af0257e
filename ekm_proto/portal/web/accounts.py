"""Operators of the web interface: who may log in, with which role."""

from __future__ import annotations

import re
from typing import Any

from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.store import operators as sql
from ekm_proto.portal.web.errors import OperatorError
from ekm_proto.portal.web.passwords import dummy_hash, hash_password, verify_password

ROLES = ("viewer", "admin")
MIN_PASSWORD = 8
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


def add_operator(store: PortalStore, name: str, role: str, password: str, now: float) -> None:
    """OperatorError for a bad name, role or password, or a name already taken."""
    if not _NAME.fullmatch(name):
        raise OperatorError(f"operator name {name!r}: expected 1-64 letters, digits, '.', '_', "
                            "'@' or '-', starting with a letter or digit")
    if role not in ROLES:
        raise OperatorError(f"role {role!r}: expected one of " + ", ".join(ROLES))
    if len(password) < MIN_PASSWORD:
        raise OperatorError(f"the password of {name} is {len(password)} characters long; "
                            f"expected at least {MIN_PASSWORD}")
    if not sql.add_operator(store, name, role, hash_password(password), now):
        raise OperatorError(f"operator {name} exists already (remove it first to change it)")


def remove_operator(store: PortalStore, name: str) -> None:
    if not sql.remove_operator(store, name):
        raise OperatorError(f"no operator named {name!r}")


def list_operators(store: PortalStore) -> list[dict[str, Any]]:
    return sql.list_operators(store)


def authenticate(store: PortalStore, name: str, password: str) -> str | None:
    """The operator's role when name and password match, else None (same cost either way)."""
    found = sql.find_operator(store, name)
    ok = verify_password(password, found["password_hash"] if found else dummy_hash())
    return str(found["role"]) if found and ok else None
