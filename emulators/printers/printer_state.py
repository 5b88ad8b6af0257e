"""One printer's own state, kept compact, and the operations that change it consistently.

Printers of one model share their MIB layout (``model.PrinterModel``); a ``PrinterState`` holds only
what differs: identity, counters, supply and tray levels, active alerts, pending events. Every
operation takes the simulated time ``now``; nothing here reads a clock.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import replace
from typing import Protocol

from ekm_proto.printer_mib.textual_conventions import bit_mask
from emulators.printers import identity
from emulators.printers.alerts import KINDS, Alert, summarize
from emulators.printers.mib_layout import MibLayout
from emulators.printers.model import PrinterModel
from emulators.printers.random64 import Rng
from emulators.printers.state_alerts import ALERT_ADDED, ALERT_REMOVED, AlertTable
from emulators.printers.state_media import MediaAndSupplies
from emulators.printers.state_slots import (
    C_ALERTS_ALL,
    C_ALERTS_CRITICAL,
    C_COLOUR_LARGE,
    C_COLOUR_SMALL,
    C_CONFIG_CHANGES,
    C_DUPLEX_SHEETS,
    C_JOBS,
    C_LIFE_AT_BOOT,
    C_MONO_LARGE,
    C_MONO_SMALL,
    C_SCAN_COLOUR,
    C_SCAN_MONO,
    C_SHEETS,
    F_FORCED_SLEEP,
    F_SILENT,
    F_SWITCHED_OFF,
    F_UNREACHABLE,
    N_COUNTERS,
)

COLD_START, LINK_DOWN, LINK_UP = "cold-start", "link-down", "link-up"
# re-exported: the MIB, the control API, the report and tests read them here
__all__ = ["ALERT_ADDED", "ALERT_REMOVED", "C_ALERTS_ALL", "C_ALERTS_CRITICAL", "C_CONFIG_CHANGES",
           "F_FORCED_SLEEP", "F_SILENT", "F_SWITCHED_OFF", "F_UNREACHABLE", "PrinterState"]

NO_PAPER = bit_mask("noPaper")
#: the raw page counters the control API may set (tests inject wraps and inconsistent readings)
SETTABLE_COUNTERS = {"mono_small": C_MONO_SMALL, "colour_small": C_COLOUR_SMALL,
                     "mono_large": C_MONO_LARGE, "colour_large": C_COLOUR_LARGE,
                     "scans_mono": C_SCAN_MONO, "scans_colour": C_SCAN_COLOUR}
EVENT_REFILL, EVENT_REPLACE, EVENT_CLEAR = "refill", "replace", "clear"


def _total(c: array[int]) -> int:
    return c[0] + c[1] + c[2] + c[3]


# Named page-count sources a counter OID can serve (profiles' [[counters]] source = ...)
SOURCES = {
    "total": _total,
    "mono": lambda c: c[C_MONO_SMALL] + c[C_MONO_LARGE],
    "colour": lambda c: c[C_COLOUR_SMALL] + c[C_COLOUR_LARGE],
    "small": lambda c: c[C_MONO_SMALL] + c[C_COLOUR_SMALL],
    "large": lambda c: c[C_MONO_LARGE] + c[C_COLOUR_LARGE],
    "mono_small": lambda c: c[C_MONO_SMALL], "colour_small": lambda c: c[C_COLOUR_SMALL],
    "mono_large": lambda c: c[C_MONO_LARGE], "colour_large": lambda c: c[C_COLOUR_LARGE],
    "a4_total": lambda c: _total(c) + c[C_MONO_LARGE] + c[C_COLOUR_LARGE],
    "a4_mono": lambda c: c[C_MONO_SMALL] + 2 * c[C_MONO_LARGE],
    "a4_colour": lambda c: c[C_COLOUR_SMALL] + 2 * c[C_COLOUR_LARGE],
    "scans": lambda c: c[C_SCAN_MONO] + c[C_SCAN_COLOUR],
    "scans_mono": lambda c: c[C_SCAN_MONO], "scans_colour": lambda c: c[C_SCAN_COLOUR],
    "sheets": lambda c: c[C_SHEETS], "duplex_sheets": lambda c: c[C_DUPLEX_SHEETS],
    "power_on": lambda c: _total(c) - c[C_LIFE_AT_BOOT], "jobs": lambda c: c[C_JOBS],
}


class PrinterOwner(Protocol):
    """What a printer asks of the fleet it belongs to."""

    @property
    def time_scale(self) -> float:
        """Simulated seconds per real second (snmpEngineTime counts real seconds)."""
        ...

    @property
    def utc_offset(self) -> float:
        """Seconds the printers' local time is ahead of UTC."""
        ...

    @property
    def raw_port(self) -> int | None:
        """The TCP port raw jobs are printed from (9100), None when not served."""
        ...

    def notify(self, state: PrinterState, event: str, detail: object, now: float) -> None:
        """An alert row added or removed (detail: the Alert), a reboot, a link change."""
        ...


