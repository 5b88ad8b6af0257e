"""What a printer serves: MIB-II system/interfaces, Host Resources and Printer-MIB v2 for a profile.

``build_layout`` turns a profile into the layout shared by all its printers. Constant cells are
stored as values; cells that depend on the printer (serial, MAC, counters, levels, status) are
getters reading its state. OIDs follow RFC 1213/3418 (1.3.6.1.2.1.1-2), RFC 2790 (...25) and
RFC 3805 (...43), with hrDeviceIndex as the first index of every Printer-MIB table.
"""

from __future__ import annotations

import math
import time
from typing import Any

from ekm_proto.printer_mib import textual_conventions as tc
from ekm_proto.printer_mib.oids import (
    ENTERPRISES,
    HOST,
    INTERFACES,
    PRINTMIB,
    SYSTEM,
    TABLES,
    ZERO_DOT_ZERO,
)
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue
from emulators.printers import mib_writable as w
from emulators.printers.alerts import CRITICAL, describe, error_state_octets, kind_of
from emulators.printers.mib_engine_objects import engine_objects
from emulators.printers.mib_identity import identity_objects
from emulators.printers.mib_layout import Getter, LayoutBuilder, MibLayout
from emulators.printers.mib_regions import AlertRegion, IpAddrRegion
from emulators.printers.printer_state import (
    C_ALERTS_ALL,
    C_ALERTS_CRITICAL,
    C_CONFIG_CHANGES,
    PrinterState,
)
from emulators.printers.printer_tables import counter_getter, printer_tables
from emulators.printers.profiles import Profile

INT, STR, OID, TICKS = SnmpType.INTEGER, SnmpType.OCTET_STRING, SnmpType.OBJECT_IDENTIFIER, \
    SnmpType.TIMETICKS
C32, G32, C64 = SnmpType.COUNTER32, SnmpType.GAUGE32, SnmpType.COUNTER64
# subtrees the "missing tables" quirk removes
TABLE_PREFIXES: dict[str, Oid] = {**TABLES, "vendor": ENTERPRISES}


def text(value: str) -> SnmpValue:
    return (STR, value.encode("utf-8"))


def integer(value: int) -> SnmpValue:
    return (INT, value)


def _raw_counter(index: int) -> Getter:
    return lambda s, now: (C32, s.counters[index] & 0xFFFFFFFF)


def _system(b: LayoutBuilder, p: Profile) -> None:
    b.scalar((*SYSTEM, 1), text(p.sys_descr))
    b.scalar((*SYSTEM, 2), (OID, p.sys_object_id))
    b.scalar((*SYSTEM, 3), lambda s, now: (TICKS, s.uptime_ticks(now)))
    contact, name, location = (w.text("sysContact", p.sys_contact), w.text("sysName", ""),
                               w.text("sysLocation", p.sys_location))
    b.writable_cell((*SYSTEM, 4), (0,), contact.getter(), contact)
    b.writable_cell((*SYSTEM, 5), (0,), lambda s, now: text(s.sys_name), name)
    b.writable_cell((*SYSTEM, 6), (0,), location.getter(), location)
    b.scalar((*SYSTEM, 7), integer(72))  # application + end-to-end layers (RFC 3418)


def _traffic(kind: int) -> Getter:
    """Interface counters that grow with uptime and with pages printed since boot."""
    per_second, per_page = {10: (310, 52_000), 11: (3, 40), 12: (1, 0), 16: (190, 2_400),
                            17: (2, 12), 18: (0, 0)}[kind]

    def get(s: PrinterState, now: float) -> SnmpValue:
        seconds = max(0.0, now - s.boot_time)
        value = int(seconds * per_second) + s.counter("power_on") * per_page
        return (C32, value & 0xFFFFFFFF)
    return get


