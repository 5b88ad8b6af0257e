"""The IP-Link: an IP device that masters an RS-485 loop of KT-100/KT-300 controllers.

Three layers, so each can be used alone:

- ``IpLinkDevice``: the ControllerModel the fleet runtime can run (ANNOUNCE as IP_LINK,
  STATUS_QUERY, SET_DATETIME). Built with an in-process ``LoopControllers`` (``make_iplink``) it
  also answers TUNNEL synchronously, so a plain ``KantechFleet`` can host it (model factory
  ``iplink_model_factory``); the gateway then reaches loop events by tunneling POLLs, and
  PULSE's flag says when to.
- ``IpLinkPoller`` (sans-IO) and ``IpLinkMaster`` (asyncio): the paper's polling, 4-byte POLL to
  each address in turn, 1-byte presence back, paced to a byte rate per site (Table 10: 1000 bytes/s
  by default) because a real IP-Link's bandwidth does not grow with the loop, only the time between
  two polls of one controller does. Gateway TUNNELs are slotted between polls on the same link.
- ``IpLinkRuntime``: a ``DeviceRuntime`` whose TUNNELs go through the master and whose polled
  events go to the gateway as reliable TUNNELs, as the real device does.
"""

from __future__ import annotations

import asyncio
import collections
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from emulators.kantech.controller_api import ControllerModel, DeviceIdentity
from emulators.kantech.device_runtime import DeviceRuntime
from emulators.kantech.fleet_config import DeviceConfig
from emulators.kantech.serial_loop import LoopControllers, make_loop
from kantech_proto.codes import Command, DeviceModel, NakReason
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import ControllerStatus, SystemFlag
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.endpoint_events import EndpointEvent, RequestReceived
from kantech_proto.ip_frame import IpFrameCodec
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
from kantech_proto.serial_frame import Presence, SerialFrame, SerialItem, SerialStreamDecoder
from protolab.logs import get_logger

DEFAULT_RATE = 1000.0  # bytes/s per site, paper Table 10 (corporate gateway, default value)
DEFAULT_REPLY_TIMEOUT = 0.05
#: how far behind its byte schedule the poller may fall before it stops trying to catch up; a
#: stalled event loop must not turn into a burst of polls above the configured rate
MAX_CATCH_UP = 0.05
POLL_SIZE = 4

log = get_logger("kantech.iplink")


class LoopTransport(Protocol):
    """What the master needs from a loop: ``SerialLink`` and ``InProcessLoopLink`` both fit."""

    async def send(self, item: SerialFrame | Presence | bytes) -> None: ...

    async def receive(self, timeout: float | None = None) -> SerialItem: ...


def _wire_size(item: SerialItem) -> int:
    return 1 if isinstance(item, Presence) else item.wire_size


# -- the device model -----------------------------------------------------------------------------
class IpLinkDevice(DeviceIdentity):
    """The IP-Link as a ControllerModel. Its own clock only serves STATUS_REPLY."""

    def __init__(self, mac: bytes, serial_number: str, *,
                 firmware: tuple[int, int, int] = (1, 0, 0),
                 loop: LoopControllers | None = None) -> None:
        self._mac, self._serial, self._firmware = mac, serial_number, firmware
        self.loop = loop
        self._clock: tuple[KantechDateTime, float] | None = None
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
            self._clock = (message.when, now)
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
        clock = None
        if self._clock is not None:
            when, at = self._clock
            clock = KantechDateTime.from_datetime(
                when.to_datetime() + datetime.timedelta(seconds=int(now - at)))
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


def firmware_image(firmware: tuple[int, int, int], size: int = 64 * 1024) -> bytes:
    """The image an IP-Link serves over TFTP: the "KTFW" version marker the controller models
    read, then deterministic filler, so a fetched image can be checked byte for byte."""
    head = b"KTFW" + bytes(firmware)
    body = bytes((i * 31 + 7) & 0xFF for i in range(size - len(head)))
    return head + body


def polling_iplink_runtime(config: DeviceConfig, codec: IpFrameCodec | None = None, *,
                           rate: float = 1000.0) -> IpLinkRuntime:
    """An IP-Link as the paper describes it, for ``KantechFleet``: it polls its own in-process
    loop of ``config.loop_size`` KT-100/KT-300 controllers at ``rate`` bytes/s and forwards
    their events to the gateway as TUNNEL messages."""
    if config.loop_size < 1:
        raise ValueError("an IP-Link needs loop_size >= 1")
    loop = make_loop(config.loop_size, mac_prefix=config.mac[:3],
                     serial_prefix=f"{config.serial_number[:8]}-")
    device = IpLinkDevice(config.mac, config.serial_number, firmware=config.firmware)
    from emulators.kantech.serial_loop import InProcessLoopLink

    return IpLinkRuntime(config, device, InProcessLoopLink(loop), rate=rate, codec=codec)


