"""The consumables loop (60 minutes in working hours, 240 out of them) and the tray loop (480
both): prtMarkerSuppliesTable with the colorant names, and prtInputTable, each read column by
column side by side (a few GETBULKs per device). A level outside its capacity is rejected with
its reason and the row keeps its last good value; levels go to the portal when they change.
"""

from __future__ import annotations

from typing import Any

from ekm_proto.monitor import messages
from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.identify import integer, text
from ekm_proto.monitor.loop_oids import (
    COLORANT_VALUE,
    INPUT_LEVEL,
    INPUT_MAX_CAPACITY,
    INPUT_MEDIA,
    INPUT_NAME,
    INPUT_STATUS,
    SUPPLIES_COLORANT_INDEX,
    SUPPLY_COLUMNS,
    TRAY_COLUMNS,
)
from ekm_proto.monitor.loops.context import ReadContext
from ekm_proto.monitor.validation import percent, supply_problem, tray_problem
from ekm_proto.printer_mib import oids
from ekm_proto.printer_mib import textual_conventions as tc
from ekm_proto.snmp.types import Oid, SnmpValue

_TYPES = tc.names(tc.SUPPLY_TYPES)
_UNITS = tc.names(tc.SUPPLY_UNITS)
_CLASSES = {1: "other", 3: "consumed", 4: "filled"}
_AVAILABILITY = {0: "available", 1: "unavailable", 2: "standby", 3: "broken", 4: "active",
                 5: "unknown", 6: "busy"}


def subunit_status(value: int | None) -> str:
    """PrtSubUnitStatusTC as words: availability, then alert and on-line flags."""
    if value is None:
        return "unknown"
    words = [_AVAILABILITY.get(value & 7, "unknown")]
    if value & 8:
        words.append("non-critical alert")
    if value & 16:
        words.append("critical alert")
    if value & 32:
        words.append("off-line")
    return ", ".join(words)


def _mine(cells: dict[tuple[int, ...], SnmpValue], device: int) -> dict[int, SnmpValue]:
    return {index[1]: value for index, value in cells.items()
            if len(index) == 2 and index[0] == device}


class _LevelsLoop:
    name = ""
    key = ""

    def __init__(self, context: ReadContext) -> None:
        self.context = context
        self.rejected = 0

    def wants(self, device: Device) -> bool:
        return device.active and device.availability.silent_since is None

    def _store(self, device: Device, batch: Batch, rows: list[dict[str, Any]]) -> None:
        fingerprint = tuple((r["index"], r["level"], r["max_capacity"], r.get("status"))
                            for r in rows)
        if rows and fingerprint != getattr(device, f"{self.key}_sent"):
            setattr(device, f"{self.key}_sent", fingerprint)
            batch.outbox(self.key, device.serial, messages.levels(device, self.key, rows,
                                                                  batch.at))

    async def _columns(self, device: Device, columns: tuple[Oid, ...]
                       ) -> dict[Oid, dict[int, SnmpValue]]:
        walk = await self.context.columns(device, columns, self.key)
        return {column: _mine(walk.cells[column], device.device_index) for column in columns}


class ConsumablesLoop(_LevelsLoop):
    name = "consumables"
    key = "supplies"

    async def read(self, device: Device, batch: Batch) -> None:
        cells = await self._columns(device, (*SUPPLY_COLUMNS, COLORANT_VALUE))
        colorants = {i: text(v) for i, v in cells[COLORANT_VALUE].items()}
        rows = []
        for index in sorted(cells[oids.SUPPLIES_LEVEL]):
            def cell(column: Oid, index: int = index) -> SnmpValue | None:
                return cells[column].get(index)

            level = integer(cell(oids.SUPPLIES_LEVEL))
            top = integer(cell(oids.SUPPLIES_MAX_CAPACITY))
            description = text(cell(oids.SUPPLIES_DESCRIPTION)) or f"supply {index}"
            if level is None or top is None:
                continue
            problem = supply_problem(level, top)
            if problem is not None:
                batch.rejection(device, f"supply {index} ({description})", str(level), problem)
                self.rejected += 1
                continue
            kind = integer(cell(oids.SUPPLIES_TYPE))
            unit = integer(cell(oids.SUPPLIES_UNIT))
            supply_class = integer(cell(oids.SUPPLIES_CLASS))
            colour = colorants.get(integer(cell(SUPPLIES_COLORANT_INDEX)) or 0, "")
            row = {"index": index, "description": description,
                   "type": _TYPES.get(kind or 0, str(kind)), "colour": colour or "No colour",
                   "unit": _UNITS.get(unit or 0, str(unit)),
                   "class": _CLASSES.get(supply_class or 0, str(supply_class)),
                   "level": level, "max_capacity": top, "percent": percent(level, top)}
            batch.supply(device.id, row)
            rows.append(row)
        self._store(device, batch, rows)


class TrayLoop(_LevelsLoop):
    name = "tray"
    key = "trays"

    async def read(self, device: Device, batch: Batch) -> None:
        cells = await self._columns(device, TRAY_COLUMNS)
        rows = []
        for index in sorted(cells[INPUT_LEVEL]):
            level = integer(cells[INPUT_LEVEL].get(index))
            top = integer(cells[INPUT_MAX_CAPACITY].get(index))
            name = text(cells[INPUT_NAME].get(index)) or f"Tray {index}"
            if level is None:
                continue
            top = -2 if top is None else top
            problem = tray_problem(level, top)
            if problem is not None:
                batch.rejection(device, f"tray {index} ({name})", str(level), problem)
                self.rejected += 1
                continue
            row = {"index": index, "name": name, "media": text(cells[INPUT_MEDIA].get(index)),
                   "level": level, "max_capacity": top,
                   "status": subunit_status(integer(cells[INPUT_STATUS].get(index)))}
            batch.tray(device.id, row)
            rows.append(row)
        self._store(device, batch, rows)
