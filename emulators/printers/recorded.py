"""A recorded walk of a real printer turned into a profile that serves it and keeps it alive.

The recording is served as recorded; what the emulator can derive from it (trays, supplies,
colorants, serial and MAC formats, the life count, vendor counters equal to the life count) becomes
the profile's model, so uptime, page counters, supply levels, alerts and status keep moving while
every other object stays exactly as the real device answered.
"""

from __future__ import annotations

import re
from pathlib import Path

from ekm_proto.printer_mib import textual_conventions as tc
from ekm_proto.printer_mib.oids import PRINTMIB
from ekm_proto.printer_mib.vendors import VENDORS
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue
from emulators.printers.errors import ProfileError
from emulators.printers.profiles import (
    MEDIA_SIZES,
    CounterSpec,
    Profile,
    Quirks,
    SupplySpec,
    TraySpec,
    UsageSpec,
)
from emulators.printers.snmprec import read_snmprec

_DEFAULT_YIELD = {3: 10000, 21: 10000, 5: 5000, 6: 5000, 4: 30000, 8: 40000}
PRT = PRINTMIB


def _text(value: SnmpValue | None) -> str:
    if value is None or not isinstance(value[1], bytes):
        return ""
    return value[1].decode("utf-8", "replace").strip("\x00").strip()


def _bytes(value: SnmpValue) -> bytes:
    return value[1] if isinstance(value[1], bytes) else b""


def _int(value: SnmpValue | None, default: int) -> int:
    return value[1] if value is not None and isinstance(value[1], int) else default


def _rows(records: dict[Oid, SnmpValue], entry: Oid, column: int, device: int) -> list[int]:
    prefix = (*entry, column, device)
    return sorted(oid[len(prefix)] for oid in records
                  if oid[:len(prefix)] == prefix and len(oid) == len(prefix) + 1)


def _size(feed: int, xfeed: int, unit: int) -> str:
    """The named size nearest to recorded tray dimensions (either orientation), else A4."""
    if unit == 4:  # micrometers to tenThousandthsOfInches
        feed, xfeed = feed * 100 // 254, xfeed * 100 // 254
    for name, (f, x) in MEDIA_SIZES.items():
        if (abs(feed - f) < 2000 and abs(xfeed - x) < 2000) or (
                abs(feed - x) < 2000 and abs(xfeed - f) < 2000):
            return name
    return "A4"


def _pattern(serial: str) -> str:
    """A serial-number pattern that keeps the recording's letters and varies its digits."""
    pattern = re.sub(r"[0-9]", "#", serial) or "REC######"
    return pattern if pattern.count("#") >= 4 else pattern + "####"


