"""The meter loop (20 minutes in working hours, 240 out of them): page counters.

One GET per device: sysUpTime, prtMarkerLifeCount and prtMarkerPowerOnCount of its marker, and
the vendor counters discovery found on it. Every counter is validated against its last good
reading (validation.py) before it is stored; a device in power save that answers without
counters (or with zeros) is read again after ``power_save_retry`` instead of waiting for the
next pass, so each day gets at least one good set. Counters are stored at every good read and
reported once a day (meter_reports.py), as the overview describes.

Counters some models show only on their embedded web page (web_counters.py knows which) come
from a ``WebCounterReader`` (the agent's is web_reader.py) and are validated and stored as the
SNMP ones are, under the page's names, with ``web:PATH`` where an OID would be.
"""

from __future__ import annotations

from typing import Protocol

from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.counter_catalog import KnownCounter, standard_counters
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.identify import integer, ticks
from ekm_proto.monitor.loop_oids import MARKER_STATUS, STANDBY
from ekm_proto.monitor.loops.context import ReadContext
from ekm_proto.monitor.validation import (
    Accepted,
    CounterReading,
    Previous,
    Rejected,
    validate_counters,
)
from ekm_proto.monitor.web_counters import WebCounter, web_source
from ekm_proto.printer_mib import oids
from ekm_proto.printer_mib.vendors import counter_maximum
from ekm_proto.snmp.types import SnmpType, SnmpValue, format_oid

WEB_COUNTER_MAXIMUM = 2**64 - 1  # a page writes the count in decimal: nothing wraps
_COUNTER_TYPES = frozenset((SnmpType.COUNTER32, SnmpType.INTEGER, SnmpType.GAUGE32,
                            SnmpType.COUNTER64))


class WebCounterReader(Protocol):
    """Counters read from a device's embedded web server (models whose profile keeps some
    counters off SNMP)."""

    async def counters(self, device: Device) -> list[tuple[WebCounter, int | None]]: ...


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
        where = {c.name: (format_oid(c.oid), c.meaning) for c in counters}
        web: list[CounterReading] = []
        source = web_source(device.model) if self.web is not None else None
        if self.web is not None and source is not None:
            for web_counter, raw in await self.web.counters(device):
                if web_counter.name not in where:
                    where[web_counter.name] = (f"web:{source.path}", web_counter.meaning)
                    web.append(CounterReading(web_counter.name, raw, WEB_COUNTER_MAXIMUM))
        asleep = status is not None and status & 7 == STANDBY
        # the web page's counters are judged on their own: a sleeping engine's missing SNMP
        # counters must still read as power save when its web server answers
        accepted, rejected = self._validate(device, readings, batch.at, asleep)
        web_accepted, web_rejected = self._validate(device, web, batch.at, asleep)
        day = context.settings.schedule.hours.day_of(batch.at)
        for good in (*accepted, *web_accepted):
            oid, meaning = where[good.name]
            device.meters[good.name] = Previous(good.raw, good.value, batch.at)
            batch.meter(device.id, day, good.name, oid, meaning, good.raw, good.value)
        for bad in (*rejected, *web_rejected):
            batch.rejection(device, bad.name, bad.value, bad.reason)
        self.accepted += len(accepted) + len(web_accepted)
        self.rejected += len(rejected) + len(web_rejected)
        state = device.loop(self.name)
        if rejected and not accepted:  # asleep: come back within the day, not next pass
            state.retry_at = batch.at + context.settings.power_save_retry
        else:
            state.retry_at = None

    @staticmethod
    def _validate(device: Device, readings: list[CounterReading], now: float, asleep: bool
                  ) -> tuple[list[Accepted], list[Rejected]]:
        if not readings:
            return [], []
        previous = {r.name: device.meters[r.name] for r in readings if r.name in device.meters}
        reboot = device.rebooted_at is not None and any(
            p.read_at < device.rebooted_at for p in previous.values())
        return validate_counters(readings, previous, now=now, reboot=reboot,
                                 pages_per_hour=device.max_speed,
                                 engine_cycles=device.engine_cycles, asleep=asleep)
