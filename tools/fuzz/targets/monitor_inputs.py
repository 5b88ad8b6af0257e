"""Fuzz target: what the monitoring agent reads from people and from printers.

The first byte chooses. Text: address ranges and CSV asset lists parse or raise
ConfigurationError. SNMP: a decoded response's varbinds, whatever their types, go through every
pure function that interprets printer answers (identification, alert rows, error-state bits,
counters and levels validation) without raising anything.
"""

from __future__ import annotations

from ekm_proto.errors import SnmpDecodeError
from ekm_proto.monitor.alerts import from_alert_rows, from_error_state
from ekm_proto.monitor.counter_catalog import KnownCounter
from ekm_proto.monitor.identify import FIRST_ROWS, PROBE, identify, integer
from ekm_proto.monitor.loops.levels_loops import subunit_status
from ekm_proto.monitor.loops.meter_loop import reading
from ekm_proto.monitor.targets import parse_assets, parse_range
from ekm_proto.monitor.validation import Previous, supply_problem, validate_counters
from ekm_proto.snmp.message import CommunityMessage, Pdu, decode_community_message, encode_community_message
from ekm_proto.snmp.types import SnmpType, VarBind
from protolab.errors import ConfigurationError

COUNTER = KnownCounter((1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 4, 1, 2, 5, 0), "total", "total")


def _text(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    first, _, rest = text.partition("\n")
    try:
        addresses = parse_range(first)
        assert len(addresses) <= 1 << 20
    except ConfigurationError:
        pass
    try:
        parse_assets(rest, "fuzz.csv")
    except ConfigurationError:
        pass


def _answers(varbinds: list[VarBind]) -> None:
    padded = (varbinds * (1 + 12 // max(1, len(varbinds))))[:12] if varbinds else []
    if len(padded) < 12:
        return
    identify("127.0.0.1", 161, "fuzz", padded[:len(PROBE)], padded[:len(FIRST_ROWS)],
             padded[6][1], (1, b"\x00\x11\x22\x33\x44\x55"))
    rows = {i: {column: value[1] for column, (_, value) in enumerate(padded[i:i + 7], start=2)}
            for i in range(3)}
    conditions = from_alert_rows(rows)
    for _, value in padded:
        octets = value[1] if isinstance(value[1], bytes) else None
        from_error_state(octets, conditions)
        subunit_status(integer(value))
        number = integer(value)
        if number is not None:
            supply_problem(number, number // 2)
    readings = [reading(COUNTER, value) for _, value in padded]
    previous = {"total": Previous(2**24 - 5, 7, 0.0)}
    validate_counters(readings, previous, now=3600.0, reboot=False, pages_per_hour=None)


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    if data[0] % 2 == 0:
        _text(data[1:])
        return
    try:
        message = decode_community_message(data[1:])
    except SnmpDecodeError:
        return
    _answers(message.pdu.varbinds)


def seeds() -> list[bytes]:
    varbinds: list[VarBind] = [
        ((1, 3, 6, 1, 2, 1, 1, 1, 0), (SnmpType.OCTET_STRING, b"HP ETHERNET MULTI-ENVIRONMENT")),
        ((1, 3, 6, 1, 2, 1, 1, 2, 0), (SnmpType.OBJECT_IDENTIFIER, (1, 3, 6, 1, 4, 1, 11, 2))),
        ((1, 3, 6, 1, 2, 1, 1, 3, 0), (SnmpType.TIMETICKS, 4242)),
        ((1, 3, 6, 1, 2, 1, 43, 5, 1, 1, 17, 1), (SnmpType.OCTET_STRING, b"CNBVH85138")),
        ((1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4, 1, 1), (SnmpType.COUNTER32, 5719)),
        ((1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1), (SnmpType.OCTET_STRING, b"\x04\x00")),
        ((1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 7, 1, 3), (SnmpType.INTEGER, 8)),
        ((1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 1), (SnmpType.INTEGER, -3))]
    message = encode_community_message(CommunityMessage(1, b"public", Pdu(0xA2, 7, 0, 0,
                                                                            varbinds)))
    return [b"\x00192.168.1.10-20\naddress,serial,asset_number,zone\n192.168.1.80,X1,A1,London\n",
            b"\x0010.0.0.0/30\nip\n10.0.0.1\n", b"\x01" + message]
