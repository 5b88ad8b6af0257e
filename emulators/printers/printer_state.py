"""One printer's own state, kept compact, and the operations that change it consistently.

Printers of one model share their MIB layout (``model.PrinterModel``); a ``PrinterState`` holds only
what differs: identity, counters, supply and tray levels, active alerts, pending events. Every
operation takes the simulated time ``now``; nothing here reads a clock.
"""

from __future__ import annotations

import math
from array import array

from ekm_proto.printer_mib.textual_conventions import bit_mask
from emulators.printers import identity
from emulators.printers.alerts import KINDS, Alert, kind_of, summarize
from emulators.printers.mib_layout import MibLayout
from emulators.printers.model import PrinterModel
from emulators.printers.random64 import Rng

# indices into PrinterState.counters
(C_MONO_SMALL, C_COLOUR_SMALL, C_MONO_LARGE, C_COLOUR_LARGE, C_SCAN_MONO, C_SCAN_COLOUR, C_SHEETS,
 C_DUPLEX_SHEETS, C_LIFE_AT_BOOT, C_ALERTS_CRITICAL, C_ALERTS_ALL, C_CONFIG_CHANGES, C_JOBS) = range(13)
N_COUNTERS = 13

F_UNREACHABLE = 1  # taken off the network (control API "offline"): no SNMP answers
F_FORCED_SLEEP = 2  # power save entered on request; a job wakes it

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


