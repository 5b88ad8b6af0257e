"""snmpsim's ``.snmprec`` format (``OID|TAG|VALUE`` lines): read, write, and walk a view into it.

The format belongs to no one device: the printer emulator plays recordings and exports its
printers, the monitor's device analyser records real devices, and both must read each other's
files. Reading is strict (every error names the file and line and what was expected) because a
recording becomes a printer profile; writing follows snmpsim's own rule of hex-encoding (``4x``)
any string that would not survive its ``strip()`` and split, so snmpsim and this module read each
other's files.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from pathlib import Path

from ekm_proto.errors import SnmprecError
from ekm_proto.snmp import types
from ekm_proto.snmp.agent.view import MibView
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue

TAGS: dict[int, SnmpType] = {
    2: SnmpType.INTEGER, 4: SnmpType.OCTET_STRING, 5: SnmpType.NULL,
    6: SnmpType.OBJECT_IDENTIFIER, 64: SnmpType.IP_ADDRESS, 65: SnmpType.COUNTER32,
    66: SnmpType.GAUGE32, 67: SnmpType.TIMETICKS, 68: SnmpType.OPAQUE, 70: SnmpType.COUNTER64,
}
TAG_OF: dict[SnmpType, int] = {t: tag for tag, t in TAGS.items()}
_RANGES = {SnmpType.INTEGER: (-(2**31), 2**31 - 1), SnmpType.COUNTER32: (0, 2**32 - 1),
           SnmpType.GAUGE32: (0, 2**32 - 1), SnmpType.TIMETICKS: (0, 2**32 - 1),
           SnmpType.COUNTER64: (0, 2**64 - 1)}
MAX_WALK = 100_000
_DECIMAL = re.compile(r"-?[0-9]+")


def parse_oid(text: str, what: str = "OID") -> Oid:
    """Dotted text to a tuple, refusing what no SNMP message could carry; ``what`` names the
    place (file and line, table and key) in the error."""
    try:
        return types.parse_oid(text)
    except ValueError as exc:
        raise SnmprecError(f"{what}: {exc}") from None


def _value(tag: int, hexed: bool, text: str, where: str) -> SnmpValue:
    kind = TAGS.get(tag)
    if kind is None:
        raise SnmprecError(f"{where}: unknown tag {tag}; expected one of "
                           + ", ".join(str(t) for t in TAGS))
    raw: bytes | None = None
    if hexed:
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise SnmprecError(f"{where}: tag {tag}x needs hex digits, got {text[:40]!r}") from None
    if kind in _RANGES:
        lo, hi = _RANGES[kind]
        if raw is None and not _DECIMAL.fullmatch(text):
            raise SnmprecError(f"{where}: tag {tag} needs a decimal integer, got {text[:40]!r}")
        number = int.from_bytes(raw, "big") if raw is not None else int(text)
        if not lo <= number <= hi:
            raise SnmprecError(f"{where}: {number} is outside {kind.name}'s range {lo}..{hi}")
        return (kind, number)
    if kind in (SnmpType.OCTET_STRING, SnmpType.OPAQUE):
        # surrogateescape gives back the file's own bytes for text that is not UTF-8
        return (kind, raw if raw is not None else text.encode("utf-8", "surrogateescape"))
    if kind == SnmpType.NULL:
        if text and raw != b"":
            raise SnmprecError(f"{where}: tag 5 (Null) takes no value, got {text[:40]!r}")
        return (kind, None)
    if kind == SnmpType.OBJECT_IDENTIFIER:
        return (kind, parse_oid(raw.decode("ascii", "replace") if raw is not None else text,
                                f"{where}: value"))
    # IpAddress: dotted quad, or 4 bytes in hex
    if raw is None:
        try:
            raw = ipaddress.IPv4Address(text).packed
        except ValueError:
            raise SnmprecError(f"{where}: tag 64 needs a dotted IPv4 address, got {text!r}") \
                from None
    if len(raw) != 4:
        raise SnmprecError(f"{where}: an IpAddress is 4 bytes, got {len(raw)}")
    return (kind, raw)


def parse_snmprec(text: str, source: str = "<snmprec>") -> list[tuple[Oid, SnmpValue]]:
    """Records in OID order; duplicates, variation modules and malformed lines are errors."""
    records: dict[Oid, SnmpValue] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        parts = line.split("|", 2)
        if len(parts) != 3:
            raise SnmprecError(f"{where}: expected OID|TAG|VALUE, got {line[:60]!r}")
        oid_text, tag_text, value_text = parts
        if ":" in tag_text:
            raise SnmprecError(f"{where}: tag {tag_text!r} uses an snmpsim variation module; "
                               "only plain recorded values can become a profile")
        hexed = tag_text.endswith("x")
        digits = tag_text[:-1] if hexed else tag_text
        if not _DECIMAL.fullmatch(digits) or digits.startswith("-") or len(digits) > 3:
            raise SnmprecError(f"{where}: tag {tag_text!r} is not a number like 2, 4 or 4x")
        oid = parse_oid(oid_text, f"{where}: OID")
        if oid in records:
            raise SnmprecError(f"{where}: OID {oid_text} appears twice")
        records[oid] = _value(int(digits), hexed, value_text, where)
    return sorted(records.items())


def read_snmprec(path: Path) -> list[tuple[Oid, SnmpValue]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SnmprecError(f"cannot read recording {path}: {exc.strerror}") from None
    return parse_snmprec(data.decode("utf-8", "surrogateescape"), str(path))


def _printable(raw: bytes) -> bool:
    """Whether snmpsim would keep this string as text (its reader strips whitespace at both ends)."""
    return bool(raw) and all(32 <= b <= 126 for b in raw) and raw[0] != 32 and raw[-1] != 32


def format_record(oid: Oid, value: SnmpValue) -> str:
    kind, data = value
    oid_text = ".".join(str(arc) for arc in oid)
    tag = TAG_OF.get(kind)
    if tag is None:
        raise SnmprecError(f"{oid_text}: {kind.name} has no snmprec tag")
    if kind in (SnmpType.OCTET_STRING, SnmpType.OPAQUE):
        assert isinstance(data, bytes)
        if kind == SnmpType.OCTET_STRING and (not data or _printable(data)):
            return f"{oid_text}|{tag}|{data.decode('ascii')}"
        return f"{oid_text}|{tag}x|{data.hex()}"
    if kind == SnmpType.IP_ADDRESS:
        assert isinstance(data, bytes)
        return f"{oid_text}|{tag}|{ipaddress.IPv4Address(data)}"
    if kind == SnmpType.OBJECT_IDENTIFIER:
        assert isinstance(data, tuple)
        return f"{oid_text}|{tag}|{'.'.join(str(arc) for arc in data)}"
    if kind == SnmpType.NULL:
        return f"{oid_text}|{tag}|"
    return f"{oid_text}|{tag}|{data}"


def format_snmprec(records: Iterable[tuple[Oid, SnmpValue]]) -> str:
    """Lines in OID order (snmpsim bisects its files, so order matters)."""
    return "".join(format_record(oid, value) + "\n" for oid, value in sorted(records))


def walk(view: MibView, start: Oid = (0,)) -> list[tuple[Oid, SnmpValue]]:
    """Every (OID, value) a view serves, by GETNEXT from ``start``, as snmpwalk would see it."""
    out: list[tuple[Oid, SnmpValue]] = []
    oid = start
    for _ in range(MAX_WALK):
        found = view.get_next(oid)
        if found is None:
            return out
        if found[0] <= oid:
            raise SnmprecError(f"walk went backwards at {found[0]} after {oid}")
        oid = found[0]
        out.append(found)
    raise SnmprecError(f"walk from {start} did not end within {MAX_WALK} objects")
