"""Log-in sessions: a random token in a Secure, HttpOnly, SameSite=Strict cookie, stored only as
its SHA-256; each session has its own CSRF token that every form posts back."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.store import operators as sql

SESSION_COOKIE = "protolab_session"
LOGIN_COOKIE = "protolab_login"  # the log-in form's CSRF token (no session yet)
LIFETIME = 12 * 3600.0
TOKEN_LENGTH = 43  # characters of a new token (32 random bytes, URL-safe base64)


@dataclass(frozen=True, slots=True)
class Session:
    operator: str
    role: str
    csrf_token: str

    @property
    def admin(self) -> bool:
        return self.role == "admin"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def open_session(store: PortalStore, operator: str, now: float, lifetime: float = LIFETIME
                 ) -> str:
    """A new session for ``operator``; the token for the cookie (only its hash is stored)."""
    sql.purge_sessions(store, now)
    token = new_token()
    sql.add_session(store, _digest(token), operator, new_token(), now, now + lifetime)
    return token


def find_session(store: PortalStore, token: str | None, now: float) -> Session | None:
    if not token:
        return None
    row = sql.find_session(store, _digest(token), now)
    return None if row is None else Session(row["operator"], row["role"], row["csrf_token"])


def close_session(store: PortalStore, token: str) -> None:
    sql.end_session(store, _digest(token))


def same_token(given: object, expected: str) -> bool:
    return isinstance(given, str) and bool(given) and hmac.compare_digest(given, expected)
