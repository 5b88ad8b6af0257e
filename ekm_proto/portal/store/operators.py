"""The web interface's operators and sessions: portable SQL with ``:name`` parameters, run
through ``PortalStore.query`` / ``execute`` (SQLite today, SQLAlchemy tomorrow)."""

from __future__ import annotations

from typing import Any

from ekm_proto.portal.store.database import PortalStore


def add_operator(store: PortalStore, name: str, role: str, password_hash: str, now: float
                 ) -> bool:
    """False when an operator of that name exists already (nothing is changed then)."""
    if find_operator(store, name) is not None:
        return False
    store.execute("INSERT INTO operators (name, role, password_hash, created_at) "
                  "VALUES (:name, :role, :hash, :now)", name=name, role=role,
                  hash=password_hash, now=now)
    return True


def find_operator(store: PortalStore, name: str) -> dict[str, Any] | None:
    rows = store.query("SELECT name, role, password_hash, created_at FROM operators "
                       "WHERE name = :name", name=name)
    return rows[0] if rows else None


def list_operators(store: PortalStore) -> list[dict[str, Any]]:
    return store.query("SELECT name, role, created_at FROM operators ORDER BY name")


def remove_operator(store: PortalStore, name: str) -> bool:
    """Remove the operator and end their sessions (not every backend enforces the cascade)."""
    store.execute("DELETE FROM web_sessions WHERE operator = :name", name=name)
    return store.execute("DELETE FROM operators WHERE name = :name", name=name) > 0


def add_session(store: PortalStore, token_hash: str, operator: str, csrf_token: str,
                now: float, expires_at: float) -> None:
    store.execute("INSERT INTO web_sessions (token_hash, operator, csrf_token, created_at, "
                  "expires_at) VALUES (:token, :operator, :csrf, :now, :expires)",
                  token=token_hash, operator=operator, csrf=csrf_token, now=now,
                  expires=expires_at)


def find_session(store: PortalStore, token_hash: str, now: float) -> dict[str, Any] | None:
    """The live session with its operator's role, or None (unknown, expired, or removed)."""
    rows = store.query(
        "SELECT s.operator, o.role, s.csrf_token, s.expires_at FROM web_sessions s "
        "JOIN operators o ON o.name = s.operator "
        "WHERE s.token_hash = :token AND s.expires_at > :now", token=token_hash, now=now)
    return rows[0] if rows else None


def end_session(store: PortalStore, token_hash: str) -> None:
    store.execute("DELETE FROM web_sessions WHERE token_hash = :token", token=token_hash)


def purge_sessions(store: PortalStore, now: float) -> int:
    return store.execute("DELETE FROM web_sessions WHERE expires_at <= :now", now=now)
