"""What every loop's read of a device shares: the device's target (with a more patient retry
policy while it is failing), table reads, sysUpTime and reboots, and a clock reading.

A loop's ``read(device, batch)`` either fills the batch or raises SnmpManagerError (no answer,
credentials refused); the runner turns that into availability and backoff.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.discovery import Discoverer
from ekm_proto.monitor.pacing import Pacer
from ekm_proto.monitor.records import record_change
from ekm_proto.monitor.registry import Registry
from ekm_proto.monitor.settings import MonitorSettings
from ekm_proto.monitor.validation import rebooted
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.columns import ColumnWalk
from ekm_proto.snmp.manager.targets import RetryPolicy, Target
from ekm_proto.snmp.message import SnmpVersion
from ekm_proto.snmp.types import Oid, SnmpValue


class DeviceLoop(Protocol):
    name: str

    def wants(self, device: Device) -> bool:
        """Whether this loop reads the device at all (others skip silent devices)."""
        ...

    async def read(self, device: Device, batch: Batch) -> None: ...


def patient(retry: RetryPolicy) -> RetryPolicy:
    """The policy for a device that failed last time (slow or loaded, perhaps): each attempt
    waits twice the first timeout, with no growth, so it costs about what a normal request
    costs at worst (1 + 2 s by default; 2 + 2 s patient)."""
    wait = min(retry.timeout * 2, max(retry.max_timeout, retry.timeout * 2))
    return RetryPolicy(timeout=wait, retries=retry.retries, backoff=1.0,
                       max_timeout=max(retry.max_timeout, wait))


@dataclass
class ReadContext:
    client: SnmpClient
    registry: Registry
    settings: MonitorSettings
    discoverer: Discoverer
    pacer: Pacer | None = None

    def target(self, device: Device) -> Target:
        """The device's target: its remembered credential, and a patient retry policy while
        any loop finds it failing."""
        settings = self.settings
        target = device.target
        if target is None:
            credential = next((c for c in settings.credentials
                               if c.label == device.credential), settings.credentials[0])
            target = device.target = credential.target(device.address, device.port,
                                                       settings.retry)
        failures = max((state.failures for state in device.loops.values()), default=0)
        if failures >= 2 and device.availability.silent_since is not None:
            return dataclasses.replace(target, retry=RetryPolicy(  # silent: one quick knock
                timeout=settings.retry.timeout, retries=0))
        if failures:  # slow or loaded, perhaps: give it time
            return dataclasses.replace(target, retry=settings.slow_retry or
                                       patient(settings.retry))
        return target

    async def get(self, device: Device, *oids: Oid) -> list[SnmpValue]:
        """Values of ``oids`` (exception values for missing ones), in order."""
        started = self.client.clock.now()
        answer = await self.client.get(self.target(device), *oids)
        if self.pacer is not None:
            self.pacer.answered(self.client.clock.now() - started)
        return [value for _, value in answer]

    async def columns(self, device: Device, columns: Sequence[Oid], table: str,
                      rows: int = 8) -> ColumnWalk:
        """Every row of ``columns`` (all tables' rows; callers keep the printer's). Each GETBULK
        asks for one row more than the table had last time, so a table whose size did not
        change takes one request and carries little past its end."""
        target = self.target(device)
        walk = ColumnWalk(columns, bulk=target.version != SnmpVersion.V1,
                          max_repetitions=device.rows.get(table, rows) + 1,
                          target=target.describe())
        while (operation := walk.next_operation()) is not None:
            started = self.client.clock.now()
            response = await self.client.request(target, operation)
            if self.pacer is not None:
                self.pacer.answered(self.client.clock.now() - started)
            if response.error_status:
                break  # a device refusing a GETNEXT past its tables: what was read stands
            walk.feed(response.varbinds)
        device.rows[table] = max(len(cells) for cells in walk.cells.values())
        return walk

    def observe_uptime(self, device: Device, ticks: int | None, batch: Batch) -> bool:
        """Take a sysUpTime reading; a reboot (uptime going back) is recorded as a change."""
        if ticks is None:
            return False
        was, at = device.uptime_ticks, device.uptime_at
        reboot = False
        if was is not None and at is not None:
            reboot = rebooted(was, ticks, batch.at - at)
        device.uptime_ticks, device.uptime_at = ticks, batch.at
        fields: dict[str, object] = {"uptime_ticks": ticks, "uptime_at": batch.at}
        if reboot and was is not None:
            device.rebooted_at = batch.at
            fields["rebooted_at"] = batch.at
            record_change(device, "reboot", f"up {was // 100} s", f"up {ticks // 100} s", batch)
        batch.update_device(device.id, **fields)
        return reboot
