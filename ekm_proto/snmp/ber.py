"""BER for the SNMP subset: definite lengths, one-byte tags, the SMIv2 value types.

Decoding works on ``(buf, start, stop)`` windows of the original datagram instead of slicing, so a
message is never copied and every length is checked against the bytes that actually arrived before
anything is read: a hostile length can make decoding fail, never allocate. Each failure raises a
``BerError`` subclass whose ``reason`` names the drop counter it feeds.

Encoding is on the hot path of every response, so it caches what views return over and over (OID
encodings) and uses precomputed headers for short values.
"""

from __future__ import annotations

from ekm_proto.errors import SnmpDecodeError, SnmpEncodeError
from ekm_proto.snmp.types import MAX_OID_ARCS, Oid, SnmpType, SnmpValue

# universal and SNMP application tags
INTEGER = 0x02
OCTET_STRING = 0x04
NULL = 0x05
OBJECT_IDENTIFIER = 0x06
SEQUENCE = 0x30

MAX_LENGTH_OCTETS = 4  # 2**32 - 1 is already far beyond any UDP datagram
MAX_ARC = 0xFFFFFFFF
MAX_INTEGER_OCTETS = 9  # a Counter64 needs a leading zero octet
INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1
UINT32_MAX = MAX_ARC
UINT64_MAX = (1 << 64) - 1


class BerError(SnmpDecodeError):
    """Bytes that are not the BER the SNMP subset allows."""

    reason = "ber"


class BerTruncated(BerError):
    """A header or content that runs past the end of what arrived."""

    reason = "truncated"


class BerBadLength(BerError):
    """Indefinite length or more length octets than any datagram could need."""

    reason = "bad-length"


class BerBadTag(BerError):
    """A tag other than the one the SNMP grammar expects at this point."""

    reason = "unexpected-tag"


class BerBadValue(BerError):
    """Content that is not a valid value of its type (empty INTEGER, bad OID arc, out of range)."""

    reason = "bad-value"


class BerTrailingBytes(BerError):
    """Bytes left over inside a constructed value or after the message."""

    reason = "trailing-bytes"


