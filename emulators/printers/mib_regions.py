"""Tables whose rows differ per printer, served as layout regions: prtAlertTable and ipAddrTable.

The alert table's rows come and go as troubles are raised and cleared; the IP address table is
indexed by the printer's own address, which moves. Neither fits a shared sorted OID list, so each
answers for its whole subtree from the printer's state.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from ekm_proto.printer_mib.oids import ALERT_ENTRY, IP_ADDR_ENTRY
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue
from emulators.printers.alerts import Alert, describe, kind_of
from emulators.printers.profiles import Profile

PRT_ALERT_ENTRY: Oid = ALERT_ENTRY
_INT = SnmpType.INTEGER


class AlertRegion:
    """prtAlertTable (RFC 3805): columns 1..9, rows indexed by (hrDeviceIndex, prtAlertIndex)."""

    prefix = PRT_ALERT_ENTRY
    columns = tuple((*PRT_ALERT_ENTRY, c) for c in range(1, 10))

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.device = profile.device_index

    def cell(self, state: Any, alert: Alert, column: int) -> SnmpValue:
        """One column of an alert's row (also what a printerV2Alert carries)."""
        if column == 1:
            return (_INT, alert.index)
        if column == 8:
            return (SnmpType.OCTET_STRING, describe(alert, self.profile).encode()[:255])
        if column == 9:  # prtAlertTime: sysUpTime when raised (0 if raised before this boot)
            ticks = int((alert.raised_at - state.boot_time) * 100)
            return (SnmpType.TIMETICKS, max(0, ticks) & 0xFFFFFFFF)
        if column == 6:
            return (_INT, alert.location)
        kind = kind_of(alert)
        value = {2: kind.severity, 3: kind.training, 4: kind.group, 5: alert.group_index,
                 7: kind.code}[column]
        return (_INT, value)

    def get(self, state: Any, oid: Oid, now: float) -> SnmpValue | None:
        n = len(self.prefix)
        if len(oid) != n + 3 or not 1 <= oid[n] <= 9 or oid[n + 1] != self.device:
            return None
        for alert in state.alerts or ():
            if alert.index == oid[n + 2]:
                return self.cell(state, alert, oid[n])
        return None

    def next_after(self, state: Any, oid: Oid, now: float) -> tuple[Oid, SnmpValue] | None:
        alerts = state.alerts
        if not alerts:
            return None
        ordered = sorted(alerts, key=lambda a: a.index)
        rows = [(*self.prefix, column, self.device, a.index) for column in range(1, 10)
                for a in ordered]
        i = bisect_right(rows, oid)
        if i >= len(rows):
            return None
        row = rows[i]
        return row, self.cell(state, ordered[i % len(ordered)], row[len(self.prefix)])


class IpAddrRegion:
    """ipAddrTable (RFC 1213): one row indexed by the printer's current IPv4 address."""

    prefix = IP_ADDR_ENTRY
    columns = tuple((*IP_ADDR_ENTRY, c) for c in range(1, 6))

    @staticmethod
    def _row(state: Any) -> tuple[int, ...]:
        return tuple(int(part) for part in state.address.split("."))

    @staticmethod
    def _cell(address: tuple[int, ...], column: int) -> SnmpValue:
        if column == 1:
            return (SnmpType.IP_ADDRESS, bytes(address))
        if column == 3:
            return (SnmpType.IP_ADDRESS, bytes((255, 255, 0, 0)))
        return (_INT, {2: 1, 4: 1, 5: 65535}[column])

    def get(self, state: Any, oid: Oid, now: float) -> SnmpValue | None:
        n = len(self.prefix)
        if len(oid) != n + 5 or not 1 <= oid[n] <= 5 or oid[n + 1:] != self._row(state):
            return None
        return self._cell(oid[n + 1:], oid[n])

    def next_after(self, state: Any, oid: Oid, now: float) -> tuple[Oid, SnmpValue] | None:
        address = self._row(state)
        rows = [(*self.prefix, column, *address) for column in range(1, 6)]
        i = bisect_right(rows, oid)
        if i >= len(rows):
            return None
        return rows[i], self._cell(address, rows[i][len(self.prefix)])
