"""Printer-MIB v2 (RFC 3805) input, output, marker, supplies, colorant and media path tables.

Column numbers are the RFC's; every row is indexed (hrDeviceIndex, table index). Supply levels keep
the RFC's special values: -1 other, -2 unknown, -3 "some remaining"; a receptacle (waste toner)
reports its remaining space per the RFC unless the profile's ``waste_level = "fill"`` quirk says the
vendor reports how full it is.
"""

from __future__ import annotations

import math

from ekm_proto.printer_mib import textual_conventions as tc
from ekm_proto.printer_mib.oids import (
    COLORANT_ENTRY,
    INPUT_ENTRY,
    MARKER_ENTRY,
    MEDIA_PATH_ENTRY,
    OUTPUT_ENTRY,
    SUPPLIES_ENTRY,
)
from ekm_proto.printer_mib.vendors import TYPE_MAXIMUM
from ekm_proto.snmp.types import SnmpType, SnmpValue
from emulators.printers import mib_writable as w
from emulators.printers.mib_layout import Getter, LayoutBuilder
from emulators.printers.printer_state import SOURCES, PrinterState
from emulators.printers.profiles import MEDIA_SIZES, Profile, SupplySpec, TraySpec

INT, STR = SnmpType.INTEGER, SnmpType.OCTET_STRING
NOT_PRESENT = 5  # PresentOnOff notPresent
UNAVAILABLE_ON_REQUEST, NON_CRITICAL, CRITICAL_ALERT = 1, 8, 16  # PrtSubUnitStatusTC parts
STANDBY, ACTIVE = 2, 4


def _t(value: str) -> SnmpValue:
    return (STR, value.encode("utf-8"))


def _i(value: int) -> SnmpValue:
    return (INT, value)


def _tray_level(position: int, tray: TraySpec) -> Getter:
    if tray.level_reporting == "unknown":
        return lambda s, now: (INT, -2)
    if tray.level_reporting == "some-remaining":
        return lambda s, now: (INT, -3 if s.trays[position] > 0 else 0)
    return lambda s, now: (INT, s.trays[position])


def _tray_status(position: int, tray: TraySpec) -> Getter:
    low = tray.capacity * tray.low_percent / 100

    def get(s: PrinterState, now: float) -> SnmpValue:
        sheets = s.trays[position]
        if sheets <= 0:
            return (INT, UNAVAILABLE_ON_REQUEST + NON_CRITICAL)
        return (INT, NON_CRITICAL if sheets < low and tray.level_reporting == "exact" else 0)
    return get


def feed_dimensions(size: str, a3_engine: bool) -> tuple[int, int]:
    """(feed, cross-feed) of a size as the engine takes it: an A4-wide engine feeds everything
    short edge first (no 297 mm wide path); an A3 engine feeds A4, A5 and Letter long edge first
    and the large sizes short edge first, all within its 297 mm width."""
    short, long = MEDIA_SIZES[size]
    if a3_engine and size in ("A4", "A5", "Letter"):
        return short, long
    return long, short


def path_limits(p: Profile) -> tuple[int, int]:
    """(max feed, max cross-feed) of the media path: the largest the trays feed."""
    sizes = [feed_dimensions(tray.size, p.a3) for tray in p.trays]
    return max(f for f, _ in sizes), max(x for _, x in sizes)


MIN_MEDIA = (58268, 41338)  # A6 (feed, cross-feed): the smallest the manual feeds take


def _inputs(b: LayoutBuilder, p: Profile) -> None:
    dev = p.device_index
    for position, tray in enumerate(p.trays):
        feed, xfeed = feed_dimensions(tray.size, p.a3)
        columns: dict[int, SnmpValue | Getter] = {
            2: _i(tray.type), 3: _i(3), 4: _i(feed), 5: _i(xfeed), 6: _i(feed), 7: _i(xfeed),
            8: _i(8), 9: _i(tray.capacity if tray.level_reporting != "unknown" else -2),
            11: _tray_status(position, tray), 13: _t(tray.name), 14: _t(p.vendor), 15: _t(""),
            16: _t(""), 17: _t(""), 18: _t(tray.name), 19: _i(NOT_PRESENT), 20: _i(80),
            21: _t(tray.media_type), 22: _t("white"), 23: _i(1)}
        for column, value in columns.items():
            b.cell((*INPUT_ENTRY, column), (dev, tray.index), value)
        row = (dev, tray.index)
        level = w.Setting(f"input{tray.index}.level", INT, 0, allowed=range(0, tray.capacity + 1),
                          apply=w.tray_level(position))
        if tray.level_reporting == "exact":
            b.writable_cell((*INPUT_ENTRY, 10), row, _tray_level(position, tray), level)
        else:
            b.cell((*INPUT_ENTRY, 10), row, _tray_level(position, tray))
        media = w.text(f"input{tray.index}.mediaName", tray.media_name, 63)
        b.writable_cell((*INPUT_ENTRY, 12), row, media.getter(), media)


def _outputs(b: LayoutBuilder, p: Profile) -> None:
    dev = p.device_index
    feed, xfeed = path_limits(p)
    outputs = p.outputs or ()
    for out in outputs:
        columns: dict[int, SnmpValue] = {
            2: _i(out.type), 3: _i(8), 4: _i(out.capacity), 5: _i(-3), 6: _i(0), 7: _t(out.name),
            8: _t(p.vendor), 9: _t(""), 10: _t(""), 11: _t(""), 12: _t(out.name),
            13: _i(NOT_PRESENT), 14: _i(3), 15: _i(feed), 16: _i(xfeed), 17: _i(MIN_MEDIA[0]),
            18: _i(MIN_MEDIA[1]), 19: _i(3), 20: _i(4), 21: _i(NOT_PRESENT), 22: _i(NOT_PRESENT),
            23: _i(NOT_PRESENT), 24: _i(NOT_PRESENT)}
        for column, value in columns.items():
            b.cell((*OUTPUT_ENTRY, column), (dev, out.index), value)


