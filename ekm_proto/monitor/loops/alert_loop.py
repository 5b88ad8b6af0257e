"""The alert loop (3 minutes in working hours, 15 out of them by default): the primary loop.

One GET per device: sysUpTime, hrDeviceStatus, hrPrinterDetectedErrorState and prtAlertAllEvents
(RFC 3805's count of alerts ever added to the table). The alert table itself is read only when
that count moved, the table had rows last time, the device rebooted, or the device has no such
count: a quiet printer costs one small request per pass. A trap from the device
(``--trap-listen``) reads it at once through the runner's ``read_device`` (MonitorAgent.read_now).
"""

from __future__ import annotations

from ekm_proto.monitor import alerts
from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.identify import integer, ticks
from ekm_proto.monitor.loop_oids import ALERT_TABLE_COLUMNS, GENERAL_ALERT_ALL_EVENTS
from ekm_proto.monitor.loops.context import ReadContext
from ekm_proto.monitor.records import apply_alerts, device_alert_keys
from ekm_proto.printer_mib import oids
from ekm_proto.snmp.types import SnmpType

_SYS_UPTIME = oids.instance(oids.SYS_UPTIME, 0)


class AlertLoop:
    name = "alert"

    def __init__(self, context: ReadContext) -> None:
        self.context = context
        self.table_reads = 0

    def wants(self, device: Device) -> bool:
        return device.active  # silent devices too: this loop notices them answering again

    async def read(self, device: Device, batch: Batch) -> None:
        context = self.context
        d = device.device_index
        uptime, _status, state, events = await context.get(
            device, _SYS_UPTIME, oids.instance(oids.HR_DEVICE_STATUS, d),
            oids.instance(oids.HR_PRINTER_DETECTED_ERROR_STATE, d),
            oids.instance(GENERAL_ALERT_ALL_EVENTS, d))
        reboot = context.observe_uptime(device, ticks(uptime), batch)
        all_events = integer(events)
        if all_events is None or all_events != device.alert_events or device.alert_rows or \
                reboot or device.alert_events is None:
            self.table_reads += 1
            walk = await context.columns(device, ALERT_TABLE_COLUMNS, "alerts", rows=2)
            rows: dict[int, dict[int, object]] = {}
            for index, row in walk.rows().items():
                if len(index) == 2 and index[0] == d:
                    rows[index[1]] = {column: value[1] for column, value in row.items()}
            table = alerts.from_alert_rows(rows)
            if all_events != device.alert_events or bool(rows) != device.alert_rows:
                device.alert_events, device.alert_rows = all_events, bool(rows)
                batch.update_device(device.id, alert_events=all_events, alert_rows=int(bool(rows)))
        else:
            table = []  # unchanged and empty last time: only the error-state bits can speak
        bits = state[1] if state[0] == SnmpType.OCTET_STRING and isinstance(state[1], bytes) \
            else None
        current = [*table, *alerts.from_error_state(bits, table)]
        change = alerts.reconcile(device_alert_keys(device), current)
        apply_alerts(device, change, batch, context.registry.new_alert_id)

