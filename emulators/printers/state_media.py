"""Paper, supplies and printing as operations on one printer's state (a mixin of PrinterState).

A job moves counters, trays and supplies together, whoever sends it (the simulated office, the
control API, a job on the raw port): an A3 impression counts once in the life count and twice in
A4 equivalents and in toner use; paper comes from the trays that hold its size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emulators.printers.alerts import Alert
    from emulators.printers.model import PrinterModel

from emulators.printers.state_slots import (
    C_COLOUR_LARGE,
    C_COLOUR_SMALL,
    C_CONFIG_CHANGES,
    C_DUPLEX_SHEETS,
    C_JOBS,
    C_MONO_LARGE,
    C_MONO_SMALL,
    C_SCAN_COLOUR,
    C_SCAN_MONO,
    C_SHEETS,
    F_FORCED_SLEEP,
)

EVENT_CLEAR = "clear"  # a scheduled event: someone clears an alert (printer_state.py runs it)


class MediaAndSupplies:
    """Trays, supplies and printing; PrinterState provides the attributes below."""

    if not TYPE_CHECKING:  # instances are PrinterStates, which keep every attribute in slots
        __slots__ = ()
    model: PrinterModel
    alerts: list[Alert] | None
    counters: Any
    levels: Any
    trays: Any
    flags: int
    busy_until: float
    last_activity: float

    if TYPE_CHECKING:
        def raise_alert(self, kind: str, group_index: int, now: float, location: int = -2,
                        text: str | None = None) -> Alert: ...
        def clear_kind(self, kind: str, group_index: int, now: float) -> None: ...
        def status(self) -> tuple[int, int, bool]: ...
        def sleeping(self, now: float) -> bool: ...
        def schedule(self, at: float, action: str, arg: int) -> None: ...

    def reconcile_supply(self, position: int, now: float) -> None:
        """Make the supply's alerts match its level (low / empty), raising or clearing rows."""
        low_kind, empty_kind = self.model.supply_kinds[position]
        index = self.model.profile.supplies[position].index
        level = self.levels[position]
        if level <= 0.0:
            self.clear_kind(low_kind, index, now)
            self.raise_alert(empty_kind, index, now)
        elif level < self.model.supply_low[position]:
            self.clear_kind(empty_kind, index, now)
            self.raise_alert(low_kind, index, now)
        elif self.alerts:
            self.clear_kind(low_kind, index, now)
            self.clear_kind(empty_kind, index, now)

    def reconcile_tray(self, position: int, now: float) -> None:
        tray = self.model.profile.trays[position]
        level = self.trays[position]
        if level <= 0:
            self.clear_kind("media_low", tray.index, now)
            self.raise_alert("media_empty", tray.index, now)
        elif level < self.model.tray_low[position] and tray.level_reporting == "exact":
            self.clear_kind("media_empty", tray.index, now)
            self.raise_alert("media_low", tray.index, now)
        elif self.alerts:
            self.clear_kind("media_low", tray.index, now)
            self.clear_kind("media_empty", tray.index, now)

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

    def print_pages(self, now: float, pages: int, colour: bool = False, large: bool = False,
                    duplex: bool = False) -> int:
        """Print one job; returns the impressions made (fewer when paper runs out, 0 when blocked)."""
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