def counter_getter(source: str, snmp_type: SnmpType, wrap_bits: int | None,
                   sleep_mode: str) -> Getter:
    """A page counter, wrapped like the device's register; hidden or zero in power save if the
    model does that (many printers stop answering counters while asleep)."""
    fn = SOURCES[source]
    mask = (1 << wrap_bits) - 1 if wrap_bits else TYPE_MAXIMUM.get(snmp_type, 2**32 - 1)
    if snmp_type == INT:
        mask = min(mask, TYPE_MAXIMUM[INT])
    if sleep_mode == "counters-unavailable":
        def hidden(s: PrinterState, now: float) -> SnmpValue | None:
            return None if s.sleeping(now) else (snmp_type, fn(s.counters) & mask)
        return hidden
    if sleep_mode == "counters-zero":
        def zero(s: PrinterState, now: float) -> SnmpValue | None:
            return (snmp_type, 0 if s.sleeping(now) else fn(s.counters) & mask)
        return zero

    def plain(s: PrinterState, now: float) -> SnmpValue | None:
        return (snmp_type, fn(s.counters) & mask)
    return plain


def _subunit_status(s: PrinterState, now: float) -> SnmpValue:
    """prtMarkerStatus / prtMediaPathStatus: availability plus the alert severity present."""
    _, device, _ = s.status()
    value = ACTIVE if now < s.busy_until else STANDBY if s.sleeping(now) else 0
    if device == tc.DEVICE_DOWN:
        value += CRITICAL_ALERT
    elif device == tc.DEVICE_WARNING:
        value += NON_CRITICAL
    return (INT, value)


def _marker(b: LayoutBuilder, p: Profile, counter_as_integer: bool) -> None:
    kind = INT if counter_as_integer else SnmpType.COUNTER32
    row = (p.device_index, 1)
    columns: dict[int, SnmpValue | Getter] = {
        2: _i(p.mark_tech), 3: _i(7),  # impressions
        4: counter_getter("total", kind, None, p.power.sleep_mode),
        5: counter_getter("power_on", kind, None, p.power.sleep_mode),
        # addressable positions per 10,000 of the unit (tenThousandthsOfInches: dots per inch)
        6: _i(len(p.colorants)), 7: _i(0), 8: _i(3), 9: _i(p.identity.resolution),
        10: _i(p.identity.resolution),
        11: _i(1968), 12: _i(1968), 13: _i(1968), 14: _i(1968), 15: _subunit_status}
    for column, value in columns.items():
        b.cell((*MARKER_ENTRY, column), row, value)


def supply_level(position: int, spec: SupplySpec, waste_fill: bool) -> Getter:
    """prtMarkerSuppliesLevel from the remaining fraction, in the supply's unit."""
    top = spec.max_capacity
    if spec.level_reporting == "unknown":
        return lambda s, now: (INT, -2)
    if spec.level_reporting == "some-remaining" or top <= 0:
        # -3 while anything remains (for a receptacle: while there is space), then 0
        return lambda s, now: (INT, -3 if s.levels[position] > 0 else 0)
    if spec.filled and waste_fill:
        return lambda s, now: (INT, int((1.0 - s.levels[position]) * top + 1e-9))
    return lambda s, now: (INT, math.ceil(s.levels[position] * top - 1e-9))


def _supplies(b: LayoutBuilder, p: Profile) -> None:
    dev = p.device_index
    colorants = p.colorants
    waste_fill = p.quirks.waste_level == "fill"
    for position, spec in enumerate(p.supplies):
        colorant = colorants.index(spec.colorant) + 1 if spec.colorant else 0
        columns: dict[int, SnmpValue | Getter] = {
            2: _i(1), 3: _i(colorant), 4: _i(spec.supply_class), 5: _i(spec.type),
            6: _t(spec.description), 7: _i(spec.unit), 8: _i(spec.max_capacity),
            9: supply_level(position, spec, waste_fill)}
        for column, value in columns.items():
            b.cell((*SUPPLIES_ENTRY, column), (dev, spec.index), value)
    for i, name in enumerate(colorants, start=1):
        for column, value in ((2, _i(1)), (3, _i(3)), (4, _t(name)), (5, _i(256))):
            b.cell((*COLORANT_ENTRY, column), (dev, i), value)


def _media_path(b: LayoutBuilder, p: Profile) -> None:
    feed, xfeed = path_limits(p)
    path_type = tc.MEDIA_PATH_TYPES["longEdgeBindingDuplex" if p.duplex else "simplex"]
    columns: dict[int, SnmpValue | Getter] = {
        2: _i(7), 3: _i(3), 4: _i(p.ppm * 60), 5: _i(feed), 6: _i(xfeed), 7: _i(MIN_MEDIA[0]),
        8: _i(MIN_MEDIA[1]), 9: _i(path_type), 10: _t("Duplex path" if p.duplex else "Simplex path"),
        11: _subunit_status}
    for column, value in columns.items():
        b.cell((*MEDIA_PATH_ENTRY, column), (p.device_index, 1), value)


def printer_tables(b: LayoutBuilder, p: Profile, counter_as_integer: bool) -> None:
    """prtInputTable, prtOutputTable, prtMarkerTable, supplies, colorants and the media path."""
    _inputs(b, p)
    _outputs(b, p)
    _marker(b, p, counter_as_integer)
    _supplies(b, p)
    _media_path(b, p)
