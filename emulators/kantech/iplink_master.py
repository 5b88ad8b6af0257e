"""The coroutine that owns an IP-Link's loop: polls it with an ``IpLinkPoller`` and slots the
gateway's TUNNEL requests between polls, waiting for answers on the IP-Link's ``Clock``."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable
from typing import Protocol

from emulators.kantech.iplink_poller import IpLinkPoller, wire_size
from kantech_proto.codes import Command, NakReason
from kantech_proto.messages import Message, Nak, Tunnel, TunnelItem
from kantech_proto.serial_frame import Presence, SerialFrame, SerialItem
from protolab.clock import Clock, SystemClock
from protolab.logs import get_logger

log = get_logger("kantech.iplink")


class LoopTransport(Protocol):
    """What the master needs from a loop: ``SerialLink`` and ``InProcessLoopLink`` both fit."""

    async def send(self, item: SerialFrame | Presence | bytes) -> None: ...

    async def receive(self, timeout: float | None = None) -> SerialItem: ...


class IpLinkMaster:
    """Runs an ``IpLinkPoller`` over a ``LoopTransport``: the only coroutine touching the link."""

    def __init__(self, link: LoopTransport, poller: IpLinkPoller,
                 on_event: Callable[[Tunnel], None], clock: Clock | None = None) -> None:
        self.link, self.poller, self.on_event = link, poller, on_event
        self.clock: Clock = clock or SystemClock()
        self._requests: collections.deque[tuple[Tunnel, asyncio.Future[Message]]] = \
            collections.deque()
        self._wake = asyncio.Event()
        self._stopped = False

    def stop(self) -> None:
        """Finish after the exchange in progress. Cancelling ``run`` alone is not enough on
        Python 3.11, whose ``asyncio.wait_for`` loses a cancellation that arrives just as the
        awaited answer does (and answers from an in-process loop arrive at once)."""
        self._stopped = True
        self._wake.set()

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
        while not self._stopped:
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
            delay = until - self.clock.now()
            if delay > 0:
                self._wake.clear()
                try:  # a tunnel request need not wait for the pacing, only for the poll
                    await self.clock.wait_for(self._wake.wait(), delay)
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
        clock = self.clock
        started = clock.now()
        await self.link.send(frame)
        deadline = started + self.poller.reply_timeout
        answer: SerialItem | None = None
        while answer is None:
            remaining = deadline - clock.now()
            if remaining <= 0:
                break
            try:
                item = await clock.wait_for(self.link.receive(), remaining)
            except TimeoutError:
                break
            if item.address == address:
                answer = item
            else:  # a late answer to an earlier exchange, or another talker
                self.poller.stats.stray_items += 1
        received = wire_size(answer) if answer is not None else 0
        return answer, self.poller.record(address, frame.wire_size, received, started)
