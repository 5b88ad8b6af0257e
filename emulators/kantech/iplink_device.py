"""The IP-Link as a ControllerModel: ANNOUNCE as IP_LINK, STATUS_QUERY, SET_DATETIME, TUNNEL.

An IP-Link is a bridge between the IP network and an RS-485 loop of KT-100/KT-300 controllers.
Built with an in-process ``LoopControllers`` (``make_iplink``) it answers TUNNEL synchronously,
so a plain ``KantechFleet`` can host it: the gateway reaches loop events by tunneling POLLs, and
PULSE's flag says when to. Without one (``IpLinkRuntime``) the runtime's master owns the loop.
"""

from __future__ import annotations

from emulators.kantech.controller_api import DeviceIdentity
from emulators.kantech.controller_clock import ControllerClock
from emulators.kantech.serial_loop import LoopControllers, make_loop
from kantech_proto.codes import DeviceModel, NakReason
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import ControllerStatus, SystemFlag
from kantech_proto.messages import (
    Ack,
    Message,
    Nak,
    SetDateTime,
    StatusQuery,
    StatusReply,
    Tunnel,
    TunnelItem,
)
from kantech_proto.serial_frame import SerialFrame, SerialStreamDecoder


class IpLinkDevice(DeviceIdentity):
    """The IP-Link as a ControllerModel. Its own clock only serves STATUS_REPLY."""

    def __init__(self, mac: bytes, serial_number: str, *,
                 firmware: tuple[int, int, int] = (1, 0, 0),
                 loop: LoopControllers | None = None) -> None:
        self._mac, self._serial, self._firmware = mac, serial_number, firmware
        self.loop = loop
        self.clock = ControllerClock()
        self._started: float | None = None

    @property
    def model(self) -> DeviceModel:
        return DeviceModel.IP_LINK

    def handle_request(self, message: Message, now: float) -> Message:
        if self._started is None:
            self._started = now
        if isinstance(message, StatusQuery):
            return StatusReply(self.status(now))
        if isinstance(message, SetDateTime):
            self.clock.set(message.when, now)
            return Ack()
        if isinstance(message, Tunnel):
            if self.loop is None:  # the runtime's master owns the loop: it never gets here
                return Nak(NakReason.NOT_ALLOWED)
            return self._tunnel_inline(message, now)
        return Nak(NakReason.UNKNOWN_COMMAND)

    def _tunnel_inline(self, message: Tunnel, now: float) -> Message:
        assert self.loop is not None
        decoder = SerialStreamDecoder()
        replies: list[TunnelItem] = []
        for item in message.items:
            if isinstance(item, SerialFrame):
                replies.extend(decoder.feed(self.loop.feed(item.encode(), now)))
        return Tunnel(tuple(replies)) if replies else Nak(NakReason.BAD_DATA)

    def status(self, now: float) -> ControllerStatus:
        clock = self.clock.at(now)
        flags = SystemFlag(0) if clock is not None else SystemFlag.CLOCK_NOT_SET
        if self.events_waiting:
            flags |= SystemFlag.EVENTS_PENDING
        uptime = int(now - self._started) if self._started is not None else 0
        return ControllerStatus(DeviceModel.IP_LINK, self._firmware, clock, flags,
                                uptime_seconds=uptime)

    def advance(self, now: float) -> None:
        pass  # loop controllers advance when addressed

    def next_deadline(self) -> float | None:
        return None

    def take_events(self) -> list[ControllerEvent]:
        return []  # loop events travel as TUNNEL, never as the IP-Link's own EVENT

    @property
    def events_waiting(self) -> bool:
        if self.loop is None:
            return False
        return any(c.events_waiting for c in self.loop.controllers.values()) or \
            self.loop.events_pending

    @property
    def reboot_pending(self) -> bool:
        return False

    def acknowledge_reboot(self) -> None:
        pass


def make_iplink(mac: bytes, serial_number: str, loop_size: int, *,
                firmware: tuple[int, int, int] = (1, 0, 0)) -> IpLinkDevice:
    """An IP-Link with ``loop_size`` in-process controllers (alternating KT-100/KT-300), ready
    for ``KantechFleet``: a model factory can return it for ``DeviceModel.IP_LINK``."""
    loop = make_loop(loop_size, mac_prefix=mac[:3], serial_prefix=f"{serial_number[:8]}-")
    return IpLinkDevice(mac, serial_number, firmware=firmware, loop=loop)
