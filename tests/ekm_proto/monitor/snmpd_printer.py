"""A printer served by net-snmp's snmpd: an emulated printer's Printer-MIB, hrPrinter rows and
vendor counters written as ``override`` lines (static values), so the agent is proven on an SNMP
agent nobody here wrote. Two things no emulated printer does are added: a vendor repeating one
alert under two indices, and a supply level above its capacity."""

from __future__ import annotations

from pathlib import Path

from ekm_proto.printer_mib import oids
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue, format_oid
from emulators.printers.catalog import compile_profile
from emulators.printers.fleet import PrinterFleet
from emulators.printers.profiles import Profile
from emulators.printers.snmprec import walk
from protolab.clock import ManualClock
from tests.ekm_proto.monitor.lab import MONDAY_9AM
from tests.ekm_proto.snmp.snmpd_agent import RunningSnmpd, start_snmpd

_TYPES = {SnmpType.INTEGER: "integer", SnmpType.GAUGE32: "uinteger",
          SnmpType.COUNTER32: "counter", SnmpType.OCTET_STRING: "octet_str",
          SnmpType.OBJECT_IDENTIFIER: "object_id"}
SERVED: tuple[Oid, ...] = (oids.PRINTMIB, oids.HR_PRINTER_ENTRY, oids.ENTERPRISES)
JAM = {2: 3, 3: 3, 4: 13, 5: 1, 6: 13200, 7: 8, 8: b"Paper jam near the fuser."}
OVERFULL_SUPPLY = 2


def override(oid: Oid, value: SnmpValue) -> str | None:
    kind, data = value
    if kind not in _TYPES:
        return None
    if isinstance(data, bytes):
        text = "0x" + data.hex() if (data and not data.isascii()) or b'"' in data or \
            any(b < 32 for b in data) else f'"{data.decode()}"'
    elif isinstance(data, tuple):
        text = "." + format_oid(data)
    else:
        text = str(data)
    return f"override .{format_oid(oid)} {_TYPES[kind]} {text}"


def printer_records(profile: Profile) -> list[tuple[Oid, SnmpValue]]:
    """The printer's objects snmpd will serve (it serves its own system group and MIB-II)."""
    clock = ManualClock(1000.0, wall_start=MONDAY_9AM)
    fleet = PrinterFleet([compile_profile(profile)], 1, "127.48.0.1", clock,
                         start_epoch=MONDAY_9AM, simulate=False)
    state = fleet.printers[0]
    state.last_activity = fleet.sim.now() + 86400
    records = [(oid, value) for oid, value in walk(fleet.view_of(state))
               if any(oid[:len(p)] == p for p in SERVED)]
    d = profile.device_index
    records.append(((*oids.SYS_OBJECT_ID, 0), (SnmpType.OBJECT_IDENTIFIER,
                                               profile.sys_object_id)))
    records.append(((*oids.HR_DEVICE_STATUS, d), (SnmpType.INTEGER, 3)))
    records.append(((*oids.HR_DEVICE_ENTRY, 3, d), (SnmpType.OCTET_STRING,
                                                    profile.device_descr.encode())))
    for index in (1, 2):  # one jam, reported twice by the vendor
        for column, cell in JAM.items():
            kind = SnmpType.OCTET_STRING if isinstance(cell, bytes) else SnmpType.INTEGER
            records.append(((*oids.ALERT_ENTRY, column, d, index), (kind, cell)))
    capacity = dict(records)[(*oids.SUPPLIES_MAX_CAPACITY, d, OVERFULL_SUPPLY)][1]
    assert isinstance(capacity, int)
    records = [(o, v) for o, v in records if o != (*oids.SUPPLIES_LEVEL, d, OVERFULL_SUPPLY)]
    records.append(((*oids.SUPPLIES_LEVEL, d, OVERFULL_SUPPLY), (SnmpType.INTEGER,
                                                                 capacity + 20)))
    return records


def start_printer_snmpd(folder: Path, profile: Profile) -> tuple[RunningSnmpd, dict[Oid,
                                                                                 SnmpValue]]:
    records = printer_records(profile)
    lines = [line for oid, value in records if (line := override(oid, value)) is not None]
    return start_snmpd(folder, extra=lines), dict(records)
