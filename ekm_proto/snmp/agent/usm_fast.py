"""Reading the SNMPv3 message a monitor sends most (a USM request with short lengths) in one pass
of index arithmetic, for the agent's fast path; anything else returns None and the general
decoders (message.py, usm.py) read it, check it and count what is wrong with it.

A message read here is exactly what the general decoders would read: the same fields, the same
range checks; only the shapes differ (short-form lengths everywhere but the outer SEQUENCE, which
may use 0x81).
"""

from __future__ import annotations

from typing import NamedTuple


class V3Fields(NamedTuple):
    msg_id: int
    max_size: int
    flags: int
    engine_id: bytes
    boots: int
    time: int
    user_name: bytes
    auth_start: int  # absolute offset of msgAuthenticationParameters' content
    auth: bytes
    priv: bytes
    data: bytes  # the encryptedPDU octets


def _int(data: bytes, at: int) -> tuple[int, int] | None:
    """A short INTEGER (1 to 4 content octets) at ``at``: (value, next offset)."""
    if data[at] != 0x02:
        return None
    size = data[at + 1]
    if not 1 <= size <= 4:
        return None
    return int.from_bytes(data[at + 2:at + 2 + size], "big", signed=True), at + 2 + size


def _octets(data: bytes, at: int, limit: int) -> tuple[bytes, int] | None:
    if data[at] != 0x04 or data[at + 1] > limit:
        return None
    end = at + 2 + data[at + 1]
    return data[at + 2:end], end


def read_encrypted_request(data: bytes) -> V3Fields | None:
    """The fields of an authPriv-shaped message (encrypted scopedPDU), or None."""
    try:
        return _read(data)
    except IndexError:
        return None


def _read(data: bytes) -> V3Fields | None:
    size = len(data)
    if size < 64 or data[0] != 0x30:
        return None
    if data[1] == 0x81:
        at, length = 3, data[2]
    elif data[1] < 0x80:
        at, length = 2, data[1]
    else:
        return None
    if at + length != size or data[at:at + 4] != b"\x02\x01\x03\x30" or data[at + 4] >= 0x80:
        return None
    global_end = at + 5 + data[at + 4]
    found = _int(data, at + 5)
    if found is None:
        return None
    msg_id, at = found
    found = _int(data, at)
    if found is None:
        return None
    max_size, at = found
    if data[at:at + 2] != b"\x04\x01" or data[at + 3:at + 6] != b"\x02\x01\x03" \
            or at + 6 != global_end or msg_id < 0 or max_size < 484:
        return None
    flags = data[at + 2]
    at = global_end
    if data[at] != 0x04 or data[at + 1] >= 0x80 or data[at + 2] != 0x30 \
            or data[at + 3] != data[at + 1] - 2:
        return None
    params_end = at + 2 + data[at + 1]
    field = _octets(data, at + 4, 32)
    if field is None:
        return None
    engine_id, at = field
    found = _int(data, at)
    if found is None:
        return None
    boots, at = found
    found = _int(data, at)
    if found is None:
        return None
    engine_time, at = found
    field = _octets(data, at, 32)
    if field is None:
        return None
    user_name, at = field
    auth_start = at + 2
    field = _octets(data, at, 0x7F)
    if field is None:
        return None
    auth, at = field
    field = _octets(data, at, 0x7F)
    if field is None or field[1] != params_end or boots < 0 or engine_time < 0:
        return None
    priv, at = field
    field = _octets(data, at, 0x7F)
    if field is None or field[1] != size:
        return None
    return V3Fields(msg_id, max_size, flags, engine_id, boots, engine_time, user_name,
                    auth_start, auth, priv, field[0])
