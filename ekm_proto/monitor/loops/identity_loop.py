"""The identity loop (10 minutes in working hours, 60 out of them): is the device at this
address still the one registered, under the same name and location, and how many engine cycles
has it made. One GET per device; a different serial or MAC at the address means another device
answers there (a swap), which is identified in full and registered as such.
"""

from __future__ import annotations

from ekm_proto.errors import SnmpManagerError
from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.identify import format_mac, integer, mac_of, text, ticks
from ekm_proto.monitor.loops.context import ReadContext
from ekm_proto.monitor.records import record_change
from ekm_proto.printer_mib import oids
from protolab.logs import get_logger

_log = get_logger("monitor.identity")


class IdentityLoop:
    name = "identity"

    def __init__(self, context: ReadContext) -> None:
        self.context = context

    def wants(self, device: Device) -> bool:
        return device.active and device.availability.silent_since is None

    async def read(self, device: Device, batch: Batch) -> None:
        context = self.context
        d = device.device_index
        wanted = [oids.instance(oids.SYS_UPTIME, 0), oids.instance(oids.SYS_NAME, 0),
                  oids.instance(oids.SYS_LOCATION, 0),
                  oids.instance(oids.GENERAL_SERIAL_NUMBER, d),
                  oids.instance(oids.MARKER_LIFE_COUNT, d, device.marker_index)]
        if device.if_index is not None:
            wanted.append(oids.instance(oids.IF_PHYS_ADDRESS, device.if_index))
        values = await context.get(device, *wanted)
        uptime, name, location, serial, life = values[:5]
        raw_mac = mac_of(values[5]) if len(values) > 5 else None
        mac = format_mac(raw_mac) if raw_mac is not None else device.mac
        if (text(serial) or device.serial) != device.serial or (device.mac and mac != device.mac
                                                                and not device.serial):
            await self._someone_else(device, batch)
            return
        if mac != device.mac and mac:
            record_change(device, "mac", device.mac, mac, batch)
            device.mac = mac
            batch.update_device(device.id, mac=mac)
        context.observe_uptime(device, ticks(uptime), batch)
        for field, value in (("name", text(name)), ("location", text(location))):
            old = getattr(device, field)
            if value != old and (value or old):
                record_change(device, field, old, value, batch)
                setattr(device, field, value)
                batch.update_device(device.id, **{field: value})
        cycles = integer(life)
        if cycles is not None and cycles != device.engine_cycles:
            device.engine_cycles = cycles
            batch.update_device(device.id, engine_cycles=cycles)

    async def _someone_else(self, device: Device, batch: Batch) -> None:
        """Another serial (or MAC) answers at the device's address: identify and register it."""
        context = self.context
        identity = await context.discoverer.identify(device.address, device.credential,
                                                     device.port)
        if identity is None:
            raise SnmpManagerError(f"{device.describe()}: another device answers at this address "
                                   "and could not be identified", target=device.address)
        _log.info("identity.swap", address=device.address, old=device.serial,
                  new=identity.serial)
        context.registry.register(identity, batch)