def profile_from_recording(records: list[tuple[Oid, SnmpValue]], name: str) -> Profile:
    """Derive a profile (model, trays, supplies, identity formats) from a printer's recorded walk."""
    rec = dict(records)
    sys_object_id = rec.get((1, 3, 6, 1, 2, 1, 1, 2, 0))
    if sys_object_id is None or not isinstance(sys_object_id[1], tuple):
        raise ProfileError(f"recording {name}: no sysObjectID (1.3.6.1.2.1.1.2.0); "
                           "expected a walk of a printer's whole MIB")
    oid = sys_object_id[1]
    enterprise = oid[6] if oid[:6] == (1, 3, 6, 1, 4, 1) and len(oid) > 6 else 0
    status_rows = [o[-1] for o in rec if o[:-1] == (1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 1)]
    device = status_rows[0] if status_rows else 1
    general = (*PRT, 5, 1, 1)
    sys_descr = _text(rec.get((1, 3, 6, 1, 2, 1, 1, 1, 0)))
    model = (_text(rec.get((*general, 16, device)))
             or _text(rec.get((1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 3, device))) or sys_descr or name)
    serial = _text(rec.get((*general, 17, device)))
    mac = next((v[1] for o, v in records if o[:10] == (1, 3, 6, 1, 2, 1, 2, 2, 1, 6)
                and isinstance(v[1], bytes) and len(v[1]) == 6), b"\x02\x00\x00\x00\x00\x00")
    colorant_entry = (*PRT, 12, 1, 1)
    colorants = {i: _text(rec.get((*colorant_entry, 4, device, i)))
                 for i in _rows(rec, colorant_entry, 4, device)}
    trays = _trays(rec, device)
    supplies = _supplies(rec, device, colorants)
    color = any(c and c.lower() != "black" for c in colorants.values())
    life_oid = (*PRT, 10, 2, 1, 4, device, 1)
    life = rec.get(life_oid)
    counters = tuple(
        CounterSpec(o, "recorded counter equal to the life count", "total", v[0], None)
        for o, v in records if o[:6] == (1, 3, 6, 1, 4, 1) and life is not None
        and v[0] in (SnmpType.COUNTER32, SnmpType.INTEGER, SnmpType.GAUGE32) and v[1] == life[1])
    speed = _int(rec.get((*PRT, 13, 4, 1, 4, device, 1)), 1800)
    covers = tuple(_text(rec.get((*PRT, 6, 1, 1, 2, device, i))) or f"Cover {i}"
                   for i in _rows(rec, (*PRT, 6, 1, 1), 2, device)) or ("Front cover",)
    a3 = any(t.large for t in trays)
    state_bits = rec.get((1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, device))
    octets = 1 if state_bits is not None and len(_bytes(state_bits)) == 1 else 2
    return Profile(
        name=name, vendor=VENDORS.get(enterprise, "Unknown"), model=model,
        enterprise=enterprise or 99999, sys_object_id=oid, sys_descr=sys_descr, printer_name=model,
        device_descr=model, color=color, a3=a3, mark_tech=_int(rec.get((*PRT, 10, 2, 1, 2, device, 1)),
                                                               4),
        ppm=max(1, speed // 60), serial_format=_pattern(serial), mac_oui=mac[:3], trays=trays,
        supplies=supplies, counters=counters, covers=covers,
        usage=UsageSpec(colour_fraction=0.3 if color else 0.0, a3_fraction=0.05 if a3 else 0.0),
        sys_name_format=_text(rec.get((1, 3, 6, 1, 2, 1, 1, 5, 0))).replace("{", "(")
        .replace("}", ")"),
        sys_contact=_text(rec.get((1, 3, 6, 1, 2, 1, 1, 4, 0))),
        sys_location=_text(rec.get((1, 3, 6, 1, 2, 1, 1, 6, 0))), device_index=device,
        initial_total=max(0, _int(life, 0)) if life is not None else None,
        quirks=Quirks(error_state_octets=octets), recording=tuple(records))


def _trays(rec: dict[Oid, SnmpValue], device: int) -> tuple[TraySpec, ...]:
    entry = (*PRT, 8, 2, 1)
    trays = []
    for index in _rows(rec, entry, 2, device):
        def cell(column: int, default: int, index: int = index) -> int:
            return _int(rec.get((*entry, column, device, index)), default)

        level = cell(10, -2)
        capacity = cell(9, -2)
        size = _size(cell(4, 82677), cell(5, 116929), cell(3, 3))
        trays.append(TraySpec(
            index=index, name=_text(rec.get((*entry, 13, device, index))) or f"Tray {index}",
            type=cell(2, 3), size=size, media_name=_text(rec.get((*entry, 12, device, index)))
            or size, capacity=capacity if capacity > 0 else 250,
            level_reporting="exact" if level >= 0 and capacity > 0 else
            "some-remaining" if level == -3 else "unknown",
            initial_sheets=min(level, capacity) if level >= 0 and capacity > 0 else None))
    return tuple(trays) or (TraySpec(1, "Tray 1", 3, "A4", "A4", 250, "unknown"),)


def _supplies(rec: dict[Oid, SnmpValue], device: int,
              colorants: dict[int, str]) -> tuple[SupplySpec, ...]:
    entry = (*PRT, 11, 1, 1)
    supplies = []
    for index in _rows(rec, entry, 6, device):
        def cell(column: int, default: int, index: int = index) -> int:
            return _int(rec.get((*entry, column, device, index)), default)

        supply_type, top, level = cell(5, 1), cell(8, -2), cell(9, -2)
        colorant = colorants.get(cell(3, 0)) or None
        unit = cell(7, tc.SUPPLY_UNITS["percent"])
        fraction = min(1.0, level / top) if top > 0 and level >= 0 else 0.5
        supplies.append(SupplySpec(
            index=index, description=_text(rec.get((*entry, 6, device, index))) or f"Supply {index}",
            type=supply_type, supply_class=cell(4, tc.CONSUMED), unit=unit, max_capacity=top,
            yield_pages=top if unit == 7 and top > 0 else _DEFAULT_YIELD.get(supply_type, 100000),
            consumes="all" if colorant in (None, "black") else "colour", colorant=colorant,
            level_reporting="exact" if level >= 0 else "some-remaining" if level == -3
            else "unknown", initial=(fraction, fraction)))
    return tuple(supplies)


def load_recording(path: Path, name: str | None = None) -> Profile:
    """A profile straight from a ``.snmprec`` file (``--import-snmprec``)."""
    return profile_from_recording(read_snmprec(path), name or path.stem)