def iplink_model_factory(config: DeviceConfig) -> ControllerModel:
    """A ``KantechFleet`` model factory: IP-Links get an in-process loop of
    ``config.loop_size`` controllers (TUNNEL answered inline), other models the default."""
    if config.model is DeviceModel.IP_LINK:
        if config.loop_size < 1:
            raise ValueError("an IP-Link needs loop_size >= 1")
        return make_iplink(config.mac, config.serial_number, config.loop_size,
                           firmware=config.firmware)
    from emulators.kantech.fleet_runtime import default_model_factory
    return default_model_factory(config)


# -- polling --------------------------------------------------------------------------------------
@dataclass(slots=True)
class PollStats:
    polls: collections.Counter[int] = field(default_factory=collections.Counter)
    #: bytes polled per controller: POLLs sent plus what came back, tunneled exchanges included
    bytes_by_address: collections.Counter[int] = field(default_factory=collections.Counter)
    timeouts: collections.Counter[int] = field(default_factory=collections.Counter)
    events: collections.Counter[int] = field(default_factory=collections.Counter)
    stray_items: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    first_exchange: float | None = None
    last_exchange: float | None = None

    def measured_rate(self) -> float:
        """Bytes/s over the loop since the first exchange (what Table 10 measures)."""
        if self.first_exchange is None or self.last_exchange is None:
            return 0.0
        span = self.last_exchange - self.first_exchange
        return (self.bytes_sent + self.bytes_received) / span if span > 0 else 0.0


class IpLinkPoller:
    """Whom to poll next and when the next exchange may start; no I/O, no clock of its own."""

    def __init__(self, loop_size: int, *, rate: float = DEFAULT_RATE,
                 reply_timeout: float = DEFAULT_REPLY_TIMEOUT, history: int = 1024) -> None:
        if not 1 <= loop_size <= 127:
            raise ValueError(f"loop size {loop_size} is outside 1..127")
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.loop_size, self.rate, self.reply_timeout = loop_size, rate, reply_timeout
        self.stats = PollStats()
        self.order: collections.deque[int] = collections.deque(maxlen=history)
        self._next = 1
        self._slot: float | None = None

    def next_address(self) -> int:
        address = self._next
        self._next = address % self.loop_size + 1
        self.order.append(address)
        self.stats.polls[address] += 1
        return address

    def record(self, address: int, sent: int, received: int, started: float) -> float:
        """Account one exchange begun at ``started``; returns when the next one may begin."""
        stats = self.stats
        if stats.first_exchange is None:
            stats.first_exchange = started
        stats.bytes_sent += sent
        stats.bytes_received += received
        stats.bytes_by_address[address] += sent + received
        slot = started if self._slot is None else max(self._slot, started - MAX_CATCH_UP)
        self._slot = slot + (sent + received) / self.rate
        stats.last_exchange = self._slot
        return self._slot

    def poll_reply(self, address: int, item: SerialItem | None) -> Tunnel | None:
        """What a poll's answer means for the gateway: an EVENT frame is forwarded as TUNNEL."""
        if item is None:
            self.stats.timeouts[address] += 1
            return None
        if isinstance(item, SerialFrame) and item.command == Command.EVENT:
            self.stats.events[address] += 1
            return Tunnel((item,))
        return None


