"""A printer's alert table as operations on its state (a mixin of PrinterState).

Alerts and the state they describe never disagree: a low supply raises its alert, and an alert
injected through the control API (a media-empty tray, a toner-low cartridge, a cover opened) moves
the state to what it says, remembering what it changed so that clearing the alert puts it back.
Every row added or removed is told to the printer's owner (the fleet: notifications).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from emulators.printers.alerts import Alert, kind_of
from emulators.printers.state_slots import C_ALERTS_ALL, C_ALERTS_CRITICAL

if TYPE_CHECKING:
    from emulators.printers.model import PrinterModel

ALERT_ADDED, ALERT_REMOVED = "alert-added", "alert-removed"
# injected kinds that change a tray, and the sheets left (None: the tray's low mark minus one)
_TRAY_KINDS: dict[str, int | None] = {"media_empty": 0, "media_low": None}


class AlertTable:
    """prtAlertTable rows of one printer; PrinterState provides the attributes below."""

    if not TYPE_CHECKING:  # instances are PrinterStates, which keep every attribute in slots
        __slots__ = ()
    model: PrinterModel
    alerts: list[Alert] | None
    next_alert: int
    counters: Any
    owner: Any
    trays: Any
    levels: Any

    if TYPE_CHECKING:
        def reconcile_tray(self, position: int, now: float) -> None: ...
        def refill_tray(self, position: int, now: float, sheets: int | None = None) -> None: ...
        def set_supply_level(self, position: int, fraction: float, now: float) -> None: ...
        def replace_supply(self, position: int, now: float, open_cover: bool = True) -> None: ...

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
        if self.owner is not None:
            self.owner.notify(self, ALERT_ADDED, alert, now)
        return alert

    def _drop(self, alert: Alert, now: float) -> None:
        assert self.alerts is not None
        self.alerts.remove(alert)
        if not self.alerts:
            self.alerts = None
        if self.owner is not None:
            self.owner.notify(self, ALERT_REMOVED, alert, now)

    def clear_kind(self, kind: str, group_index: int, now: float) -> None:
        for alert in list(self.alerts or ()):
            if alert.kind == kind and alert.group_index == group_index:
                self._drop(alert, now)

    def find_alert(self, index: int) -> Alert | None:
        return next((a for a in self.alerts or () if a.index == index), None)

    def inject_alert(self, kind: str, group_index: int, now: float, location: int = -2,
                     text: str | None = None) -> Alert:
        """An alert raised from outside (the control API): the state it names is made true first
        (the tray emptied, the supply under its low mark), so every table a monitor reads agrees
        with the new row; clearing it restores what was changed."""
        position = self._position_of(kind, group_index)
        restore: float | int | None = None
        if position is not None and kind in _TRAY_KINDS:
            restore = int(self.trays[position])
            sheets = _TRAY_KINDS[kind]
            low_sheets = int(self.model.tray_low[position])
            self.trays[position] = max(0, low_sheets - 1) if sheets is None else sheets
            self.reconcile_tray(position, now)
        elif position is not None and kind in self.model.supply_kinds[position]:
            restore = float(self.levels[position])
            low_kind, _empty = self.model.supply_kinds[position]
            low = self.model.supply_low[position]
            target = 0.0 if kind != low_kind else min(float(restore), max(low * 0.5, 0.001))
            self.set_supply_level(position, target, now)
        alert = self.raise_alert(kind, group_index, now, location, text)
        if restore is not None and alert.restore is None:
            marked = replace(alert, restore=restore)
            assert self.alerts is not None
            self.alerts[self.alerts.index(alert)] = marked
            alert = marked
        return alert

    def resolve_alert(self, index: int, now: float) -> Alert | None:
        """Someone dealt with the trouble: remove the row and fix its cause (refill, replace...);
        an injected alert puts back the tray or supply level it changed."""
        alert = self.find_alert(index)
        if alert is None:
            return None
        self._drop(alert, now)
        position = self._position_of(alert.kind, alert.group_index)
        if position is None:
            return alert
        if alert.restore is not None:
            if alert.kind in _TRAY_KINDS:
                self.refill_tray(position, now, int(alert.restore))
            else:
                self.set_supply_level(position, float(alert.restore), now)
        elif alert.kind in ("media_empty", "media_low", "tray_missing"):
            self.refill_tray(position, now)
        elif any(alert.kind in k for k in self.model.supply_kinds):
            self.replace_supply(position, now, open_cover=False)
        return alert

    def _position_of(self, kind: str, group_index: int) -> int | None:
        """Position of the tray (input alerts) or supply (supply alerts) an alert names."""
        p = self.model.profile
        group = kind_of(Alert(0, kind, group_index, -2, 0.0)).group
        indices = ([t.index for t in p.trays] if group == 8 else
                   [s.index for s in p.supplies] if group == 11 else [])
        return indices.index(group_index) if group_index in indices else None
