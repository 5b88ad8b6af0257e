"""The meter loop (20 minutes in working hours, 240 out of them): page counters.

One GET per device: sysUpTime, prtMarkerLifeCount and prtMarkerPowerOnCount of its marker, and
the vendor counters discovery found on it. Every counter is validated against its last good
reading (validation.py) before it is stored; a device in power save that answers without
counters (or with zeros) is read again after ``power_save_retry`` instead of waiting for the
next pass, so each day gets at least one good set. Counters are stored at every good read and
reported once a day (meter_reports.py), as the overview describes.

Counters some models show only on their embedded web page come from a ``WebCounterReader``
when one is given (the device web services round; none is wired yet).
"""

from __future__ import annotations

from typing import Protocol

from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.counter_catalog import KnownCounter, standard_counters
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.identify import integer, ticks
from ekm_proto.monitor.loop_oids import MARKER_STATUS, STANDBY
from ekm_proto.monitor.loops.context import ReadContext
from ekm_proto.monitor.validation import CounterReading, Previous, validate_counters
from ekm_proto.printer_mib import oids
from ekm_proto.printer_mib.vendors import counter_maximum
from ekm_proto.snmp.types import SnmpType, SnmpValue, format_oid

_COUNTER_TYPES = frozenset((SnmpType.COUNTER32, SnmpType.INTEGER, SnmpType.GAUGE32,
                            SnmpType.COUNTER64))


class WebCounterReader(Protocol):
    """Counters read from a device's embedded web server (models whose profile keeps some
    counters off SNMP)."""

    async def counters(self, device: Device) -> list[tuple[KnownCounter, int | None]]: ...


def reading(counter: KnownCounter, value: SnmpValue) -> CounterReading:
    kind, raw = value
    if kind not in _COUNTER_TYPES or not isinstance(raw, int) or raw < 0:
        return CounterReading(counter.name, None, 0)
    return CounterReading(counter.name, raw, counter_maximum(counter.oid, kind))


class MeterLoop:
    name = "meter"

    def __init__(self, context: ReadContext, web: WebCounterReader | None = None) -> None:
        self.context = context
        self.web = web
        self.accepted = 0
        self.rejected = 0

    def wants(self, device: Device) -> bool:
        return device.active and device.availability.silent_since is None

    async def read(self, device: Device, batch: Batch) -> None:
        context = self.context
        counters = (*standard_counters(device.device_index, device.marker_index),
                    *device.counters)
        values = await context.get(device, oids.instance(oids.SYS_UPTIME, 0),
                                   oids.instance(MARKER_STATUS, device.device_index,
                                                 device.marker_index),
                                   *(c.oid for c in counters))
        context.observe_uptime(device, ticks(values[0]), batch)
        status = integer(values[1])
        readings = [reading(c, v) for c, v in zip(counters, values[2:], strict=True)]
        by_name = {c.name: c for c in counters}
        if self.web is not None:
            for counter, raw in await self.web.counters(device):
                by_name[counter.name] = counter
                readings.append(CounterReading(counter.name, raw, counter_maximum(
                    counter.oid, SnmpType.COUNTER32)))
        previous = {r.name: device.meters[r.name] for r in readings if r.name in device.meters}
        reboot = device.rebooted_at is not None and any(
            p.read_at < device.rebooted_at for p in previous.values())
        accepted, rejected = validate_counters(
            readings, previous, now=batch.at, reboot=reboot, pages_per_hour=device.max_speed,
            engine_cycles=device.engine_cycles,
            asleep=status is not None and status & 7 == STANDBY)
        day = context.settings.schedule.hours.day_of(batch.at)
        for good in accepted:
            counter = by_name[good.name]
            device.meters[good.name] = Previous(good.raw, good.value, batch.at)
            batch.meter(device.id, day, good.name, format_oid(counter.oid), counter.meaning,
                        good.raw, good.value)
        for bad in rejected:
            batch.rejection(device, bad.name, bad.value, bad.reason)
        self.accepted += len(accepted)
        self.rejected += len(rejected)
        state = device.loop(self.name)
        if rejected and not accepted:  # asleep: come back within the day, not next pass
            state.retry_at = batch.at + context.settings.power_save_retry
        else:
            state.retry_at = None