def read_tlv(buf: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """Return ``(tag, content_start, content_stop)`` of the TLV at ``pos``, all within ``end``."""
    if pos + 2 > end:
        raise BerTruncated(f"expected a tag and length at offset {pos}, {end - pos} byte(s) left")
    tag = buf[pos]
    length = buf[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0:
            raise BerBadLength(f"indefinite length at offset {pos - 1}")
        if count > MAX_LENGTH_OCTETS:
            raise BerBadLength(f"{count} length octets at offset {pos - 1}")
        if pos + count > end:
            raise BerTruncated(f"length octets past the end at offset {pos}")
        length = int.from_bytes(buf[pos:pos + count], "big")
        pos += count
    stop = pos + length
    if stop > end:
        raise BerTruncated(f"tag 0x{tag:02x} claims {length} bytes at offset {pos}, "
                           f"{end - pos} left")
    if tag & 0x1F == 0x1F:
        raise BerBadTag(f"multi-byte tag 0x{tag:02x} at offset {pos - 2}")
    return tag, pos, stop


def expect(buf: bytes, pos: int, end: int, tag: int) -> tuple[int, int]:
    """Content window of the TLV at ``pos``, which must carry ``tag``."""
    if pos + 2 <= end and buf[pos] == tag:  # fast path: short definite length
        length = buf[pos + 1]
        if length < 0x80 and pos + 2 + length <= end:
            return pos + 2, pos + 2 + length
    if pos < end and buf[pos] != tag:
        raise BerBadTag(f"expected tag 0x{tag:02x} at offset {pos}, got 0x{buf[pos]:02x}")
    got, start, stop = read_tlv(buf, pos, end)
    if got != tag:
        raise BerBadTag(f"expected tag 0x{tag:02x} at offset {pos}, got 0x{got:02x}")
    return start, stop


def decode_integer(buf: bytes, start: int, stop: int) -> int:
    """A signed INTEGER's content (two's complement, 1 to 9 octets)."""
    size = stop - start
    if size == 1:
        value = buf[start]
        return value - 256 if value & 0x80 else value
    if size < 1 or size > MAX_INTEGER_OCTETS:
        raise BerBadValue(f"INTEGER of {size} octets at offset {start}")
    return int.from_bytes(buf[start:stop], "big", signed=True)


def decode_int32(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    """An Integer32 TLV at ``pos`` (request-id, error-status, version...): ``(value, next_pos)``."""
    if pos + 3 <= end and buf[pos] == INTEGER:  # fast path: 1 to 4 content octets
        size = buf[pos + 1]
        stop = pos + 2 + size
        if size == 1:
            value = buf[pos + 2]
            return (value - 256 if value & 0x80 else value), stop
        if 1 < size <= 4 and stop <= end:
            return int.from_bytes(buf[pos + 2:stop], "big", signed=True), stop
    start, stop = expect(buf, pos, end, INTEGER)
    value = decode_integer(buf, start, stop)
    if value < INT32_MIN or value > INT32_MAX:
        raise BerBadValue(f"INTEGER {value} out of Integer32 range at offset {start}")
    return value, stop


def decode_unsigned(buf: bytes, start: int, stop: int, maximum: int) -> int:
    """Content of Counter32/Gauge32/TimeTicks/Counter64: a non-negative INTEGER up to ``maximum``."""
    value = decode_integer(buf, start, stop)
    if value < 0 or value > maximum:
        raise BerBadValue(f"unsigned value {value} out of range at offset {start}")
    return value


def decode_oid(buf: bytes, start: int, stop: int) -> Oid:
    """An OBJECT IDENTIFIER's content: base-128 arcs, minimal, each at most 2**32 - 1."""
    if start >= stop:
        raise BerBadValue(f"empty OBJECT IDENTIFIER at offset {start}")
    if buf[stop - 1] & 0x80:
        raise BerBadValue(f"OBJECT IDENTIFIER ends inside an arc at offset {stop - 1}")
    arcs: list[int] = []
    value = 0
    fresh = True
    for pos in range(start, stop):
        octet = buf[pos]
        if fresh and octet == 0x80:
            raise BerBadValue(f"non-minimal OID arc at offset {pos}")
        value = (value << 7) | (octet & 0x7F)
        if octet & 0x80:
            if value > _ARC_ACCUMULATOR_MAX:  # stop before a hostile run grows a huge int
                raise BerBadValue(f"OID arc over 2**32 - 1 at offset {pos}")
            fresh = False
            continue
        if not arcs:
            if value < 80:
                arcs.append(value // 40)
                arcs.append(value % 40)
            else:
                arcs.append(2)
                arcs.append(value - 80)
        else:
            arcs.append(value)
        if arcs[-1] > MAX_ARC:
            raise BerBadValue(f"OID arc {arcs[-1]} over 2**32 - 1 at offset {pos}")
        value = 0
        fresh = True
    if len(arcs) > MAX_OID_ARCS:
        raise BerBadValue(f"OID of {len(arcs)} arcs at offset {start}")
    return tuple(arcs)


_ARC_ACCUMULATOR_MAX = (MAX_ARC + 80) >> 7

_OID_DECODE_CACHE: dict[bytes, Oid] = {}
_CACHE_LIMIT = 1 << 16


def decode_oid_cached(buf: bytes, start: int, stop: int) -> Oid:
    """``decode_oid`` memoised on the content bytes: managers ask for the same OIDs all day."""
    key = buf[start:stop]
    oid = _OID_DECODE_CACHE.get(key)
    if oid is None:
        oid = decode_oid(buf, start, stop)
        if len(_OID_DECODE_CACHE) >= _CACHE_LIMIT:
            _OID_DECODE_CACHE.clear()  # bounded: a stream of distinct OIDs cannot grow memory
        _OID_DECODE_CACHE[key] = oid
    return oid


_UNSIGNED_MAX = {SnmpType.COUNTER32: UINT32_MAX, SnmpType.GAUGE32: UINT32_MAX,
                 SnmpType.TIMETICKS: UINT32_MAX, SnmpType.COUNTER64: UINT64_MAX}
_EMPTY_TYPES = (SnmpType.NULL, SnmpType.NO_SUCH_OBJECT, SnmpType.NO_SUCH_INSTANCE,
                SnmpType.END_OF_MIB_VIEW)
_NULL_VALUES: dict[int, SnmpValue] = {t: (t, None) for t in _EMPTY_TYPES}
_TYPES = {int(t): t for t in SnmpType if t < 0x100}  # NO_SUCH_NAME is no tag


def decode_value(tag: int, buf: bytes, start: int, stop: int) -> SnmpValue:
    """The ``(SnmpType, value)`` pair a varbind's value TLV carries."""
    null = _NULL_VALUES.get(tag)
    if null is not None:
        if stop != start:
            raise BerBadValue(f"tag 0x{tag:02x} with {stop - start} content bytes at {start}")
        return null
    kind = _TYPES.get(tag)
    if kind is None:
        raise BerBadTag(f"expected an SNMP value type, got tag 0x{tag:02x} at offset {start - 2}")
    if kind is SnmpType.INTEGER:
        value = decode_integer(buf, start, stop)
        if value < INT32_MIN or value > INT32_MAX:
            raise BerBadValue(f"INTEGER {value} out of Integer32 range at offset {start}")
        return kind, value
    if kind is SnmpType.OCTET_STRING or kind is SnmpType.OPAQUE:
        return kind, bytes(buf[start:stop])
    if kind is SnmpType.OBJECT_IDENTIFIER:
        return kind, decode_oid(buf, start, stop)
    if kind is SnmpType.IP_ADDRESS:
        if stop - start != 4:
            raise BerBadValue(f"IpAddress of {stop - start} octets at offset {start}")
        return kind, bytes(buf[start:stop])
    return kind, decode_unsigned(buf, start, stop, _UNSIGNED_MAX[kind])


# ---------------------------------------------------------------------------------------- encoding

def encode_length(length: int) -> bytes:
    """Minimal definite length octets."""
    if length < 0x80:
        return _SHORT_LENGTHS[length]
    if length < 0x100:
        return bytes((0x81, length))
    if length < 0x10000:
        return bytes((0x82, length >> 8, length & 0xFF))
    if length <= 0xFFFFFFFF:
        size = (length.bit_length() + 7) // 8
        return bytes((0x80 | size,)) + length.to_bytes(size, "big")
    raise SnmpEncodeError(f"length {length} does not fit in BER")


_SHORT_LENGTHS = [bytes((n,)) for n in range(0x80)]


def header(tag: int, length: int) -> bytes:
    """Tag and length octets for ``length`` content bytes."""
    if length < 0x80:
        return bytes((tag, length))
    return bytes((tag,)) + encode_length(length)


def encode_tlv(tag: int, content: bytes) -> bytes:
    """A complete TLV around ``content``."""
    size = len(content)
    if size < 0x80:
        return bytes((tag, size)) + content
    return bytes((tag,)) + encode_length(size) + content


def integer_content(value: int) -> bytes:
    """Minimal two's complement octets of ``value``."""
    if 0 <= value < 0x80:
        return _SHORT_LENGTHS[value]
    size = ((value if value >= 0 else ~value).bit_length() + 8) >> 3
    return value.to_bytes(size, "big", signed=True)


def encode_integer(value: int, tag: int = INTEGER) -> bytes:
    """An INTEGER (or application integer type) TLV."""
    if 0 <= value < 0x80:
        return _SMALL_INTS[tag][value] if tag in _SMALL_INTS else bytes((tag, 1, value))
    size = ((value if value >= 0 else ~value).bit_length() + 8) >> 3
    return bytes((tag, size)) + value.to_bytes(size, "big", signed=True)


_SMALL_INTS = {tag: [bytes((tag, 1, n)) for n in range(0x80)]
               for tag in (INTEGER, 0x41, 0x42, 0x43, 0x46)}


def oid_content(oid: Oid) -> bytes:
    """Content octets of an OBJECT IDENTIFIER, validated against SNMP's limits."""
    if len(oid) < 2 or len(oid) > MAX_OID_ARCS:
        raise SnmpEncodeError(f"OID {oid!r} must have 2 to {MAX_OID_ARCS} arcs")
    first, second = oid[0], oid[1]
    if first not in (0, 1, 2) or second < 0 or (first < 2 and second >= 40) or second > MAX_ARC:
        raise SnmpEncodeError(f"OID {oid!r} has invalid first arcs")
    out = bytearray()
    for position, arc in enumerate((first * 40 + second, *oid[2:])):
        if arc < 0x80:
            if arc < 0:
                raise SnmpEncodeError(f"OID {oid!r} has a negative arc")
            out.append(arc)
            continue
        if arc > (MAX_ARC + 80 if position == 0 else MAX_ARC):
            raise SnmpEncodeError(f"OID {oid!r} has an arc over 2**32 - 1")
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out.extend(reversed(chunk))
    return bytes(out)


_OID_ENCODE_CACHE: dict[Oid, bytes] = {}


def encode_oid(oid: Oid) -> bytes:
    """An OBJECT IDENTIFIER TLV, memoised: views hand back the same OIDs for every request."""
    tlv = _OID_ENCODE_CACHE.get(oid)
    if tlv is None:
        tlv = encode_tlv(OBJECT_IDENTIFIER, oid_content(tuple(oid)))
        if len(_OID_ENCODE_CACHE) >= _CACHE_LIMIT:
            _OID_ENCODE_CACHE.clear()
        _OID_ENCODE_CACHE[oid] = tlv
    return tlv


_STRING_HEADERS = [bytes((OCTET_STRING, n)) for n in range(0x80)]
_EMPTY_TLVS = {int(t): bytes((int(t), 0)) for t in _EMPTY_TYPES}
_INT_LIMITS: dict[int, tuple[int, int]] = {
    int(SnmpType.INTEGER): (INT32_MIN, INT32_MAX),
    **{int(kind): (0, maximum) for kind, maximum in _UNSIGNED_MAX.items()}}


def encode_value(kind: int, value: object) -> bytes:
    """The TLV of one ``(SnmpType, value)`` pair; SnmpEncodeError for a value its type cannot hold."""
    if kind == OCTET_STRING:
        if type(value) is bytes:
            size = len(value)
            if size < 0x80:
                return _STRING_HEADERS[size] + value
            return b"\x04" + encode_length(size) + value
        if isinstance(value, bytes | bytearray | memoryview):
            return encode_tlv(OCTET_STRING, bytes(value))
        raise SnmpEncodeError(f"OCTET STRING needs bytes, got {type(value).__name__}")
    limits = _INT_LIMITS.get(kind)
    if limits is not None:
        if not isinstance(value, int):
            raise SnmpEncodeError(f"type 0x{kind:02x} needs an int, got {type(value).__name__}")
        if value < limits[0] or value > limits[1]:
            raise SnmpEncodeError(f"{value} out of range for type 0x{kind:02x}")
        return encode_integer(int(value), kind)
    empty = _EMPTY_TLVS.get(kind)
    if empty is not None:
        return empty
    if kind == OBJECT_IDENTIFIER:
        if not isinstance(value, tuple):
            raise SnmpEncodeError(f"OBJECT IDENTIFIER needs a tuple, got {type(value).__name__}")
        return encode_oid(value)
    if kind == SnmpType.IP_ADDRESS:
        if not isinstance(value, bytes | bytearray) or len(value) != 4:
            raise SnmpEncodeError(f"IpAddress needs 4 bytes, got {value!r}")
        return bytes((kind, 4)) + bytes(value)
    if kind == SnmpType.OPAQUE:
        if not isinstance(value, bytes | bytearray):
            raise SnmpEncodeError(f"Opaque needs bytes, got {type(value).__name__}")
        return encode_tlv(kind, bytes(value))
    raise SnmpEncodeError(f"no SNMP value type 0x{kind:02x}")


def encode_varbind(oid_tlv: bytes, value_tlv: bytes) -> bytes:
    """A VarBind SEQUENCE from an encoded name and an encoded value."""
    size = len(oid_tlv) + len(value_tlv)
    if size < 0x80:
        return bytes((SEQUENCE, size)) + oid_tlv + value_tlv
    return b"\x30" + encode_length(size) + oid_tlv + value_tlv


_SEQUENCE_HEADERS = [bytes((SEQUENCE, n)) for n in range(0x80)]
# Integer32, Counter32, Gauge32, TimeTicks: header per content size
_INT_HEADERS = {kind: [bytes((kind, n)) for n in range(6)] for kind in (INTEGER, 0x41, 0x42, 0x43)}


def varbind_tlv(name: Oid, kind: int, value: object) -> bytes:
    """``encode_varbind(encode_oid(name), encode_value(kind, value))`` in one call, with inline
    paths for short strings and non-negative 31-bit integers: GETBULK spends its time here."""
    oid_tlv = _OID_ENCODE_CACHE.get(name)
    if oid_tlv is None:
        oid_tlv = encode_oid(name)
    if kind == OCTET_STRING and type(value) is bytes and len(value) < 0x80:
        value_tlv = _STRING_HEADERS[len(value)] + value
    elif kind in _INT_HEADERS and type(value) is int and 0 <= value <= INT32_MAX:
        size = (value.bit_length() + 8) >> 3
        value_tlv = _INT_HEADERS[kind][size] + value.to_bytes(size, "big")
    else:
        value_tlv = encode_value(kind, value)
    size = len(oid_tlv) + len(value_tlv)
    if size < 0x80:
        return _SEQUENCE_HEADERS[size] + oid_tlv + value_tlv
    return b"\x30" + encode_length(size) + oid_tlv + value_tlv