def _interfaces(b: LayoutBuilder, p: Profile) -> None:
    b.scalar((*INTERFACES, 1), integer(1))
    entry = (*INTERFACES, 2, 1)
    row = (1,)
    static: dict[int, SnmpValue] = {
        1: integer(1), 2: text(p.if_descr), 3: integer(6), 4: integer(1500),
        5: (G32, p.if_speed), 7: integer(1), 8: integer(1), 9: (TICKS, 1200), 13: (C32, 0),
        14: (C32, 0), 15: (C32, 0), 19: (C32, 0), 20: (C32, 0), 21: (G32, 0),
        22: (OID, ZERO_DOT_ZERO)}
    for column, value in static.items():
        b.cell((*entry, column), row, value)
    b.cell((*entry, 6), row, lambda s, now: (STR, s.mac))
    for column in (10, 11, 12, 16, 17, 18):
        b.cell((*entry, column), row, _traffic(column))
    b.region(IpAddrRegion())


def _date_and_time(s: PrinterState, now: float) -> SnmpValue:
    """hrSystemDate: the printer's own clock, in its local time with its offset from UTC
    (RFC 2579 DateAndTime, 11 octets)."""
    offset = s.owner.utc_offset if s.owner is not None else 0.0
    t = time.gmtime(now + offset)
    tenths = int((now - math.floor(now)) * 10)
    minutes = round(abs(offset) / 60)
    raw = (t.tm_year.to_bytes(2, "big") + bytes((t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min,
                                                 min(t.tm_sec, 60), tenths))
           + (b"-" if offset < 0 else b"+") + bytes((minutes // 60, minutes % 60)))
    return (STR, raw)


def _host_resources(b: LayoutBuilder, p: Profile) -> None:
    dev = (p.device_index,)
    b.scalar((*HOST, 1, 1), lambda s, now: (TICKS, s.uptime_ticks(now)))
    b.scalar((*HOST, 1, 2), _date_and_time)
    b.scalar((*HOST, 1, 3), integer(p.device_index))
    b.scalar((*HOST, 1, 5), (G32, 0))
    b.scalar((*HOST, 1, 6), (G32, 18))
    b.scalar((*HOST, 1, 7), integer(0))
    b.scalar((*HOST, 2, 2), integer(p.memory_kib))
    storage_types = {"ram": 2, "disk": 4, "flash": 9}
    entry = (*HOST, 2, 3, 1)
    for i, spec in enumerate(p.storage, start=1):
        units = 1024
        size = spec.size_kib
        for column, value in ((1, integer(i)), (2, (OID, (*HOST, 2, 1, storage_types[spec.kind]))),
                              (3, text(spec.description)), (4, integer(units)), (5, integer(size)),
                              (6, integer(int(size * spec.used_percent / 100))), (7, (C32, 0))):
            b.cell((*entry, column), (i,), value)

    def device_status(s: PrinterState, now: float) -> SnmpValue:
        return (INT, s.status()[1])

    def printer_status(s: PrinterState, now: float) -> SnmpValue:
        _, device, _ = s.status()
        if device == tc.DEVICE_DOWN:
            return (INT, tc.PRINTER_OTHER)
        if now < s.busy_until:
            warming = now - s.boot_time < s.model.warmup_s
            return (INT, tc.PRINTER_WARMUP if warming else tc.PRINTER_PRINTING)
        return (INT, tc.PRINTER_IDLE)

    octets = p.quirks.error_state_octets
    entry = (*HOST, 3, 2, 1)
    cells: tuple[tuple[int, SnmpValue | Getter], ...] = (
        (1, integer(p.device_index)), (2, (OID, (*HOST, 3, 1, 5))), (3, text(p.device_descr)),
        (4, (OID, ZERO_DOT_ZERO)), (5, device_status), (6, _raw_counter(C_ALERTS_CRITICAL)))
    for column, cell in cells:
        b.cell((*entry, column), dev, cell)
    b.cell((*HOST, 3, 5, 1, 1), dev, printer_status)
    b.cell((*HOST, 3, 5, 1, 2), dev,
           lambda s, now: (STR, error_state_octets(s.status()[0], octets)))


def _general(b: LayoutBuilder, p: Profile) -> None:
    dev = (p.device_index,)
    entry = (*PRINTMIB, 5, 1, 1)
    small = [t.index for t in p.trays if not t.large] or [p.trays[0].index]
    outputs = [o.index for o in p.outputs] or [1]
    values: dict[int, SnmpValue | Getter] = {
        1: _raw_counter(C_CONFIG_CHANGES), 11: integer(p.console_lines),
        12: integer(p.console_chars), 17: lambda s, now: text(s.serial),
        18: _raw_counter(C_ALERTS_CRITICAL), 19: _raw_counter(C_ALERTS_ALL)}
    for column, value in values.items():
        b.cell((*entry, column), dev, value)
    localizations = range(1, 2)
    writable: dict[int, w.Setting] = {
        2: w.number("prtGeneralCurrentLocalization", 1, localizations),
        4: w.text("prtGeneralCurrentOperator", "", 127),
        5: w.text("prtGeneralServicePerson", "", 127),
        6: w.number("prtInputDefaultIndex", small[0], frozenset(t.index for t in p.trays)),
        7: w.number("prtOutputDefaultIndex", outputs[0], frozenset(outputs)),
        8: w.number("prtMarkerDefaultIndex", 1, range(1, 2)),
        9: w.number("prtMediaPathDefaultIndex", 1, range(1, 2)),
        10: w.number("prtConsoleLocalization", 1, localizations),
        13: w.number("prtConsoleDisable", 3, w.CONSOLE_STATES),
        14: w.number("prtAuxiliarySheetStartupPage", w.OFF, (w.ON, w.OFF)),
        15: w.number("prtAuxiliarySheetBannerPage", w.OFF, (w.ON, w.OFF)),
        16: w.text("prtGeneralPrinterName", p.printer_name, 127)}
    for column, setting in writable.items():
        b.writable_cell((*entry, column), dev, setting.getter(), setting)
    reset = w.Setting("prtGeneralReset", INT, w.NOT_RESETTING,
                      allowed=frozenset(range(w.NOT_RESETTING, w.FACTORY_DEFAULTS + 1)),
                      apply=w.reset)
    b.writable_cell((*entry, 3), dev, lambda s, now: integer(w.NOT_RESETTING), reset)
    for i, name in enumerate(p.covers, start=1):
        b.cell((*PRINTMIB, 6, 1, 1, 2), (*dev, i), text(name))
        b.cell((*PRINTMIB, 6, 1, 1, 3), (*dev, i), _cover_status(i))
    row = (*dev, 1)
    b.cell((*PRINTMIB, 7, 1, 1, 2), row, text("en"))
    b.cell((*PRINTMIB, 7, 1, 1, 3), row, text("US"))
    b.cell((*PRINTMIB, 7, 1, 1, 4), row, integer(106))  # IANACharset utf-8


def _cover_status(cover: int) -> Getter:
    def get(s: PrinterState, now: float) -> SnmpValue:
        for alert in s.alerts or ():
            if alert.kind == "cover_open" and alert.group_index == cover:
                return (INT, tc.COVER_OPEN)
        return (INT, tc.COVER_CLOSED)
    return get


def _console(b: LayoutBuilder, p: Profile) -> None:
    dev = (p.device_index,)
    for line in range(1, p.console_lines + 1):
        setting = w.text(f"console{line}", "", p.console_chars)
        b.writable_cell((*PRINTMIB, 16, 5, 1, 2), (*dev, line), _console_line(p, line), setting)


def _console_line(p: Profile, line: int) -> Getter:
    """The control panel: what an administrator wrote there, else the worst alerts first, else
    Ready / Printing / Sleep mode."""
    key = f"console{line}"

    def get(s: PrinterState, now: float) -> SnmpValue:
        written = s.text(key, "") if s.settings else ""
        if written:
            return (STR, written.encode("utf-8"))
        alerts = sorted(s.alerts or (), key=lambda a: (kind_of(a).severity != CRITICAL, a.index))
        lines = [describe(a, p) for a in alerts]
        if not lines:
            lines = ["Sleep mode" if s.sleeping(now) else
                     "Printing..." if now < s.busy_until else "Ready"]
        shown = lines[line - 1] if line <= len(lines) else ""
        return (STR, shown.encode("utf-8")[:p.console_chars])
    return get


def _vendor(b: LayoutBuilder, p: Profile, counter_as_integer: bool) -> None:
    for spec in p.counters:
        kind = INT if counter_as_integer else spec.type
        b.leaf(spec.oid, counter_getter(spec.source, kind, spec.wrap_bits, p.power.sleep_mode))


def standard_builder(p: Profile, counter_as_integer: bool = False) -> LayoutBuilder:
    """Every table of a profile, before quirks remove any."""
    b = LayoutBuilder()
    _system(b, p)
    _interfaces(b, p)
    _host_resources(b, p)
    _general(b, p)
    printer_tables(b, p, counter_as_integer)
    _console(b, p)
    b.region(AlertRegion(p))
    _vendor(b, p, counter_as_integer)
    identity_objects(b, p)
    engine_objects(b)
    return b


_INTEGRAL = frozenset({INT, C32, G32, TICKS, C64})


def _retyped(getter: Getter, recorded: SnmpValue) -> Getter:
    """A live getter answering with the recorded type (a device that typed its counter INTEGER
    keeps doing so); if the live value cannot take that type, the recorded value stands."""
    kind = recorded[0]
    if kind not in _INTEGRAL:
        return getter

    def get(s: PrinterState, now: float) -> SnmpValue | None:
        value = getter(s, now)
        if value is None or value[0] == kind:
            return value
        return (kind, value[1]) if value[0] in _INTEGRAL else recorded
    return get


def _recorded_builder(p: Profile, counter_as_integer: bool) -> LayoutBuilder:
    """A recorded walk served as recorded, except the cells the emulator knows how to keep alive
    (uptime, counters, levels, status, serial, MAC, alerts, mapped vendor counters)."""
    assert p.recording is not None
    live = standard_builder(p, counter_as_integer)
    b = LayoutBuilder()
    regions: dict[Oid, Any] = {r.prefix: r for r in live.regions}
    used: set[Oid] = set()
    for oid, value in p.recording:
        region = next((prefix for prefix in regions if oid[:len(prefix)] == prefix), None)
        if region is not None:
            used.add(region)
            continue
        getter = live.entries.get(oid)
        b.leaf(oid, _retyped(getter, value) if callable(getter) else value)
    for prefix in used:
        b.region(regions[prefix])
    for spec in p.counters:
        kind = INT if counter_as_integer else spec.type
        b.leaf(spec.oid, counter_getter(spec.source, kind, spec.wrap_bits, p.power.sleep_mode))
    engine = LayoutBuilder()
    engine_objects(engine)  # the engine is ours, whatever the recorded device had
    for oid, served in engine.entries.items():
        b.entries.setdefault(oid, served)
    b.writable = {oid: writable for oid, writable in live.writable.items() if oid in b.entries}
    prefixes = {oid[:n] for oid in b.entries for n in range(1, len(oid) + 1)}
    b.types |= {t for t in live.types | engine.types if t in prefixes}
    return b


def build_layout(p: Profile, counter_as_integer: bool = False,
                 missing: tuple[str, ...] = ()) -> MibLayout:
    """The shared layout of a profile with the given quirks."""
    builder = (_recorded_builder(p, counter_as_integer) if p.recording is not None
               else standard_builder(p, counter_as_integer))
    for name in missing:
        builder.drop_subtree(TABLE_PREFIXES[name])
    return builder.build()

