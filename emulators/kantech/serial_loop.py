"""The controller side of an RS-485 loop: KT-100/KT-300 models at addresses 1..N behind one port.

Sans-IO at the core (``LoopControllers``: serial bytes in, serial bytes out, time passed in as
``now``), so the same loop runs behind a real serial port (``SerialLoopPort``, a socat PTY pair in
tests) or in-process (``InProcessLoopLink``, for fleets with no PTYs to spare). A real loop is a
shared bus where only the addressed controller talks, so frames for absent addresses, replies
echoed back by other masters and garbage all get silence, never an error frame.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import serial_asyncio_fast

from emulators.kantech.controller_api import ControllerModel
from emulators.kantech.controller_model import make_controller
from emulators.kantech.event_buffer import DEFAULT_BOUND, EventBuffer, with_backlog
from emulators.kantech.wire_observer import Direction
from kantech_proto.codes import Command, DeviceModel, NakReason
from kantech_proto.controller_events import encode_event
from kantech_proto.device_endpoint import nak_reason_for
from kantech_proto.errors import ConfigurationError, DecodeError, KantechError
from kantech_proto.message_layout import decode_message
from kantech_proto.messages import Message, Nak, StatusReply
from kantech_proto.serial_frame import (
    Presence,
    SerialFrame,
    SerialItem,
    SerialStreamDecoder,
)
from protolab.clock import Clock, SystemClock
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

LOOP_MODELS = (DeviceModel.KT_100, DeviceModel.KT_300)
#: at most one "bad request" line per reason per this many seconds of ``now``
BAD_REQUEST_LOG_INTERVAL = 5.0
#: commands a controller sends, never receives: seeing one on the loop is another talker, not a
#: request, and answering it would jam the bus
_REPLY_COMMANDS = frozenset({Command.ACK, Command.NAK, Command.STATUS_REPLY, Command.EVENT,
                             Command.MANUAL_OP_REPLY, Command.ANNOUNCE, Command.PULSE,
                             Command.TUNNEL})

log = get_logger("kantech.loop")


@dataclass(slots=True)
class LoopStats:
    polls: collections.Counter[int] = field(default_factory=collections.Counter)
    requests: collections.Counter[int] = field(default_factory=collections.Counter)
    events_sent: int = 0
    presences_sent: int = 0
    unanswered: int = 0  # frames for absent addresses, or replies seen on the bus
    bad_requests: int = 0  # frames whose data did not decode (answered NAK BAD_DATA)
    bytes_in: int = 0
    bytes_out: int = 0


class LoopControllers:
    """Controllers sharing one serial loop; ``feed`` returns what they put on the line."""

    def __init__(self, controllers: Mapping[int, ControllerModel],
                 log_interval: float = BAD_REQUEST_LOG_INTERVAL, *,
                 event_buffer: int = DEFAULT_BOUND) -> None:
        for address in controllers:
            if not 1 <= address <= 127:
                raise ConfigurationError(f"loop address {address}: expected 1..127")
        self.controllers: dict[int, ControllerModel] = dict(controllers)
        self.decoder = SerialStreamDecoder()
        self.stats = LoopStats()
        self._bad_request_log = LogThrottle(log_interval)
        # events taken from a model but not yet polled out: one leaves per POLL, and each
        # controller keeps at most ``event_buffer`` (then BUFFER_OVERFLOW, as on IP)
        self._pending: dict[int, EventBuffer] = {
            a: EventBuffer(event_buffer) for a in self.controllers}
        #: addresses whose controller is unplugged: silent on the bus, state kept
        self.offline: set[int] = set()
        #: sees the bytes the master wrote ("received") and the loop's answers ("sent")
        self.observer: Callable[[Direction, bytes], None] | None = None

    def __getitem__(self, address: int) -> ControllerModel:
        return self.controllers[address]

    @property
    def events_pending(self) -> bool:
        """Events already taken from a model and waiting for their POLL."""
        return any(len(buffer) for buffer in self._pending.values())

    def backlog(self, address: int) -> int:
        """Events of the controller at ``address`` not yet polled out (its model's included)."""
        return len(self._pending[address]) + bool(self.controllers[address].events_waiting)

    @property
    def dropped_bytes(self) -> int:
        return self.decoder.dropped_bytes

    def feed(self, data: bytes, now: float) -> bytes:
        """Bytes from the master in, the controllers' answers out (possibly nothing)."""
        self.stats.bytes_in += len(data)
        if self.observer is not None:
            self.observer("received", data)
        out = b"".join(self.answer(item, now) for item in self.decoder.feed(data))
        self.stats.bytes_out += len(out)
        if out and self.observer is not None:
            self.observer("sent", out)
        return out

    def answer(self, item: SerialItem, now: float) -> bytes:
        """One decoded item; empty bytes when the addressed controller stays silent."""
        if isinstance(item, Presence):
            return b""  # another controller's presence on a shared bus: not for us
        controller = self.controllers.get(item.address)
        if controller is None or item.command in _REPLY_COMMANDS or item.address in self.offline:
            self.stats.unanswered += 1
            return b""
        controller.advance(now)
        if item.command == Command.POLL:
            self.stats.polls[item.address] += 1
            return self._poll(item.address, controller)
        self.stats.requests[item.address] += 1
        reply = self._request(item, controller, now)
        if isinstance(reply, StatusReply):
            self._take(item.address, controller)
            reply = StatusReply(with_backlog(reply.status, self.backlog(item.address)))
        return SerialFrame(item.address, reply.COMMAND, reply.encode_data()).encode()

    def _poll(self, address: int, controller: ControllerModel) -> bytes:
        self._take(address, controller)
        event = self._pending[address].next_to_send()
        if event is not None:
            self._pending[address].delivered()  # the serial link has no ACK: sent is delivered
            self.stats.events_sent += 1
            return SerialFrame(address, Command.EVENT, encode_event(event)).encode()
        self.stats.presences_sent += 1
        return Presence(address).encode()

    def _take(self, address: int, controller: ControllerModel) -> None:
        if controller.events_waiting:
            for event in controller.take_events():
                self._pending[address].push(event)

    def _request(self, frame: SerialFrame, controller: ControllerModel, now: float) -> Message:
        try:
            message = decode_message(frame.command, frame.data)
        except DecodeError as exc:
            self.stats.bad_requests += 1
            reason = nak_reason_for(exc)
            suppressed = self._bad_request_log.allow(now, exc.reason)
            if suppressed is not None:
                log.info("bad request on the loop", address=frame.address,
                         command=frame.command.name, nak=reason.name, error=str(exc),
                         suppressed=suppressed)
            return Nak(reason, str(exc))
        try:
            return controller.handle_request(message, now)
        except Exception as exc:  # a model bug must not silence the whole loop
            log.exception("controller failed on a request", address=frame.address,
                          error=str(exc))
            return Nak(NakReason.BAD_DATA)


def make_loop(models: Iterable[DeviceModel] | int, *, mac_prefix: bytes = b"\x00\x0b\x4c",
              serial_prefix: str = "LOOP",
              factory: Callable[..., ControllerModel] | None = None,
              event_buffer: int = DEFAULT_BOUND) -> LoopControllers:
    """Controllers at addresses 1..N: ``models`` is their models in address order, or N for
    alternating KT-100/KT-300. Macs and serials only need to be unique inside the lab."""
    factory = factory or make_controller
    if isinstance(models, int):
        models = [LOOP_MODELS[i % 2] for i in range(models)]
    controllers: dict[int, ControllerModel] = {}
    for address, model in enumerate(models, start=1):
        if model not in LOOP_MODELS:
            raise ConfigurationError(f"{model.name} is not a loop controller: expected KT_100 "
                                     "or KT_300")
        mac = mac_prefix + bytes((0, 0, address))
        controllers[address] = factory(model, mac, f"{serial_prefix}{address:04d}")
    return LoopControllers(controllers, event_buffer=event_buffer)


class _PortProtocol(asyncio.Protocol):
    def __init__(self, port: SerialLoopPort) -> None:
        self._port = port
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        out = self._port.loop.feed(data, self._port.clock.now())
        if out and self.transport is not None and not self.transport.is_closing():
            self.transport.write(out)

    def connection_lost(self, exc: Exception | None) -> None:
        self._port.closed = True


class SerialLoopPort:
    """A ``LoopControllers`` answering on a real serial port (callback-driven, no task)."""

    def __init__(self, loop: LoopControllers, port: str, clock: Clock | None = None) -> None:
        self.loop = loop
        self.port = port
        self.clock: Clock = clock or SystemClock()
        self.closed = False
        self._protocol: _PortProtocol | None = None

    @classmethod
    async def open(cls, loop: LoopControllers, port: str, baudrate: int = 9600, *,
                   clock: Clock | None = None, **serial_options: Any) -> SerialLoopPort:
        self = cls(loop, port, clock)
        protocol = _PortProtocol(self)
        await serial_asyncio_fast.create_serial_connection(
            asyncio.get_running_loop(), lambda: protocol, port, baudrate=baudrate,
            **serial_options)
        self._protocol = protocol
        return self

    async def close(self) -> None:
        if self._protocol is not None and self._protocol.transport is not None:
            self._protocol.transport.close()
        self.closed = True
        await asyncio.sleep(0)  # let the transport finish closing the port


class LoopLinkClosedError(KantechError, ConnectionError):
    """The in-process loop was closed."""


class InProcessLoopLink:
    """The master's view of a loop with no port in between: the same ``send``/``receive`` as
    ``SerialLink``, bytes handed straight to ``LoopControllers`` and answers decoded back."""

    def __init__(self, loop: LoopControllers, clock: Clock | None = None) -> None:
        self.loop = loop
        self.clock: Clock = clock or SystemClock()
        self._decoder = SerialStreamDecoder()
        self._items: collections.deque[SerialItem] = collections.deque()
        self._arrived = asyncio.Event()
        self.closed = False

    async def send(self, item: SerialFrame | Presence | bytes) -> None:
        if self.closed:
            raise LoopLinkClosedError("in-process loop is closed")
        data = item if isinstance(item, bytes | bytearray | memoryview) else item.encode()
        answer = self.loop.feed(bytes(data), self.clock.now())
        if answer:
            self._items.extend(self._decoder.feed(answer))
            self._arrived.set()

    async def receive(self, timeout: float | None = None) -> SerialItem:
        """The next answer; TimeoutError after ``timeout`` seconds of this link's clock."""
        if timeout is None:
            return await self._next()
        return await self.clock.wait_for(self._next(), timeout)

    async def _next(self) -> SerialItem:
        while not self._items:
            if self.closed:
                raise LoopLinkClosedError("in-process loop is closed")
            self._arrived.clear()
            await self._arrived.wait()
        return self._items.popleft()

    async def close(self) -> None:
        self.closed = True
        self._arrived.set()
