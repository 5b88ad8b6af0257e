"""asyncio adapter for the RS-485 loop: a serial port in, frames and presence bytes out.

It only moves bytes: pyserial-asyncio-fast owns the port, ``SerialStreamDecoder`` owns the
framing, and whoever polls the loop owns the protocol. What the decoder drops is logged with the
port name, since garbage on a loop usually means wiring, termination or a baud-rate mismatch.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import serial_asyncio_fast

from kantech_proto.errors import KantechError
from kantech_proto.serial_frame import Presence, SerialFrame, SerialItem, SerialStreamDecoder
from protolab.clock import Clock, SystemClock, Timer
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

_LOGGED_GARBAGE = 64  # bytes of dropped garbage shown in a log line
#: at most one "garbage dropped" line per reason per this many seconds; the rest are counted
GARBAGE_LOG_INTERVAL = 5.0
_CLOSE_TIMEOUT = 5.0


class SerialLinkClosedError(KantechError, ConnectionError):
    """The port was closed (by us or because it went away); nothing more will arrive."""


@dataclass(frozen=True, slots=True)
class SerialLinkStats:
    bytes_in: int = 0
    bytes_out: int = 0
    frames_in: int = 0
    presences_in: int = 0
    dropped_bytes: int = 0
    bad_frames: int = 0
    #: items discarded, oldest first, because nobody was receiving and the queue was full
    queue_overflows: int = 0


class _LinkProtocol(asyncio.Protocol):
    def __init__(self, link: SerialLink) -> None:
        self._link = link

    def data_received(self, data: bytes) -> None:
        self._link.on_data(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self._link.on_lost(exc)

    def pause_writing(self) -> None:
        self._link.writing_paused(True)

    def resume_writing(self) -> None:
        self._link.writing_paused(False)


class SerialLink:
    """One open serial port. Build it with ``await SerialLink.open(port)``.

    ``idle_flush`` (seconds, off by default) is the answer to a candidate frame that never
    completes: a stray address byte followed by a command code and a large length makes the
    decoder wait for up to 259 bytes, delaying the real frames behind it. When the line has been
    quiet that long the pending bytes are re-scanned as noise, which is safe only if it exceeds
    the longest gap a sender leaves inside one frame.
    """

    def __init__(self, port: str, *, max_queue: int = 1024, idle_flush: float | None = None,
                 clock: Clock | None = None) -> None:
        self.port = port
        self.clock: Clock = clock or SystemClock()
        self._decoder = SerialStreamDecoder()
        self._items: collections.deque[SerialItem] = collections.deque(maxlen=max_queue)
        self._arrived = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()
        self._lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._transport: asyncio.Transport | None = None
        self._idle_flush = idle_flush
        self._idle_timer: Timer | None = None
        self._closed = False
        self._bytes_in = self._bytes_out = self._overflows = 0
        self._log = get_logger("kantech.serial", port=port)
        self._garbage_log = LogThrottle(GARBAGE_LOG_INTERVAL)

    @classmethod
    async def open(cls, port: str, baudrate: int = 9600, *, max_queue: int = 1024,
                   idle_flush: float | None = None, clock: Clock | None = None,
                   **serial_options: Any) -> SerialLink:
        """Open ``port`` (a device path or a pyserial URL); ``serial_options`` go to pyserial;
        ``clock`` times ``receive`` and the idle flush (the real clock by default)."""
        link = cls(port, max_queue=max_queue, idle_flush=idle_flush, clock=clock)
        loop = asyncio.get_running_loop()
        transport, _ = await serial_asyncio_fast.create_serial_connection(
            loop, lambda: _LinkProtocol(link), port, baudrate=baudrate, **serial_options)
        link._transport = transport
        link._log.debug("serial port open", baudrate=baudrate)
        return link

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def stats(self) -> SerialLinkStats:
        d = self._decoder
        return SerialLinkStats(self._bytes_in, self._bytes_out, d.frames, d.presences,
                               d.dropped_bytes, d.bad_frames, self._overflows)

    async def send(self, item: SerialFrame | Presence | bytes) -> None:
        """Queue bytes for the port; waits only while the transport asks writers to pause."""
        data = item if isinstance(item, bytes | bytearray | memoryview) else item.encode()
        await self._writable.wait()
        if self._closed or self._transport is None or self._transport.is_closing():
            raise SerialLinkClosedError(f"serial link {self.port} is closed")
        self._transport.write(data)
        self._bytes_out += len(data)

    async def receive(self, timeout: float | None = None) -> SerialItem:
        """The next frame or presence; TimeoutError after ``timeout`` seconds without one."""
        if self._items or timeout is None:
            return await self._next()
        return await self.clock.wait_for(self._next(), timeout)

    async def _next(self) -> SerialItem:
        while not self._items:
            if self._closed:
                raise SerialLinkClosedError(f"serial link {self.port} is closed")
            self._arrived.clear()
            await self._arrived.wait()
        return self._items.popleft()

    def __aiter__(self) -> AsyncIterator[SerialItem]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[SerialItem]:
        while True:
            try:
                yield await self.receive()
            except SerialLinkClosedError:
                return

    async def close(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.close()
        if self._transport is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._lost), _CLOSE_TIMEOUT)
            except TimeoutError:
                self._log.warning("serial port did not close in time")
        self._mark_closed()

    async def __aenter__(self) -> SerialLink:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- what the transport reports (through _LinkProtocol) ---------------------------------
    def writing_paused(self, paused: bool) -> None:
        """The transport's buffer is full (``send`` waits) or drained again."""
        if paused:
            self._writable.clear()
        else:
            self._writable.set()

    def on_data(self, data: bytes) -> None:
        """Bytes from the port: decoded, queued for ``receive``, garbage logged."""
        self._bytes_in += len(data)
        self._deliver(self._decoder.feed(data))
        if self._idle_flush is not None:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
                self._idle_timer = None
            if self._decoder.pending:
                self._idle_timer = self.clock.call_later(self._idle_flush, self._on_idle)

    def _on_idle(self) -> None:
        self._idle_timer = None
        self._deliver(self._decoder.flush())

    def _deliver(self, items: list[SerialItem]) -> None:
        garbage = self._decoder.last_dropped
        if garbage:
            error = self._decoder.last_error
            reason = error.reason if error else "noise"
            suppressed = self._garbage_log.allow(self.clock.now(), reason)
            if suppressed is not None:
                self._log.warning("serial garbage dropped", dropped=len(garbage),
                                  garbage=garbage[:_LOGGED_GARBAGE].hex(), last_reason=reason,
                                  total_dropped=self._decoder.dropped_bytes,
                                  suppressed=suppressed)
        if not items:
            return
        if self._items.maxlen is not None:
            self._overflows += max(0, len(self._items) + len(items) - self._items.maxlen)
        self._items.extend(items)
        self._arrived.set()

    def on_lost(self, exc: Exception | None) -> None:
        """The port closed or went away."""
        if exc is not None:
            self._log.warning("serial port lost", error=str(exc))
        if not self._lost.done():
            self._lost.set_result(None)
        self._mark_closed()

    def _mark_closed(self) -> None:
        self._closed = True
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        self._arrived.set()
        self._writable.set()