class IpLinkMaster:
    """Runs an ``IpLinkPoller`` over a ``LoopTransport``: the only coroutine touching the link."""

    def __init__(self, link: LoopTransport, poller: IpLinkPoller,
                 on_event: Callable[[Tunnel], None]) -> None:
        self.link, self.poller, self.on_event = link, poller, on_event
        self._requests: collections.deque[tuple[Tunnel, asyncio.Future[Message]]] = \
            collections.deque()
        self._wake = asyncio.Event()

    async def tunnel(self, request: Tunnel) -> Message:
        """Forward the serial frames of a gateway TUNNEL; the answers come back in one TUNNEL
        (NAK bad data when no addressed controller answered: nothing to tunnel back)."""
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._requests.append((request, future))
        self._wake.set()
        return await future

    async def run(self) -> None:
        """Poll until cancelled or the link goes away (then pending tunnels answer NAK busy)."""
        try:
            await self._run()
        except ConnectionError as exc:
            log.warning("loop link lost, polling stopped", error=str(exc))
        finally:
            while self._requests:
                _, future = self._requests.popleft()
                if not future.done():
                    future.set_result(Nak(NakReason.BUSY))

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if self._requests:
                request, future = self._requests.popleft()
                try:
                    reply = await self._forward(request)
                except BaseException:
                    if not future.done():
                        future.set_result(Nak(NakReason.BUSY))
                    raise
                if not future.done():
                    future.set_result(reply)
                continue
            address = self.poller.next_address()
            item, until = await self._exchange(address, SerialFrame(address, Command.POLL))
            event = self.poller.poll_reply(address, item)
            if event is not None:
                self.on_event(event)
            delay = until - loop.time()
            if delay > 0:
                self._wake.clear()
                try:  # a tunnel request need not wait for the pacing, only for the poll
                    await asyncio.wait_for(self._wake.wait(), delay)
                except TimeoutError:
                    pass

    async def _forward(self, request: Tunnel) -> Message:
        replies: list[TunnelItem] = []
        for item in request.items:
            if isinstance(item, SerialFrame):
                answer, _ = await self._exchange(item.address, item)
                if answer is not None:
                    replies.append(answer)
        return Tunnel(tuple(replies)) if replies else Nak(NakReason.BAD_DATA)

    async def _exchange(self, address: int,
                        frame: SerialFrame) -> tuple[SerialItem | None, float]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await self.link.send(frame)
        deadline = started + self.poller.reply_timeout
        answer: SerialItem | None = None
        while answer is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            try:
                item = await self.link.receive(remaining)
            except TimeoutError:
                break
            if item.address == address:
                answer = item
            else:  # a late answer to an earlier exchange, or another talker
                self.poller.stats.stray_items += 1
        received = _wire_size(answer) if answer is not None else 0
        return answer, self.poller.record(address, frame.wire_size, received, started)


# -- on the network -------------------------------------------------------------------------------
class IpLinkRuntime(DeviceRuntime):
    """A DeviceRuntime for an IP-Link with a real (or in-process) loop link and a poller.

    Not created by ``KantechFleet`` (which makes plain DeviceRuntimes); create and start it
    directly, with the same ``DeviceConfig``.
    """

    __slots__ = ("_inflight", "_poll_task", "_tasks", "master", "tftp")

    def __init__(self, config: DeviceConfig, device: IpLinkDevice, link: LoopTransport, *,
                 loop_size: int | None = None, rate: float = DEFAULT_RATE,
                 reply_timeout: float = DEFAULT_REPLY_TIMEOUT,
                 codec: IpFrameCodec | None = None) -> None:
        super().__init__(config, device, codec)
        size = loop_size or config.loop_size
        self.master = IpLinkMaster(link, IpLinkPoller(size, rate=rate,
                                                      reply_timeout=reply_timeout),
                                   self._forward_event)
        self._poll_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._inflight: set[tuple[bytes, int]] = set()
        self.tftp: Any = None

    @property
    def poller(self) -> IpLinkPoller:
        return self.master.poller

    async def start(self) -> None:
        await super().start()
        self._poll_task = asyncio.create_task(self.master.run(), name=f"poll {self.config.name}")
        from emulators.kantech.tftp_server import TftpServer

        image = firmware_image(self.config.firmware)
        version = ".".join(map(str, self.config.firmware))
        self.tftp = await TftpServer.start({"iplink.bin": image, f"iplink-{version}.bin": image},
                                           host=self.config.address, port=self.config.tftp_port)

    async def close(self) -> None:
        if self.tftp is not None:
            self.tftp.close()
        for task in [self._poll_task, *self._tasks]:
            if task is not None:
                task.cancel()
        for task in [self._poll_task, *self._tasks]:
            if task is not None:
                try:
                    await task
                except (asyncio.CancelledError, Exception):
                    pass
        await super().close()

    def on_endpoint_event(self, event: EndpointEvent) -> None:
        if isinstance(event, RequestReceived) and isinstance(event.message, Tunnel):
            key = (event.frame.sender_id, event.frame.event_id)
            if self.online and key not in self._inflight:  # a retry of one still on the loop
                self._inflight.add(key)
                task = asyncio.ensure_future(self._answer_tunnel(event, key))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            return
        super().on_endpoint_event(event)

    async def _answer_tunnel(self, request: RequestReceived, key: tuple[bytes, int]) -> None:
        try:
            assert isinstance(request.message, Tunnel)
            reply = await self.master.tunnel(request.message)
        except Exception as exc:
            log.warning("tunnel failed", device=self.config.name, error=str(exc))
            reply = Nak(NakReason.BUSY)
        finally:
            self._inflight.discard(key)
        if not self.closed and self.driver is not None:
            self.endpoint.reply(request, reply)
            self.driver.pump()

    def _forward_event(self, tunnel: Tunnel) -> None:
        if self.closed or self.driver is None:
            return
        self.endpoint.send_reliable(tunnel, self.now())
        self.driver.pump()
