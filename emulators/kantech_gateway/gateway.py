"""``SimulatedGateway``: an EntraPass gateway in a test or on the command line.

It owns one UDP socket (the gateway port devices announce and report to), keeps a registry of the
devices that announced themselves, turns every request into one awaited reply, and turns a NAK or
an unexpected reply into an error that names the device, its address and what was expected, the
three things a lab engineer needs to find the fault.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import os
import time
import zlib
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any, TypeVar

from emulators.kantech_gateway.reload_plan import ReloadReport, plan_reload
from emulators.kantech_gateway.site_description import SiteDescription
from emulators.kantech_gateway.traffic import IN, OUT, CountingGatewayEndpoint, TrafficCounter
from kantech_proto.codes import Command, ComponentKind, DeviceModel, ManualOperation, Port
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import ComponentResult, ControllerStatus
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.endpoint_events import Address, MessageReceived
from kantech_proto.errors import KantechError
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import (
    FIRMWARE_CHUNK,
    Ack,
    Announce,
    Discover,
    Event,
    FirmwareBlock,
    FirmwareEnd,
    ManualOp,
    ManualOpReply,
    Message,
    Nak,
    SetDateTime,
    StatusQuery,
    StatusReply,
    Tunnel,
    TunnelItem,
    decode_message,
)
from kantech_proto.serial_frame import SerialFrame
from kantech_proto.transports.endpoint_driver import RequestTimeoutError
from kantech_proto.transports.udp import UdpLink
from kantech_proto.wire_profile import WireProfile
from protolab.logs import get_logger

log = get_logger("kantech.gateway")
M = TypeVar("M")
PAPER_FIRMWARE_PACKET = 134


class GatewayError(KantechError):
    """A device did not do what the gateway asked."""

    def __init__(self, device: str, sent: str, expected: str, got: str) -> None:
        super().__init__(f"device {device}: sent {sent}, expected {expected}, got {got}")
        self.device, self.sent, self.expected, self.got = device, sent, expected, got


class DeviceRefusedError(GatewayError):
    """The device answered NAK."""


class DeviceTimeoutError(GatewayError):
    """No reply after every retry."""


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


@dataclass(frozen=True, slots=True)
class FirmwareReport:
    device: str
    image_bytes: int
    blocks: int
    crc32: int
    frames_out: int
    wire_bytes_out: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"device": self.device, "image_bytes": self.image_bytes, "blocks": self.blocks,
                "crc32": f"0x{self.crc32:08x}", "frames_out": self.frames_out,
                "wire_bytes_out": self.wire_bytes_out,
                # the paper's figure: 134 bytes per block on a serial loop (130 + 4 protocol)
                "paper_serial_bytes": self.blocks * PAPER_FIRMWARE_PACKET,
                "seconds": round(self.seconds, 4)}


DeviceRef = str | tuple[str, int] | DeviceInfo


class SimulatedGateway:
    """One site's gateway: ``async with SimulatedGateway(key, site_id) as gw: ...``."""

    def __init__(self, key: str, site_id: int, listen: tuple[str, int] = (
                 "127.0.0.1", int(Port.DEVICE_TO_GATEWAY_UDP)),
                 discovery_port: int = int(Port.DISCOVERY_BROADCAST_UDP),
                 profile: WireProfile | None = None, retry_interval: float = 1.0,
                 attempts: int = 3, session_id: bytes | None = None) -> None:
        self.key, self.site_id, self.listen = key, site_id, listen
        self.discovery_port = discovery_port
        self.traffic = TrafficCounter()
        self.endpoint = CountingGatewayEndpoint(
            IpFrameCodec(key, profile or WireProfile()), site_id,
            session_id or os.urandom(6), retry_interval=retry_interval, max_attempts=attempts,
            traffic=self.traffic)
        self.devices: dict[str, DeviceInfo] = {}  # by host
        self._link: UdpLink | None = None
        self._task: asyncio.Task[None] | None = None
        self._subscribers: list[asyncio.Queue[tuple[str, ControllerEvent]]] = []
        self._announced = asyncio.Event()

    async def __aenter__(self) -> SimulatedGateway:
        self._link = await UdpLink.open(self.endpoint, self.listen, broadcast=True,
                                        name="gateway")
        self._task = asyncio.create_task(self._dispatch())
        log.info("gateway listening", address=self.address, site_id=self.site_id)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        if self._link is not None:
            self._link.close()

    @property
    def address(self) -> tuple[str, int]:
        """Where the gateway really listens (the chosen port when ``listen`` asked for 0)."""
        return self._driver_link().local_address

    # -- devices ----------------------------------------------------------------------------
    def resolve(self, device: DeviceRef) -> tuple[str, int]:
        """``host[:port]``, a tuple or a DeviceInfo; a bare host takes its announced port."""
        if isinstance(device, DeviceInfo):
            return device.address
        if isinstance(device, tuple):
            return device[0], int(device[1])
        host, sep, port = device.rpartition(":")
        if sep and port.isdigit():
            return host, int(port)
        known = self.devices.get(device)
        return (device, known.port) if known else (device, int(Port.GATEWAY_TO_DEVICE_UDP))

    async def discover(self, broadcast: tuple[str, int] | None = None,
                       wait: float = 1.0) -> list[DeviceInfo]:
        """Send DISCOVER and return the devices that announced during ``wait`` seconds."""
        target = broadcast or ("127.255.255.255", self.discovery_port)
        started = self._now()
        self.endpoint.send(target, Discover())
        self._driver_link().driver.pump()
        await asyncio.sleep(wait)
        return sorted((d for d in self.devices.values() if d.last_seen >= started),
                      key=lambda d: (d.host, d.port))

    async def wait_for_device(self, host: str, timeout: float = 3.0) -> DeviceInfo:
        """The device's registry entry, waiting for its first ANNOUNCE if needed."""
        async with asyncio.timeout(timeout):
            while host not in self.devices:
                self._announced.clear()
                await self._announced.wait()
        return self.devices[host]

    # -- requests ---------------------------------------------------------------------------
    async def status(self, device: DeviceRef) -> ControllerStatus:
        reply = await self._ask(device, StatusQuery(), StatusReply, "STATUS_REPLY")
        return reply.status

    async def set_time(self, device: DeviceRef, when: _dt.datetime | None = None
                       ) -> KantechDateTime:
        stamp = KantechDateTime.from_datetime((when or _dt.datetime.now()).replace(microsecond=0))
        await self._ask(device, SetDateTime(stamp), Ack, "ACK")
        return stamp

    async def unlock(self, device: DeviceRef, door: int, seconds: int = 0
                     ) -> tuple[ComponentResult, ...]:
        op = ManualOperation.UNLOCK_DOOR_TIMED if seconds else ManualOperation.UNLOCK_DOOR
        return await self._manual(device, ManualOp(op, ComponentKind.DOOR, door, 1, seconds))

    async def lock(self, device: DeviceRef, door: int) -> tuple[ComponentResult, ...]:
        return await self._manual(device, ManualOp(ManualOperation.LOCK_DOOR, ComponentKind.DOOR,
                                                   door, 1, 0))

    async def relay(self, device: DeviceRef, relay: int, on: bool = True, seconds: int = 0
                    ) -> tuple[ComponentResult, ...]:
        if not on:
            op = ManualOperation.DEACTIVATE_RELAY
        else:
            op = ManualOperation.ACTIVATE_RELAY_TIMED if seconds else ManualOperation.ACTIVATE_RELAY
        return await self._manual(device, ManualOp(op, ComponentKind.RELAY, relay, 1,
                                                   seconds if on else 0))

    async def reload(self, device: DeviceRef, site: SiteDescription,
                     when: _dt.datetime | None = None) -> ReloadReport:
        """A full reload (scope 0): BEGIN, the site's records batched per type, END with count."""
        peer = self.resolve(device)
        plan = plan_reload(site.reload_groups(when))
        report = ReloadReport.for_plan(_text(peer), plan)
        before, started = self.traffic.snapshot(), time.perf_counter()
        for message in plan.messages():
            await self._ask(peer, message, Ack, "ACK")
        self._fill(report, before, peer)
        report.seconds = time.perf_counter() - started
        log.info("reload done", device=_text(peer), records=plan.record_count,
                 frames=report.frames_out, wire_bytes=report.wire_bytes_out)
        return report

    async def firmware(self, device: DeviceRef, image: bytes) -> FirmwareReport:
        """128-byte FIRMWARE_BLOCKs (the last zero-padded), then FIRMWARE_END with the CRC-32
        of the image as sent, padding included."""
        if not image:
            raise KantechError("a firmware image cannot be empty")
        peer = self.resolve(device)
        padded = image + bytes(-len(image) % FIRMWARE_CHUNK)
        blocks = len(padded) // FIRMWARE_CHUNK
        if blocks > 0x10000:
            raise KantechError(f"a firmware image holds at most {0x10000} blocks, not {blocks}")
        before, started = self.traffic.snapshot(), time.perf_counter()
        for number in range(blocks):
            chunk = padded[number * FIRMWARE_CHUNK:(number + 1) * FIRMWARE_CHUNK]
            await self._ask(peer, FirmwareBlock(number, chunk), Ack, "ACK")
        crc = zlib.crc32(padded)
        await self._ask(peer, FirmwareEnd(blocks, crc), Ack, "ACK (image accepted)")
        spent = self.traffic.since(before)
        return FirmwareReport(_text(peer), len(image), blocks, crc,
                              spent.frame_count(OUT, _text(peer)),
                              spent.total(OUT, _text(peer)), time.perf_counter() - started)

    async def tunnel(self, device: DeviceRef, items: tuple[TunnelItem, ...]
                     ) -> tuple[TunnelItem, ...]:
        """Serial frames to an IP-Link's loop and what came back (poll_loop builds on it)."""
        reply = await self._ask(device, Tunnel(items), Tunnel, "TUNNEL")
        return reply.items

    def publish(self, source: str, event: ControllerEvent) -> None:
        """Hand an event to every ``events()`` iterator (loop events arrive by polling)."""
        for subscriber in self._subscribers:
            subscriber.put_nowait((source, event))

    async def events(self) -> AsyncGenerator[tuple[str, ControllerEvent], None]:
        """Every controller event from now on, as (device ``host:port``, event)."""
        queue: asyncio.Queue[tuple[str, ControllerEvent]] = asyncio.Queue()
        self._subscribers.append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.remove(queue)

    # -- internals --------------------------------------------------------------------------
    def _driver_link(self) -> UdpLink:
        if self._link is None:
            raise KantechError("the gateway is not started (use `async with`)")
        return self._link

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    async def _manual(self, device: DeviceRef, op: ManualOp) -> tuple[ComponentResult, ...]:
        reply = await self._ask(device, op, ManualOpReply, "MANUAL_OP_REPLY")
        return reply.results

    async def _ask(self, device: DeviceRef, message: Message, expected: type[M],
                   expected_text: str) -> M:
        peer = self.resolve(device)
        sent = message.COMMAND.name
        try:
            reply = await self._driver_link().driver.request(peer, message)
        except RequestTimeoutError as exc:
            raise DeviceTimeoutError(_text(peer), sent, expected_text, f"no reply ({exc})") \
                from None
        answer = reply.message
        if isinstance(answer, expected):
            return answer
        if isinstance(answer, Nak):
            raise DeviceRefusedError(_text(peer), sent, expected_text,
                                     f"NAK {answer.reason.name}")
        raise GatewayError(_text(peer), sent, expected_text, answer.COMMAND.name)

    def _fill(self, report: ReloadReport, before: TrafficCounter, peer: Address) -> None:
        spent, name = self.traffic.since(before), _text(peer)
        report.frames_out = spent.frame_count(OUT, name)
        report.wire_bytes_out = spent.total(OUT, name)
        report.frames_in = spent.frame_count(IN, name)
        report.wire_bytes_in = spent.total(IN, name)

    async def _dispatch(self) -> None:
        queue = self._driver_link().driver.events
        while True:
            event = await queue.get()
            if not isinstance(event, MessageReceived):
                continue
            message = event.message
            if isinstance(message, Announce):
                self._register(event.peer, event.frame.sender_id, message)
            elif isinstance(message, Event):
                self.publish(_text(event.peer), message.event)
            elif isinstance(message, Tunnel):
                if event.frame.event_id == 0:  # the endpoint auto-ACKs only EVENT and ANNOUNCE
                    self.endpoint.send(event.peer, Ack())
                    self._driver_link().driver.pump()
                self._loop_events(event.peer, message)

    def _loop_events(self, peer: Address, tunnel: Tunnel) -> None:
        """Events an IP-Link forwards on its own (its poller found them): ``host:port/loop``."""
        for item in tunnel.items:
            if isinstance(item, SerialFrame) and item.command == Command.EVENT:
                try:
                    message = decode_message(item.command, item.data)
                except KantechError:
                    continue
                if isinstance(message, Event):
                    self.publish(f"{_text(peer)}/{item.address}", message.event)

    def _register(self, peer: Address, sender: bytes, announce: Announce) -> None:
        host, port = peer[0], int(peer[1])
        known = self.devices.get(host)
        self.devices[host] = DeviceInfo(
            host, port, ":".join(f"{b:02x}" for b in sender), announce.model, announce.firmware,
            announce.serial_number, str(announce.ip), self._now())
        if known is None or known.firmware != announce.firmware:
            log.info("device announced", address=_text(peer), model=announce.model.name,
                     firmware=".".join(map(str, announce.firmware)))
        self._announced.set()


def _text(peer: Address) -> str:
    return f"{peer[0]}:{peer[1]}"
