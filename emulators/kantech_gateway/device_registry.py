"""The devices a gateway knows: what each one's last ANNOUNCE said, and where it came from.

Sans-IO: the gateway hands in ANNOUNCEs with the time they arrived; requests name a device by
``host``, ``host:port``, an address tuple or a registry entry, and ``resolve`` turns any of them
into the address to send to (a bare host takes its announced port).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kantech_proto.codes import DeviceModel, Port
from kantech_proto.endpoint_events import Address
from kantech_proto.messages import Announce


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """A device as its last ANNOUNCE described it, and where that came from."""

    host: str
    port: int
    mac: str
    model: DeviceModel
    firmware: tuple[int, int, int]
    serial_number: str
    ip: str
    last_seen: float

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    def as_dict(self) -> dict[str, Any]:
        return {"address": f"{self.host}:{self.port}", "mac": self.mac, "model": self.model.name,
                "firmware": ".".join(map(str, self.firmware)),
                "serial_number": self.serial_number, "ip": self.ip}


DeviceRef = str | tuple[str, int] | DeviceInfo


class DeviceRegistry:
    """Devices by host (one device per IP address, as on a real site)."""

    def __init__(self) -> None:
        self.devices: dict[str, DeviceInfo] = {}

    def register(self, peer: Address, sender: bytes, announce: Announce, now: float
                 ) -> DeviceInfo | None:
        """Record an ANNOUNCE; returns the entry when the device is new or its firmware changed
        (what is worth a log line), None when it only announced again."""
        host, port = peer[0], int(peer[1])
        known = self.devices.get(host)
        info = self.devices[host] = DeviceInfo(
            host, port, ":".join(f"{b:02x}" for b in sender), announce.model, announce.firmware,
            announce.serial_number, str(announce.ip), now)
        return info if known is None or known.firmware != announce.firmware else None

    def announced_since(self, since: float) -> list[DeviceInfo]:
        """Devices heard from at or after ``since``, in address order."""
        return sorted((d for d in self.devices.values() if d.last_seen >= since),
                      key=lambda d: (d.host, d.port))

    def resolve(self, device: DeviceRef) -> tuple[str, int]:
        """``host[:port]``, a tuple or a DeviceInfo; a bare host takes its announced port
        (or WIRE.md's 18810 when it never announced)."""
        if isinstance(device, DeviceInfo):
            return device.address
        if isinstance(device, tuple):
            return device[0], int(device[1])
        host, sep, port = device.rpartition(":")
        if sep and port.isdigit():
            return host, int(port)
        known = self.devices.get(device)
        return (device, known.port) if known else (device, int(Port.GATEWAY_TO_DEVICE_UDP))

    def __contains__(self, host: object) -> bool:
        return host in self.devices

    def __getitem__(self, host: str) -> DeviceInfo:
        return self.devices[host]