def serial_of(model: PrinterModel, n: int, seed: int) -> str:
    """The serial number of identity ``n`` (slot number, plus a stride per swap) of a model."""
    return identity.serial_number(model.profile.serial_format, n, model.salt ^ seed)


class PrinterState(AlertTable, MediaAndSupplies):
    """See the module docstring. Levels are fractions 0..1 of life left (for a receptacle: space).

    ``settings`` holds what administrators wrote (SNMP SET: contact, name, location, console
    text...), ``snmp`` the SNMP engine's counters for this printer (allocated on its first
    datagram), ``owner`` the fleet it belongs to (its clock rate, and who hears of its alerts,
    reboots and link changes), None for a printer on its own."""

    __slots__ = (
        "_engine_id", "address", "alerts", "boot_time", "boots", "busy_until", "counters", "delay",
        "drop_rate", "events", "flags", "generation", "index", "last_activity", "last_time",
        "layout", "levels", "mac", "model", "next_alert", "next_due", "next_job", "next_power",
        "owner", "rng", "serial", "settings", "snmp", "trays",
    )

    def __init__(self, model: PrinterModel, index: int, address: str, now: float,
                 seed: int = 0, generation: int = 0) -> None:
        profile = model.profile
        self.model = model
        self.layout: MibLayout = model.layout
        self.index = index
        self.address = address
        self.generation = generation
        n = index + generation * identity.SWAP_STRIDE
        self.serial = serial_of(model, n, seed)
        self.mac = identity.mac_address(profile.mac_oui, n, model.salt ^ seed)
        self._engine_id: bytes | None = None
        rng = Rng(identity.salt(model.name, seed, n) * 0x9E3779B1 + n)
        self.flags = 0
        self.delay = profile.quirks.response_delay
        self.drop_rate = profile.quirks.drop_rate
        self.settings: dict[str, str | int] | None = None
        self.snmp: array[int] | None = None
        self.owner: PrinterOwner | None = None
        self.next_power = math.inf
        self.alerts: list[Alert] | None = None
        self.events: list[tuple[float, str, int]] | None = None
        self.next_alert = 1
        self.counters = array("q", bytes(8 * N_COUNTERS))
        self.levels = array("d", (rng.uniform(*s.initial) for s in profile.supplies))
        self.trays = array("l", (rng.randint(t.capacity // 4, t.capacity) if t.initial_sheets is None
                                 else t.initial_sheets for t in profile.trays))
        self._initial_counters(rng, now)
        self.boots = rng.randint(1, 60)
        uptime = rng.uniform(600.0, 21 * 86400.0)
        self.boot_time = now - uptime
        self.counters[C_LIFE_AT_BOOT] = max(0, self.total - int(uptime / 86400 * 0.7 *
                                                                 profile.usage.pages_per_day))
        self.last_time = now
        self.busy_until = now
        self.last_activity = now - rng.uniform(0.0, model.sleep_after_s * 2)
        self.next_job = math.inf
        self.next_due = now  # the first look at the printer starts its simulated life
        self.rng = rng.state
        for position in range(len(profile.supplies)):
            self.reconcile_supply(position, now)
        for position in range(len(profile.trays)):
            if self.trays[position] < model.tray_low[position]:
                self.reconcile_tray(position, now)

    def _initial_counters(self, rng: Rng, now: float) -> None:
        """A plausible past: pages from a random age at the profile's usage mix."""
        profile = self.model.profile
        usage = profile.usage
        days = rng.uniform(*usage.initial_age_days)
        pages = int(days * usage.pages_per_day * 5 / 7 * rng.uniform(0.6, 1.4))
        if profile.initial_total is not None:
            pages = profile.initial_total
        colour = int(pages * usage.colour_fraction)
        mono = pages - colour
        c = self.counters
        c[C_MONO_LARGE] = int(mono * usage.a3_fraction)
        c[C_MONO_SMALL] = mono - c[C_MONO_LARGE]
        c[C_COLOUR_LARGE] = int(colour * usage.a3_fraction)
        c[C_COLOUR_SMALL] = colour - c[C_COLOUR_LARGE]
        scans = int(days * usage.scans_per_day * 5 / 7)
        c[C_SCAN_COLOUR] = int(scans * usage.scan_colour_fraction)
        c[C_SCAN_MONO] = scans - c[C_SCAN_COLOUR]
        c[C_DUPLEX_SHEETS] = int(pages * usage.duplex_fraction / 2)
        c[C_SHEETS] = pages - c[C_DUPLEX_SHEETS]
        c[C_JOBS] = int(pages / usage.mean_job_pages)

    # ---- reading -----------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """prtMarkerLifeCount: impressions over the engine's life (EKM's "engine cycles")."""
        return _total(self.counters)

    def counter(self, source: str) -> int:
        return int(SOURCES[source](self.counters))

    @property
    def engine_id(self) -> bytes:
        if self._engine_id is None:
            p = self.model.profile
            self._engine_id = identity.engine_id(p.enterprise, p.engine_id_format, self.mac,
                                                 self.serial)
        return self._engine_id

    @property
    def sys_name(self) -> str:
        name = self.settings.get("sysName") if self.settings else None
        if isinstance(name, str):
            return name
        p = self.model.profile
        return identity.sys_name(p.sys_name_format, p.vendor, self.mac, self.serial, self.index)

    def text(self, key: str, default: str) -> str:
        """A setting an administrator may have written, else the profile's value."""
        value = self.settings.get(key) if self.settings else None
        return value if isinstance(value, str) else default

    def number(self, key: str, default: int) -> int:
        value = self.settings.get(key) if self.settings else None
        return value if isinstance(value, int) else default

    def write(self, key: str, value: str | int) -> None:
        """Keep an administrator's setting (it survives reboots, as NVRAM does)."""
        if self.settings is None:
            self.settings = {}
        self.settings[key] = value

    def uptime_ticks(self, now: float) -> int:
        return int((now - self.boot_time) * 100) & 0xFFFFFFFF

    def engine_time(self, now: float) -> int:
        """snmpEngineTime: real seconds since the last boot (simulated time runs faster)."""
        scale = self.owner.time_scale if self.owner is not None else 1.0
        return min(int(max(0.0, now - self.boot_time) / scale), 0x7FFFFFFF)

    def sleeping(self, now: float) -> bool:
        if self.flags & F_FORCED_SLEEP:
            return True
        return now >= self.busy_until and now - self.last_activity >= self.model.sleep_after_s

    def condition_bits(self) -> int:
        """Conditions not carried by an alert: noPaper when no tray can feed a small page."""
        trays = self.trays
        small = self.model.small_trays
        if small and all(trays[i] <= 0 for i in small):
            return NO_PAPER
        return 0

    def status(self) -> tuple[int, int, bool]:
        """(hrPrinterDetectedErrorState bits, hrDeviceStatus, printing blocked)."""
        return summarize(self.alerts, self.condition_bits())

    # ---- events and lifecycle ----------------------------------------------------------------

    def set_counter(self, name: str, value: int) -> None:
        """Set one raw page counter, nothing else (a wrap or an inconsistent reading on demand:
        the served counters follow, masked like the device's registers)."""
        self.counters[SETTABLE_COUNTERS[name]] = value

    def schedule(self, at: float, action: str, arg: int) -> None:
        if self.events is None:
            self.events = []
        self.events.append((at, action, arg))
        self.events.sort()
        self.next_due = min(self.next_due, at)

    def run_event(self, action: str, arg: int, at: float) -> None:
        if action == EVENT_REFILL:
            self.refill_tray(arg, at)
        elif action == EVENT_REPLACE:
            self.replace_supply(arg, at)
        elif action == EVENT_CLEAR:
            self.resolve_alert(arg, at)

    def pending(self, action: str, arg: int) -> bool:
        return any(e[1] == action and e[2] == arg for e in self.events or ())

    def reboot(self, now: float) -> None:
        """Power cycle: sysUpTime and the engine time restart, snmpEngineBoots + 1, the alert table
        is rebuilt (conditions still present are re-detected with new indices and times), the
        console shows what the printer says again, and a coldStart is announced."""
        self.boots = self.boots % 0x7FFFFFFE + 1
        if self.settings:
            self.settings = {k: v for k, v in self.settings.items()
                             if not k.startswith("console")} or None
        self.boot_time = now
        self.busy_until = now + self.model.warmup_s
        self.last_activity = self.busy_until
        self.flags &= ~F_FORCED_SLEEP
        self.counters[C_LIFE_AT_BOOT] = self.total
        old = self.alerts or []
        self.alerts = None
        self.next_alert = 1
        owner, self.owner = self.owner, None  # the rows come back; they are not news
        renumbered = {}
        for alert in old:
            if alert.kind in KINDS or alert.kind.startswith("code:"):
                again = self.raise_alert(alert.kind, alert.group_index, now, alert.location,
                                         alert.text)
                if alert.restore is not None:
                    assert self.alerts is not None
                    at = self.alerts.index(again)
                    self.alerts[at] = again = replace(again, restore=alert.restore)
                renumbered[alert.index] = again.index
        self.owner = owner
        if owner is not None:
            owner.notify(self, COLD_START, None, now)
        if self.events:
            self.events = [(at, action, renumbered.get(arg, -1) if action == EVENT_CLEAR else arg)
                           for at, action, arg in self.events]
