"""A KT-100/KT-300 on an IP-Link's loop, as the control API sees a device: found as
``<loop address>@<IP-Link>`` (``3@127.20.0.5`` or ``3@2`` with the IP-Link's fleet index), taking
the same actions as an IP controller (cards, doors, inputs, offline, reboot).

Its events leave when the IP-Link polls it, so an action needs no flush; offline unplugs it from
the bus (it stays silent on the loop and keeps its state and events).
"""

from __future__ import annotations

from typing import Any

from emulators.kantech.controller_api import ControllerModel
from emulators.kantech.iplink_runtime import IpLinkRuntime
from emulators.kantech.serial_loop import LoopControllers


class LoopDevice:
    """One loop controller of an IP-Link runtime this process runs the loop of."""

    def __init__(self, iplink: IpLinkRuntime, loop: LoopControllers, address: int) -> None:
        self.iplink, self.loop, self.address = iplink, loop, address

    @property
    def model(self) -> ControllerModel:
        return self.loop[self.address]

    @property
    def ident(self) -> str:
        return f"{self.address}@{self.iplink.config.address}"

    @property
    def name(self) -> str:
        return f"{self.model.model.name}@{self.ident}"

    @property
    def online(self) -> bool:
        return self.address not in self.loop.offline

    def now(self) -> float:
        return self.iplink.now()

    def sync(self) -> None:
        """Nothing to flush: the IP-Link's next poll of this address carries its events."""

    def set_online(self, online: bool) -> None:
        if online:
            self.loop.offline.discard(self.address)
        else:
            self.loop.offline.add(self.address)

    def snapshot(self) -> dict[str, Any]:
        model = self.model
        out: dict[str, Any] = {
            "id": self.ident, "loop_address": self.address,
            "iplink": self.iplink.config.address, "iplink_index": self.iplink.config.index,
            "model": model.model.name, "mac": model.mac.hex(":"),
            "serial_number": model.serial_number,
            "firmware": ".".join(map(str, model.firmware)), "online": self.online,
            "events_queued": self.loop.backlog(self.address),
            "polls": self.loop.stats.polls[self.address],
            "requests": self.loop.stats.requests[self.address],
        }
        snap = getattr(model, "snapshot", None)
        if callable(snap):
            out["state"] = snap()
        return out


def loop_devices(iplink: IpLinkRuntime) -> list[LoopDevice]:
    """The loop controllers this process runs for ``iplink`` (none when they live elsewhere)."""
    loop = iplink.loop
    if loop is None:
        return []
    return [LoopDevice(iplink, loop, address) for address in sorted(loop.controllers)]
