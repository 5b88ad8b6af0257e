"""What a printer announces, as notifications (ekm_proto.snmp.notifications): coldStart after a
boot, linkDown / linkUp when it leaves and rejoins the network, and RFC 3805's printerV2Alert when a
row enters or leaves prtAlertTable, carrying that row's columns.

Standard traps carry snmpTrapEnterprise.0 = the printer's sysObjectID, as net-snmp's agent does,
so their SNMPv1 form names the printer's enterprise (RFC 3584 3.2). A printerV2Alert carries the
RFC's objects (prtAlertIndex, SeverityLevel, Group, GroupIndex, Location, Code) and then the rest
of the row (TrainingLevel, Description, Time); on removal the same columns describe the row that
left, which a GET of its prtAlertIndex then answers noSuchInstance.
"""

from __future__ import annotations

from ekm_proto.printer_mib.oids import ALERT_ENTRY, IF_ENTRY
from ekm_proto.snmp.notifications import (
    COLD_START,
    LINK_DOWN,
    LINK_UP,
    SNMP_TRAP_ENTERPRISE_0,
    Notification,
)
from ekm_proto.snmp.types import Oid, SnmpType, VarBind
from emulators.printers import printer_state as events
from emulators.printers.alerts import Alert
from emulators.printers.mib_regions import AlertRegion
from emulators.printers.printer_state import PrinterState

PRINTER_V2_ALERT: Oid = (1, 3, 6, 1, 2, 1, 43, 0, 1)  # printerV2AlertPrefix.1 (RFC 3805)
# the RFC's OBJECTS first, then the rest of the row
ALERT_COLUMNS = (1, 2, 4, 5, 6, 7, 3, 8, 9)
UP, DOWN = 1, 2  # ifAdminStatus / ifOperStatus


def _enterprise(state: PrinterState) -> VarBind:
    return (SNMP_TRAP_ENTERPRISE_0, (SnmpType.OBJECT_IDENTIFIER,
                                     state.model.profile.sys_object_id))


def alert_varbinds(state: PrinterState, alert: Alert, now: float) -> list[VarBind]:
    """The row's columns as prtAlertTable serves them (the removed row's, once it is gone)."""
    region = state.layout.region_at(ALERT_ENTRY)
    assert isinstance(region, AlertRegion)
    device = state.model.profile.device_index
    return [((*ALERT_ENTRY, column, device, alert.index), region.cell(state, alert, column))
            for column in ALERT_COLUMNS]


def notification_for(state: PrinterState, event: str, detail: object, now: float
                     ) -> Notification | None:
    """The notification an event of the printer's state is announced with, or None."""
    uptime = state.uptime_ticks(now)
    if event in (events.ALERT_ADDED, events.ALERT_REMOVED) and isinstance(detail, Alert):
        if state.layout.region_at(ALERT_ENTRY) is None:
            return None  # a model without prtAlertTable has nothing to tell about its rows
        return Notification(PRINTER_V2_ALERT, uptime, alert_varbinds(state, detail, now))
    if event == events.COLD_START:
        return Notification(COLD_START, uptime, [_enterprise(state)])
    if event in (events.LINK_DOWN, events.LINK_UP):
        up = event == events.LINK_UP
        status = (SnmpType.INTEGER, UP if up else DOWN)
        return Notification(LINK_UP if up else LINK_DOWN, uptime, [
            ((*IF_ENTRY, 1, 1), (SnmpType.INTEGER, 1)), ((*IF_ENTRY, 7, 1), (SnmpType.INTEGER, UP)),
            ((*IF_ENTRY, 8, 1), status), _enterprise(state)])
    return None


def cold_start(state: PrinterState, now: float) -> Notification:
    """The coldStart a printer sends when the emulator starts it (its agent starting)."""
    return Notification(COLD_START, state.uptime_ticks(now), [_enterprise(state)])
