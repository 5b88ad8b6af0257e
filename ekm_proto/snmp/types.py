"""SNMP values as both roles see them: OIDs as tuples, values as ``(SnmpType, python value)`` pairs.

Plain tuples rather than objects, so that 100,000 emulated printers sharing one layout stay small,
a monitor polling 100,000 printers keeps its results small, and the BER codec dispatches on an int.
The exception values (noSuchObject, noSuchInstance, endOfMibView, and SNMPv1's noSuchName as a
manager reports it) are values too: a missing object is an answer, not an error.
"""

from __future__ import annotations

import enum
from typing import TypeAlias

from ekm_proto.errors import BadOidError

Oid: TypeAlias = tuple[int, ...]


class SnmpType(enum.IntEnum):
    """BER tags of the SMIv2 value types (RFC 2578 / RFC 3416), and the exception values."""

    INTEGER = 0x02
    OCTET_STRING = 0x04
    NULL = 0x05
    OBJECT_IDENTIFIER = 0x06
    IP_ADDRESS = 0x40
    COUNTER32 = 0x41
    GAUGE32 = 0x42
    TIMETICKS = 0x43
    OPAQUE = 0x44
    COUNTER64 = 0x46
    # exceptions in a v2c/v3 response varbind (context-specific, primitive)
    NO_SUCH_OBJECT = 0x80
    NO_SUCH_INSTANCE = 0x81
    END_OF_MIB_VIEW = 0x82
    # never on the wire (not a BER tag): an SNMPv1 agent's noSuchName error for one varbind, as
    # the manager reports it in that varbind's place (RFC 3584 4.4 maps it the same way)
    NO_SUCH_NAME = 0x102


# value: int for INTEGER/COUNTER32/GAUGE32/TIMETICKS/COUNTER64, bytes for OCTET_STRING/OPAQUE,
# bytes of length 4 for IP_ADDRESS, Oid for OBJECT_IDENTIFIER, None for NULL and the exceptions.
SnmpValue: TypeAlias = tuple[SnmpType, object]
VarBind: TypeAlias = tuple[Oid, SnmpValue]

NULL: SnmpValue = (SnmpType.NULL, None)
NO_SUCH_OBJECT: SnmpValue = (SnmpType.NO_SUCH_OBJECT, None)
NO_SUCH_INSTANCE: SnmpValue = (SnmpType.NO_SUCH_INSTANCE, None)
END_OF_MIB_VIEW: SnmpValue = (SnmpType.END_OF_MIB_VIEW, None)
NO_SUCH_NAME: SnmpValue = (SnmpType.NO_SUCH_NAME, None)
EXCEPTIONS = frozenset((SnmpType.NO_SUCH_OBJECT, SnmpType.NO_SUCH_INSTANCE,
                        SnmpType.END_OF_MIB_VIEW, SnmpType.NO_SUCH_NAME))


def is_exception(value: SnmpValue) -> bool:
    """True for the values that say an object is not there (rather than carrying it)."""
    return value[0] in EXCEPTIONS


MAX_OID_ARCS = 128  # RFC 2578 section 3.5


def parse_oid(text: str) -> Oid:
    """Dotted text (``1.3.6.1.2.1.1.1.0``, a leading dot allowed) to a tuple; ValueError for
    text no SNMP message could carry."""
    parts = text.strip().lstrip(".").split(".")
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise BadOidError(f"{text[:80]!r} is not a dotted OID like 1.3.6.1.2.1.1.1.0")
    if any(len(part.lstrip("0")) > 10 for part in parts):  # before int(): 4,300 digits raise
        raise BadOidError(f"{text[:80]!r} has an arc past 2^32-1")
    oid = tuple(int(part) for part in parts)
    if len(oid) > MAX_OID_ARCS:
        raise BadOidError(f"{text[:80]!r}... has {len(oid)} arcs: an OID has at most "
                          f"{MAX_OID_ARCS}")
    if len(oid) < 2 or oid[0] > 2 or (oid[0] < 2 and oid[1] >= 40) or any(
            arc >= 1 << 32 for arc in oid):
        raise BadOidError(f"{text!r} is not a valid OID (arcs 0..2^32-1, first arc 0..2, "
                          "second arc under 40 when the first is 0 or 1)")
    return oid


def format_oid(oid: Oid) -> str:
    return ".".join(map(str, oid))