class PrinterState:
    """See the module docstring. Levels are fractions 0..1 of life left (for a receptacle: space)."""

    __slots__ = (
        "_engine_id", "address", "alerts", "boot_time", "boots", "busy_until", "counters", "delay",
        "drop_rate", "events", "flags", "generation", "index", "last_activity", "last_time",
        "layout", "levels", "mac", "model", "next_alert", "next_due", "next_job", "rng", "serial",
        "texts", "trays",
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
        self.serial = identity.serial_number(profile.serial_format, n, model.salt ^ seed)
        self.mac = identity.mac_address(profile.mac_oui, n, model.salt ^ seed)
        self._engine_id: bytes | None = None
        rng = Rng(identity.salt(model.name, seed, n) * 0x9E3779B1 + n)
        self.flags = 0
        self.delay = profile.quirks.response_delay
        self.drop_rate = profile.quirks.drop_rate
        self.texts: dict[str, str] | None = None
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
        if self.texts and "name" in self.texts:
            return self.texts["name"]
        p = self.model.profile
        return identity.sys_name(p.sys_name_format, p.vendor, self.mac, self.serial, self.index)

    def text(self, key: str, default: str) -> str:
        return self.texts.get(key, default) if self.texts else default

    def uptime_ticks(self, now: float) -> int:
        return int((now - self.boot_time) * 100) & 0xFFFFFFFF

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

    # ---- alerts ------------------------------------------------------------------------------

    def raise_alert(self, kind: str, group_index: int, now: float, location: int = -2,
                    text: str | None = None) -> Alert:
        """Add a row to prtAlertTable unless the same condition is already there."""
        for alert in self.alerts or ():
            if alert.kind == kind and alert.group_index == group_index:
                return alert
        alert = Alert(self.next_alert, kind, group_index, location, now, text)
        self.next_alert = self.next_alert % 0x7FFFFFFF + 1
        if self.alerts is None:
            self.alerts = []
        self.alerts.append(alert)
        self.counters[C_ALERTS_ALL] += 1
        if kind_of(alert).severity == 3:
            self.counters[C_ALERTS_CRITICAL] += 1
        return alert

    def _drop(self, alert: Alert) -> None:
        assert self.alerts is not None
        self.alerts.remove(alert)
        if not self.alerts:
            self.alerts = None

    def clear_kind(self, kind: str, group_index: int) -> None:
        for alert in list(self.alerts or ()):
            if alert.kind == kind and alert.group_index == group_index:
                self._drop(alert)

    def find_alert(self, index: int) -> Alert | None:
        return next((a for a in self.alerts or () if a.index == index), None)

    def resolve_alert(self, index: int, now: float) -> Alert | None:
        """Someone dealt with the trouble: remove the row and fix its cause (refill, replace...)."""
        alert = self.find_alert(index)
        if alert is None:
            return None
        self._drop(alert)
        position = self._position(alert)
        if alert.kind in ("media_empty", "media_low", "tray_missing") and position is not None:
            self.refill_tray(position, now)
        elif position is not None and any(alert.kind in k for k in self.model.supply_kinds):
            self.replace_supply(position, now, open_cover=False)
        return alert

    def _position(self, alert: Alert) -> int | None:
        p = self.model.profile
        group = kind_of(alert).group
        indices = ([t.index for t in p.trays] if group == 8 else
                   [s.index for s in p.supplies] if group == 11 else [])
        return indices.index(alert.group_index) if alert.group_index in indices else None

    # ---- supplies and trays ------------------------------------------------------------------

    def reconcile_supply(self, position: int, now: float) -> None:
        """Make the supply's alerts match its level (low / empty), raising or clearing rows."""
        low_kind, empty_kind = self.model.supply_kinds[position]
        index = self.model.profile.supplies[position].index
        level = self.levels[position]
        if level <= 0.0:
            self.clear_kind(low_kind, index)
            self.raise_alert(empty_kind, index, now)
        elif level < self.model.supply_low[position]:
            self.clear_kind(empty_kind, index)
            self.raise_alert(low_kind, index, now)
        elif self.alerts:
            self.clear_kind(low_kind, index)
            self.clear_kind(empty_kind, index)

    def reconcile_tray(self, position: int, now: float) -> None:
        tray = self.model.profile.trays[position]
        level = self.trays[position]
        if level <= 0:
            self.clear_kind("media_low", tray.index)
            self.raise_alert("media_empty", tray.index, now)
        elif level < self.model.tray_low[position] and tray.level_reporting == "exact":
            self.clear_kind("media_empty", tray.index)
            self.raise_alert("media_low", tray.index, now)
        elif self.alerts:
            self.clear_kind("media_low", tray.index)
            self.clear_kind("media_empty", tray.index)

    def set_supply_level(self, position: int, fraction: float, now: float) -> None:
        self.levels[position] = min(1.0, max(0.0, fraction))
        self.reconcile_supply(position, now)

    def replace_supply(self, position: int, now: float, open_cover: bool = True) -> None:
        """A new cartridge or an emptied receptacle; the cover was opened to do it."""
        self.set_supply_level(position, 1.0, now)
        self.counters[C_CONFIG_CHANGES] += 1
        if open_cover and self.model.profile.covers:
            cover = self.raise_alert("cover_open", 1, now)
            self.schedule(now + 90.0, EVENT_CLEAR, cover.index)

    def refill_tray(self, position: int, now: float, sheets: int | None = None) -> None:
        capacity = self.model.tray_capacity[position]
        self.trays[position] = capacity if sheets is None else max(0, min(capacity, sheets))
        self.reconcile_tray(position, now)

    # ---- printing ----------------------------------------------------------------------------

    def print_pages(self, now: float, pages: int, colour: bool = False, large: bool = False,
                    duplex: bool = False) -> int:
        """Print one job; returns the impressions made (fewer when paper runs out, 0 when blocked).

        Counters, trays and supplies move together: an A3 impression counts once in the life
        count and twice in A4 equivalents and in toner use.
        """
        model = self.model
        profile = model.profile
        if pages <= 0 or (large and not profile.a3) or self.status()[2]:
            return 0
        colour = colour and profile.color
        duplex = duplex and profile.duplex
        needed = (pages + 1) // 2 if duplex else pages
        fed = 0
        for position in model.large_trays if large else model.small_trays:
            take = min(self.trays[position], needed - fed)
            if take > 0:
                self.trays[position] -= take
                fed += take
                if self.trays[position] < model.tray_low[position]:
                    self.reconcile_tray(position, now)
            if fed == needed:
                break
        printed = min(pages, fed * 2 if duplex else fed)
        if printed <= 0:
            return 0
        c = self.counters
        if colour:
            c[C_COLOUR_LARGE if large else C_COLOUR_SMALL] += printed
        else:
            c[C_MONO_LARGE if large else C_MONO_SMALL] += printed
        c[C_SHEETS] += fed
        if duplex:
            c[C_DUPLEX_SHEETS] += fed
        c[C_JOBS] += 1
        area = printed * (2 if large else 1)
        for position, consumes in enumerate(model.supply_consumes):
            if consumes == "all" or (consumes == "colour" and colour) or (
                    consumes == "mono" and not colour):
                self._consume(position, area, now)
        start = max(now, self.busy_until)
        if self.sleeping(now):
            start += model.warmup_s
        self.busy_until = start + printed * model.page_seconds
        self.last_activity = self.busy_until
        self.flags &= ~F_FORCED_SLEEP
        return printed

    def scan_pages(self, now: float, pages: int, colour: bool = False) -> None:
        """Scanned originals: scan counters and the document feeder's wear, no paper or toner."""
        self.counters[C_SCAN_COLOUR if colour else C_SCAN_MONO] += pages
        for position, consumes in enumerate(self.model.supply_consumes):
            if consumes == "scans":
                self._consume(position, pages, now)
        self.last_activity = max(self.last_activity, now)

    def _consume(self, position: int, amount: float, now: float) -> None:
        before = self.levels[position]
        after = max(0.0, before - amount * self.model.supply_rate[position])
        self.levels[position] = after
        if after < self.model.supply_low[position] <= before or after <= 0.0 < before:
            self.reconcile_supply(position, now)

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
        is rebuilt (conditions still present are re-detected with new indices and times)."""
        self.boots = self.boots % 0x7FFFFFFE + 1
        self.boot_time = now
        self.busy_until = now + self.model.warmup_s
        self.last_activity = self.busy_until
        self.flags &= ~F_FORCED_SLEEP
        self.counters[C_LIFE_AT_BOOT] = self.total
        old = self.alerts or []
        self.alerts = None
        self.next_alert = 1
        renumbered = {}
        for alert in old:
            if alert.kind in KINDS or alert.kind.startswith("code:"):
                again = self.raise_alert(alert.kind, alert.group_index, now, alert.location,
                                         alert.text)
                renumbered[alert.index] = again.index
        if self.events:
            self.events = [(at, action, renumbered.get(arg, -1) if action == EVENT_CLEAR else arg)
                           for at, action, arg in self.events]
