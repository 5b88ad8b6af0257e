"""Applying what a read found to a device's records: alert and availability records opened and
cleared, change events, the asset message; each written to the batch with its outbox message,
and to the device in memory."""

from __future__ import annotations

from collections.abc import Callable

from ekm_proto.monitor import messages
from ekm_proto.monitor.alerts import Change
from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.device import Device

AVAILABILITY_KINDS = ("availability:",)


def apply_alerts(device: Device, change: Change, batch: Batch,
                 new_id: Callable[[], int]) -> None:
    """Open the conditions that appeared and clear the records whose condition went."""
    for key in change.cleared:
        found = device.open_alerts.pop(key, None)
        if found is None:
            continue
        alert_id, opened_at = found
        batch.clear_alert(alert_id)
        kind = "availability" if key.startswith(AVAILABILITY_KINDS) else "alert"
        batch.outbox(kind, device.serial, messages.cleared(device, alert_id, key, opened_at,
                                                           batch.at))
    for condition in change.opened:
        if condition.key in device.open_alerts:
            continue
        alert_id = new_id()
        device.open_alerts[condition.key] = (alert_id, batch.at)
        batch.open_alert(alert_id, device, condition)
        kind = "availability" if condition.source == "availability" else "alert"
        batch.outbox(kind, device.serial, messages.opened(device, alert_id, condition, batch.at))


def record_change(device: Device, kind: str, old: str, new: str, batch: Batch) -> None:
    batch.change(device, kind, old, new)
    batch.outbox("change", device.serial, messages.change(device, kind, old, new, batch.at))


def device_alert_keys(device: Device) -> list[str]:
    """Open records that come from the device's own alerts (not availability)."""
    return [key for key in device.open_alerts if not key.startswith(AVAILABILITY_KINDS)]
