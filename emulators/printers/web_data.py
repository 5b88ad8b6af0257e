"""What a printer's embedded web server shows, read from its state: identity, status, supplies,
trays, open alerts and usage counters (those SNMP serves and those only the web pages show, from
the profile's ``[[web.counters]]``). The vendor page renderers (web_pages_*.py) only lay it out,
so the web pages, SNMP and PJL always agree."""

from __future__ import annotations

import time
from dataclasses import dataclass

from emulators.printers.alerts import describe, kind_of
from emulators.printers.pjl_replies import status
from emulators.printers.printer_state import PrinterState
from emulators.printers.printer_tables import feed_dimensions

SEVERITY = {3: "critical", 4: "warning", 5: "warning", 1: "other"}


@dataclass(frozen=True, slots=True)
class Supply:
    index: int
    description: str
    colorant: str | None
    kind: str  # "consumable" or "receptacle"
    percent: int | None  # remaining (receptacle: space left); None when the printer cannot tell


@dataclass(frozen=True, slots=True)
class Tray:
    index: int
    name: str
    size: str
    media: str
    capacity: int
    sheets: int | None  # None when the tray has no level sensor
    status: str  # "OK", "Low", "Empty"


@dataclass(frozen=True, slots=True)
class OpenAlert:
    index: int
    severity: str
    code: int
    description: str
    raised: str  # local time, as the panel shows it


@dataclass(frozen=True, slots=True)
class Counter:
    name: str
    value: int
    web_only: bool


@dataclass(frozen=True, slots=True)
class PageData:
    vendor: str
    model: str
    name: str  # sysName (host name)
    serial: str
    mac: str
    address: str
    location: str
    contact: str
    firmware: str
    status_code: int
    status_text: str
    online: bool
    supplies: tuple[Supply, ...]
    trays: tuple[Tray, ...]
    alerts: tuple[OpenAlert, ...]
    counters: tuple[Counter, ...]
    colour: bool
    now: str


def _local(epoch: float, offset: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch + offset))


def page_data(state: PrinterState, now: float) -> PageData:
    p = state.model.profile
    offset = state.owner.utc_offset if state.owner is not None else 0.0
    supplies = tuple(
        Supply(s.index, s.description, s.colorant, "receptacle" if s.filled else "consumable",
               None if s.level_reporting != "exact" else round(state.levels[i] * 100))
        for i, s in enumerate(p.supplies))
    trays = []
    for i, t in enumerate(p.trays):
        sheets = int(state.trays[i])
        level = "Empty" if sheets <= 0 else "Low" if sheets < state.model.tray_low[i] else "OK"
        size = t.size + (" SEF" if feed_dimensions(t.size, p.a3)[0] > feed_dimensions(
            t.size, p.a3)[1] else " LEF")
        trays.append(Tray(t.index, t.name, size, t.media_name, t.capacity,
                          sheets if t.level_reporting == "exact" else None, level))
    alerts = tuple(OpenAlert(a.index, SEVERITY.get(kind_of(a).severity, "warning"),
                             kind_of(a).code, describe(a, p),
                             _local(a.raised_at, offset))
                   for a in sorted(state.alerts or (), key=lambda a: a.index))
    counters = [Counter("Total impressions", state.total, False),
                Counter("Power-on impressions", state.counter("power_on"), False)]
    counters += [Counter(spec.name, state.counter(spec.source), False) for spec in p.counters]
    counters += [Counter(spec.name, state.counter(spec.source), True) for spec in p.web.counters]
    code, text, online = status(state, now)
    return PageData(
        vendor=p.vendor, model=p.printer_name, name=state.sys_name, serial=state.serial,
        mac=state.mac.hex(":").upper(), address=state.address,
        location=state.text("sysLocation", p.sys_location),
        contact=state.text("sysContact", p.sys_contact), firmware=p.sys_descr,
        status_code=code, status_text=text, online=online, supplies=supplies, trays=tuple(trays),
        alerts=alerts, counters=tuple(counters), colour=p.color, now=_local(now, offset))
