"""Who a printer says it is to drivers: its IEEE 1284 device id in the PWG Port Monitor MIB and at
the vendor OIDs its profile lists (ekm_proto.printer_mib.device_ids), and the raw port it prints
on (ppmPortServiceNameOrURI, which CUPS lists as the printer's device URI)."""

from __future__ import annotations

from ekm_proto.printer_mib.device_ids import (
    CH_PORT9100,
    PPM_GENERAL,
    PPM_PORT_ENTRY,
    PPM_PRINTER_ENTRY,
    VENDOR_ID_OIDS,
    format_device_id,
)
from ekm_proto.snmp.types import SnmpType, SnmpValue
from emulators.printers.mib_layout import LayoutBuilder
from emulators.printers.printer_state import PrinterState
from emulators.printers.profiles import Profile

INT, STR, G32 = SnmpType.INTEGER, SnmpType.OCTET_STRING, SnmpType.GAUGE32
TRUE, FALSE = 1, 2  # TruthValue
RAW_PORT = 9100


def device_id(p: Profile) -> str:
    i = p.identity
    return format_device_id(i.manufacturer, i.model, i.command_set,
                            f"{i.manufacturer} {i.model}" if not i.model.startswith(
                                i.manufacturer) else i.model)


def raw_port_of(s: PrinterState) -> int | None:
    """The raw port the printer's fleet serves, None when it serves none."""
    return s.owner.raw_port if s.owner is not None else None


def port_uri(s: PrinterState, now: float) -> SnmpValue:
    port = raw_port_of(s) or RAW_PORT
    uri = f"socket://{s.address}" + ("" if port == RAW_PORT else f":{port}")
    return (STR, uri.encode())


def identity_objects(b: LayoutBuilder, p: Profile) -> None:
    """The device id at the vendor OIDs and the Port Monitor MIB (one printer, one port)."""
    ident = device_id(p).encode()
    product = p.printer_name.encode()
    for vendor in p.identity.vendor_ids:
        for oid, holds in VENDOR_ID_OIDS[vendor]:
            b.leaf(oid, (STR, ident if holds == "id" else product))
    b.scalar((*PPM_GENERAL, 1), (STR, b"en-US"))
    b.scalar((*PPM_GENERAL, 2), (G32, 1))
    b.scalar((*PPM_GENERAL, 3), (G32, 1))
    row = (1,)
    for column, value in ((1, (INT, 1)), (2, (STR, product)), (3, (STR, ident)), (4, (G32, 1)),
                          (5, (INT, 1)), (6, (INT, p.device_index)), (7, (STR, b"")),
                          (8, (INT, TRUE))):
        b.cell((*PPM_PRINTER_ENTRY, column), row, value)
    port = (1, 1)
    b.cell((*PPM_PORT_ENTRY, 1), port, (INT, 1))
    b.cell((*PPM_PORT_ENTRY, 2), port,
           lambda s, now: (INT, TRUE if raw_port_of(s) is not None else FALSE))
    b.cell((*PPM_PORT_ENTRY, 3), port, (STR, b"RAW"))
    b.cell((*PPM_PORT_ENTRY, 4), port, port_uri)
    b.cell((*PPM_PORT_ENTRY, 5), port, (INT, CH_PORT9100))
    b.cell((*PPM_PORT_ENTRY, 6), port, lambda s, now: (G32, raw_port_of(s) or RAW_PORT))
    for column, value in ((7, (INT, FALSE)), (8, (INT, 0)), (9, (INT, FALSE))):
        b.cell((*PPM_PORT_ENTRY, column), port, value)
