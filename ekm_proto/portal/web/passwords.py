"""Operator passwords, hashed with scrypt (hashlib) and a per-user salt; the parameters live in
the stored hash, so they can be raised later without breaking existing operators."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets

#: 16 MiB of memory per hash, about 50 ms on one core: costly to guess, cheap to log in
N, R, P = 2**14, 8, 1
_SALT_BYTES, _KEY_BYTES = 16, 32
_MAX_MEMORY = 64 * 1024 * 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=_MAX_MEMORY)


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$key`` (base64 salt and key)."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _scrypt(password, salt, N, R, P, _KEY_BYTES)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches; False for a wrong one or a hash this code cannot read."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key, validate=True)
        actual = _scrypt(password, base64.b64decode(salt, validate=True), int(n), int(r),
                         int(p), len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@functools.cache
def dummy_hash() -> str:
    """Checked against when the operator does not exist, so a wrong name costs what a wrong
    password costs (no timing hint about which names exist)."""
    return hash_password(secrets.token_hex(16))
