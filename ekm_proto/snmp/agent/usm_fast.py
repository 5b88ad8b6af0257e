"""Reading the SNMPv3 message a monitor sends most (a USM request with short lengths) in one pass
of index arithmetic, for the agent's fast path; anything else returns None and the general
decoders (message.py, usm.py) read it, check it and count what is wrong with it.

A message read here is exactly what the general decoders would read: the same fields, the same
range checks; only the shapes differ (short-form lengths everywhere but the outer SEQUENCE, which
may use 0x81).
"""

from __future__ import annotations

#: msgID, msgMaxSize, msgFlags, msgAuthoritativeEngineID, ...Boots, ...Time, msgUserName,
#: the absolute offset of msgAuthenticationParameters' content, msgAuthenticationParameters,
#: msgPrivacyParameters, the encryptedPDU octets. A plain tuple, unpacked by its one reader:
#: cheaper than a NamedTuple on a path that runs for every request.
V3Fields = tuple[int, int, int, bytes, int, int, bytes, int, bytes, bytes, bytes]


def read_encrypted_request(data: bytes) -> V3Fields | None:
    """The fields of an authPriv-shaped message (encrypted scopedPDU), or None."""
    try:
        return _read(data)
    except IndexError:
        return None


def _read(data: bytes) -> V3Fields | None:
    """One pass, no helper calls (this runs for every v3 datagram): each field is a tag, a short
    length in its range, then the content; any other octet is None."""
    size = len(data)
    if size < 64 or data[0] != 0x30:
        return None
    at = data[1]
    if at < 0x80:
        at, length = 2, at
    elif at == 0x81:
        at, length = 3, data[2]
    else:
        return None
    if at + length != size or data[at:at + 4] != b"\x02\x01\x03\x30" or data[at + 4] >= 0x80 \
            or data[at + 5] != 0x02 or not 1 <= data[at + 6] <= 4:
        return None
    global_end = at + 5 + data[at + 4]
    stop = at + 7 + data[at + 6]
    msg_id = int.from_bytes(data[at + 7:stop], "big", signed=True)
    if data[stop] != 0x02 or not 1 <= data[stop + 1] <= 4:
        return None
    at, stop = stop + 2, stop + 2 + data[stop + 1]
    max_size = int.from_bytes(data[at:stop], "big", signed=True)
    if data[stop:stop + 2] != b"\x04\x01" or data[stop + 3:stop + 6] != b"\x02\x01\x03" \
            or stop + 6 != global_end or msg_id < 0 or max_size < 484:
        return None
    flags = data[stop + 2]
    # msgSecurityParameters: OCTET STRING around the USM SEQUENCE
    if data[global_end] != 0x04 or data[global_end + 1] >= 0x80 or data[global_end + 2] != 0x30 \
            or data[global_end + 3] != data[global_end + 1] - 2 or data[global_end + 4] != 0x04 \
            or data[global_end + 5] > 32:
        return None
    params_end = global_end + 2 + data[global_end + 1]
    at = global_end + 6
    stop = at + data[at - 1]
    engine_id = data[at:stop]
    if data[stop] != 0x02 or not 1 <= data[stop + 1] <= 4:
        return None
    at, stop = stop + 2, stop + 2 + data[stop + 1]
    boots = int.from_bytes(data[at:stop], "big", signed=True)
    if data[stop] != 0x02 or not 1 <= data[stop + 1] <= 4:
        return None
    at, stop = stop + 2, stop + 2 + data[stop + 1]
    engine_time = int.from_bytes(data[at:stop], "big", signed=True)
    if data[stop] != 0x04 or data[stop + 1] > 32:
        return None
    at, stop = stop + 2, stop + 2 + data[stop + 1]
    user_name = data[at:stop]
    if data[stop] != 0x04 or data[stop + 1] >= 0x80:
        return None
    auth_start, stop = stop + 2, stop + 2 + data[stop + 1]
    auth = data[auth_start:stop]
    if data[stop] != 0x04 or data[stop + 1] >= 0x80:
        return None
    at, stop = stop + 2, stop + 2 + data[stop + 1]
    priv = data[at:stop]
    if stop != params_end or boots < 0 or engine_time < 0 or data[stop] != 0x04 \
            or data[stop + 1] >= 0x80 or stop + 2 + data[stop + 1] != size:
        return None
    return (msg_id, max_size, flags, engine_id, boots, engine_time, user_name, auth_start, auth,
            priv, data[stop + 2:])
