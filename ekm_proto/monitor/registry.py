"""The devices the agent knows, in memory, and what registering a discovered identity means:
a new device, the same device at a new address (move), another device at a known address
(swap), a changed name, location or MAC, a device back after being gone.

Each outcome is written to the batch as change events and outbox messages; the registry's
indexes (by address for active devices, by serial or MAC for all) follow at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from ekm_proto.monitor import messages
from ekm_proto.monitor.batch import Batch, counters_json
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.identify import Identity
from ekm_proto.monitor.records import record_change
from ekm_proto.monitor.targets import Asset
from protolab.logs import get_logger

_log = get_logger("monitor.registry")


class Registry:
    """See the module docstring. ``assets`` (the imported list) gives asset numbers and zones
    by address."""

    def __init__(self, devices: Iterable[Device], *, next_device_id: int, next_alert_id: int,
                 assets: Iterable[Asset] = ()) -> None:
        self.devices: dict[int, Device] = {}
        self.by_address: dict[str, Device] = {}
        self.by_key: dict[str, Device] = {}
        self._device_ids = itertools.count(next_device_id)
        self._alert_ids = itertools.count(next_alert_id)
        self.assets = {a.address: a for a in assets}
        for device in devices:
            self._index(device)

    def _index(self, device: Device) -> None:
        self.devices[device.id] = device
        self.by_key[device.identity_key] = device
        if device.active:
            self.by_address[device.address] = device

    def __len__(self) -> int:
        return len(self.devices)

    def active(self) -> list[Device]:
        return [d for d in self.devices.values() if d.active]

    def new_alert_id(self) -> int:
        return next(self._alert_ids)

    def register(self, identity: Identity, batch: Batch) -> Device:
        """Take a discovered identity into the fleet; see the module docstring."""
        here = self.by_address.get(identity.address)
        known = self.by_key.get(identity.key)
        if known is None:
            device = self._create(identity, batch)
            if here is not None:  # another device answers where ``here`` was: a swap
                record_change(device, "swap", here.identity_key, identity.key, batch)
                self._retire(here, batch, record=False)
            else:
                record_change(device, "new", "", identity.address, batch)
            return device
        if here is not None and here is not known:
            self._retire(here, batch, record=True)
        self._update(known, identity, batch)
        return known

    def mark_gone(self, device: Device, batch: Batch) -> None:
        """A device not seen for too long: no longer polled until it is discovered again."""
        self._retire(device, batch, record=True)

    # ---- outcomes -----------------------------------------------------------------------------

    def _create(self, identity: Identity, batch: Batch) -> Device:
        asset = self.assets.get(identity.address)
        if asset is not None and asset.serial and asset.serial != identity.serial:
            _log.warning("registry.asset-serial-mismatch", address=identity.address,
                         expected=asset.serial, found=identity.serial)
        device = Device(
            id=next(self._device_ids), address=identity.address, port=identity.port,
            credential=identity.credential, serial=identity.serial, mac=identity.mac,
            manufacturer=identity.manufacturer, model=identity.model, name=identity.name,
            location=identity.location, discovered_at=batch.at,
            asset_number=asset.asset_number if asset else "", zone=asset.zone if asset else "",
            engine_cycles=identity.engine_cycles, enterprise=identity.enterprise,
            device_index=identity.device_index, marker_index=identity.marker_index,
            if_index=identity.if_index, max_speed=identity.max_speed, counters=identity.counters,
            uptime_ticks=identity.uptime_ticks, uptime_at=batch.at if identity.uptime_ticks
            is not None else None)
        device.availability.last_answer = batch.at
        batch.insert_device(device)
        batch.update_device(device.id, last_answer=batch.at, uptime_ticks=device.uptime_ticks,
                            uptime_at=device.uptime_at)
        batch.outbox("asset", device.serial, messages.asset(device))
        self._index(device)
        _log.info("registry.new", device=device.describe())
        return device

    def _retire(self, device: Device, batch: Batch, *, record: bool) -> None:
        if self.by_address.get(device.address) is device:
            del self.by_address[device.address]
        if not device.active:
            return
        device.status = "gone"
        device.target = None
        batch.update_device(device.id, status="gone")
        if record:
            record_change(device, "gone", device.address, "", batch)
        batch.outbox("asset", device.serial, messages.asset(device))
        _log.info("registry.gone", device=device.describe())

    def _update(self, device: Device, identity: Identity, batch: Batch) -> None:
        changed: dict[str, object] = {}
        if device.address != identity.address or not device.active:
            kind = "move" if device.address != identity.address else "returned"
            if self.by_address.get(device.address) is device:
                del self.by_address[device.address]
            record_change(device, kind, device.address, identity.address, batch)
            changed.update(address=identity.address, status="active")
        for field, kind in (("name", "name"), ("location", "location"), ("mac", "mac")):
            old, new = getattr(device, field), getattr(identity, field)
            if old != new and new:
                record_change(device, kind, old, new, batch)
                changed[field] = new
        for field in ("port", "credential", "model", "manufacturer", "device_index",
                      "marker_index", "if_index", "max_speed", "enterprise"):
            if getattr(device, field) != getattr(identity, field):
                changed[field] = getattr(identity, field)
        if identity.counters != device.counters:
            device.counters = identity.counters
            batch.update_device(device.id, counters=counters_json(device))
        if identity.engine_cycles is not None:
            changed["engine_cycles"] = identity.engine_cycles
        for field, value in changed.items():
            setattr(device, field, value)
        if changed:
            batch.update_device(device.id, **changed)
        device.target = None
        self._index(device)
        if set(changed) - {"engine_cycles"}:
            batch.outbox("asset", device.serial, messages.asset(device))

