"""The neutral Printer-MIB knowledge: OIDs, textual conventions, vendor counters and wraps, and
the emulator serving what it says."""

from __future__ import annotations

from ekm_proto.printer_mib import oids
from ekm_proto.printer_mib import textual_conventions as tc
from ekm_proto.printer_mib.vendors import (
    COUNTER_ARCS,
    counter_maximum,
    pages_between,
    vendor_of,
)
from ekm_proto.snmp.types import SnmpType, parse_oid

HP_TOTAL = parse_oid("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0")


def test_tables_are_the_rfc_subtrees() -> None:
    assert oids.TABLES["prtMarkerSuppliesTable"] == parse_oid("1.3.6.1.2.1.43.11.1")
    assert oids.TABLES["hrPrinterTable"] == parse_oid("1.3.6.1.2.1.25.3.5")
    assert oids.instance(oids.SUPPLIES_LEVEL, 1, 3) == parse_oid("1.3.6.1.2.1.43.11.1.1.9.1.3")
    assert oids.instance(oids.MARKER_LIFE_COUNT, 1, 1) == parse_oid(
        "1.3.6.1.2.1.43.10.2.1.4.1.1")
    assert oids.instance(oids.SYS_NAME, 0) == parse_oid("1.3.6.1.2.1.1.5.0")
    for name, prefix in oids.TABLES.items():  # every table is an entry's parent
        assert prefix[:6] == oids.MIB2, name


def test_textual_conventions_by_name_and_number() -> None:
    assert tc.SUPPLY_TYPES["tonerCartridge"] == 21 and tc.SUPPLY_UNITS["percent"] == 19
    assert tc.names(tc.ALERT_CODES)[1101] == "markerTonerEmpty"
    assert tc.names(tc.SEVERITIES) == {1: "other", 3: "critical", 4: "warning",
                                       5: "warningBinaryChangeEvent"}
    # RFC 2790: bit 0 is the most significant bit of the first octet
    assert tc.bit_mask("lowPaper") == 0x8000 and tc.bit_mask("overduePreventMaint") == 0x0002
    assert tc.bit_names(tc.bit_mask("noToner", "doorOpen")) == ["noToner", "doorOpen"]


def test_counter_wrap_points() -> None:
    assert counter_maximum(HP_TOTAL, SnmpType.COUNTER32) == 2**24 - 1
    assert counter_maximum(HP_TOTAL, SnmpType.INTEGER) == 2**24 - 1
    assert counter_maximum(parse_oid("1.3.6.1.2.1.43.10.2.1.4.1.1"), SnmpType.COUNTER32) == \
        2**32 - 1
    assert counter_maximum(parse_oid("1.3.6.1.4.1.99999.1.0"), SnmpType.INTEGER) == 2**31 - 1
    assert pages_between(2**24 - 10, 5, 2**24 - 1) == 15
    assert pages_between(100, 250, 2**32 - 1) == 150
    assert all(arc.prefix[6] == arc.enterprise for arc in COUNTER_ARCS)


def test_vendor_of_sys_object_id() -> None:
    assert vendor_of(parse_oid("1.3.6.1.4.1.11.2.3.9.1")) == "HP"
    assert vendor_of(parse_oid("1.3.6.1.4.1.1347.41")) == "Kyocera"
    assert vendor_of(parse_oid("1.3.6.1.2.1.1")) is None
