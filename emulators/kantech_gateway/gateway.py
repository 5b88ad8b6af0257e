"""``SimulatedGateway``: an EntraPass gateway in a test or on the command line.

It owns one UDP socket (the gateway port devices announce and report to) and moves bytes; the
decisions live in sans-IO pieces: the endpoint (requests, retries, replay), ``ack_policy`` (what
is acknowledged on arrival), ``device_registry`` (who announced), ``firmware_chunks`` and
``reload_plan`` (what a transfer sends) and ``tunnel_events`` (events inside TUNNELs). Every
request becomes one awaited reply, and a NAK or an unexpected reply becomes an error that names
the device, its address and what was expected, the three things a lab engineer needs.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import os
from collections.abc import AsyncGenerator
from typing import TypeVar

from emulators.kantech.wire_observer import ObservedDriver, ObservedTcpServer, WireObserver
from emulators.kantech_gateway.ack_policy import needs_ack
from emulators.kantech_gateway.device_registry import DeviceInfo, DeviceRef, DeviceRegistry
from emulators.kantech_gateway.firmware_chunks import FirmwareReport, chunk_firmware
from emulators.kantech_gateway.reload_plan import ReloadPlan, ReloadReport, plan_reload
from emulators.kantech_gateway.site_description import SiteDescription
from emulators.kantech_gateway.traffic import (
    IN,
    OUT,
    CountingGatewayEndpoint,
    TrafficCounter,
    peer_text,
)
from emulators.kantech_gateway.tunnel_events import loop_events
from kantech_proto.codes import Command, ComponentKind, ManualOperation, NakReason, Port
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import ComponentResult, ControllerStatus
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.endpoint_events import Address, MessageReceived
from kantech_proto.errors import KantechError
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import (
    Ack,
    Announce,
    Discover,
    Event,
    ManualOp,
    ManualOpReply,
    Message,
    Nak,
    SetDateTime,
    StatusQuery,
    StatusReply,
    Tunnel,
    TunnelItem,
)
from kantech_proto.serial_frame import SerialFrame
from kantech_proto.transports.endpoint_driver import EndpointDriver, RequestTimeoutError
from kantech_proto.transports.udp import UdpLink
from kantech_proto.wire_profile import WireProfile
from protolab.clock import Clock, SystemClock
from protolab.errors import bind_failure
from protolab.logs import get_logger

log = get_logger("kantech.gateway")
M = TypeVar("M")


class GatewayError(KantechError):
    """A device did not do what the gateway asked."""

    def __init__(self, device: str, sent: str, expected: str, got: str) -> None:
        super().__init__(f"device {device}: sent {sent}, expected {expected}, got {got}")
        self.device, self.sent, self.expected, self.got = device, sent, expected, got


class DeviceRefusedError(GatewayError):
    """The device answered NAK."""


class DeviceTimeoutError(GatewayError):
    """No reply after every retry."""


class SimulatedGateway:
    """One site's gateway: ``async with SimulatedGateway(key, site_id) as gw: ...``.

    ``clock`` times retries, waits and reports (the real clock by default).
    """

    def __init__(self, key: str, site_id: int, listen: tuple[str, int] = (
                 "127.0.0.1", int(Port.DEVICE_TO_GATEWAY_UDP)),
                 discovery_port: int = int(Port.DISCOVERY_BROADCAST_UDP),
                 profile: WireProfile | None = None, retry_interval: float = 1.0,
                 attempts: int = 3, session_id: bytes | None = None,
                 clock: Clock | None = None, tcp_listen: tuple[str, int] | None = None,
                 observer: WireObserver | None = None) -> None:
        """``session_id`` defaults to a new random one per gateway: devices keep a replay
        window per sender id, so a restarted gateway starts a new window instead of being
        refused for its low sequence numbers. ``tcp_listen`` also accepts devices over TCP.
        ``observer`` sees every datagram received and every chunk sent (``--pcap``)."""
        self.observer = observer
        self.key, self.site_id, self.listen = key, site_id, listen
        self.tcp_listen = tcp_listen
        self._tcp: ObservedTcpServer | None = None
        self.discovery_port = discovery_port
        self.clock: Clock = clock or SystemClock()
        self.traffic = TrafficCounter()
        self.endpoint = CountingGatewayEndpoint(
            IpFrameCodec(key, profile or WireProfile()), site_id,
            session_id or os.urandom(6), retry_interval=retry_interval, max_attempts=attempts,
            traffic=self.traffic, ack_policy=needs_ack)
        self.registry = DeviceRegistry()
        self._link: UdpLink | None = None
        self._task: asyncio.Task[None] | None = None
        self._subscribers: list[asyncio.Queue[tuple[str, ControllerEvent]]] = []
        self._announced = asyncio.Event()

    async def __aenter__(self) -> SimulatedGateway:
        host, port = self.listen
        try:
            self._link = await UdpLink.open(self.endpoint, self.listen, broadcast=True,
                                            name="gateway", clock=self.clock)
        except OSError as exc:
            raise bind_failure(exc, host, port, flag="--listen",
                               what="the gateway socket") from None
        self._link.driver.close()  # one driver for both links: replies go where requests came
        if self.observer is None:
            self._link.driver = EndpointDriver(self.endpoint, self._send, name="gateway",
                                               clock=self.clock)
        else:
            self._link.driver = ObservedDriver(self.endpoint, self._send, self.observer,
                                               lambda: self.address, name="gateway",
                                               clock=self.clock)
        if self.tcp_listen is not None:
            try:
                server = await ObservedTcpServer.open(self.endpoint, *self.tcp_listen,
                                                      name="gateway-tcp", clock=self.clock)
            except OSError as exc:
                self._link.close()
                raise bind_failure(exc, *self.tcp_listen, flag="--tcp-listen",
                                   what="the gateway's TCP port") from None
            assert isinstance(server, ObservedTcpServer)
            server.driver.close()
            server.driver = self._link.driver
            server.observer, server.observer_clock = self.observer, self.clock
            self._tcp = server
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
        if self._tcp is not None:
            await self._tcp.close()
        if self._link is not None:
            self._link.close()

    def _send(self, data: bytes, peer: Address) -> None:
        if self._tcp is not None and peer in self._tcp.peers:
            self._tcp.send(data, peer)
            if self.observer is not None:
                self.observer("sent", self._tcp.local_address, peer, "tcp", data,
                              self.clock.wall())
        elif self._link is not None:
            self._link.send(data, peer)
            if self.observer is not None:
                self.observer("sent", self.address, peer, "udp", data, self.clock.wall())

    @property
    def tcp_address(self) -> tuple[str, int] | None:
        """Where devices connect over TCP, when ``tcp_listen`` was given."""
        return self._tcp.local_address if self._tcp is not None else None

    @property
    def address(self) -> tuple[str, int]:
        """Where the gateway really listens (the chosen port when ``listen`` asked for 0)."""
        return self._driver_link().local_address

    # -- devices ----------------------------------------------------------------------------
    @property
    def devices(self) -> dict[str, DeviceInfo]:
        """Every device that announced, by host."""
        return self.registry.devices

    def resolve(self, device: DeviceRef) -> tuple[str, int]:
        """``host[:port]``, a tuple or a DeviceInfo; a bare host takes its announced port."""
        return self.registry.resolve(device)

    async def discover(self, broadcast: tuple[str, int] | None = None,
                       wait: float = 1.0) -> list[DeviceInfo]:
        """Send DISCOVER and return the devices that announced during ``wait`` seconds."""
        target = broadcast or ("127.255.255.255", self.discovery_port)
        started = self.clock.now()
        self.endpoint.send(target, Discover())
        self._driver_link().driver.pump()
        await self.clock.sleep(wait)
        return self.registry.announced_since(started)

    async def wait_for_device(self, host: str, timeout: float = 3.0) -> DeviceInfo:
        """The device's registry entry, waiting for its first ANNOUNCE if needed."""
        await self.clock.wait_for(self._announcement_of(host), timeout)
        return self.registry[host]

    async def _announcement_of(self, host: str) -> None:
        while host not in self.registry:
            self._announced.clear()
            await self._announced.wait()

    # -- requests ---------------------------------------------------------------------------
    async def status(self, device: DeviceRef) -> ControllerStatus:
        reply = await self._ask(device, StatusQuery(), StatusReply, "STATUS_REPLY")
        return reply.status

    async def set_time(self, device: DeviceRef, when: _dt.datetime | None = None
                       ) -> KantechDateTime:
        """Set the device's clock to ``when`` (default: the gateway clock's local time)."""
        stamp = KantechDateTime.from_datetime((when or self._local_now()).replace(microsecond=0))
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

    def plan(self, site: SiteDescription, when: _dt.datetime | None = None, scope: int = 0
             ) -> ReloadPlan:
        """What ``reload`` sends: the site's records (its global system record carrying this
        gateway's site id), batched per type; ``scope`` 0 for all, else one record type."""
        groups = site.reload_groups(when or self._local_now(), self.site_id, scope)
        return plan_reload(groups, scope=scope)

    async def reload(self, device: DeviceRef, site: SiteDescription,
                     when: _dt.datetime | None = None, scope: int = 0) -> ReloadReport:
        """A reload: BEGIN, the site's records batched per type, END with the count; scope 0
        (full) or one record type. The controller's clock is set to ``when`` (default: the
        gateway clock's local time)."""
        peer = self.resolve(device)
        plan = self.plan(site, when, scope)
        report = ReloadReport.for_plan(peer_text(peer), plan)
        before, started = self.traffic.snapshot(), self.clock.now()
        for message in plan.messages():
            await self._ask(peer, message, Ack, "ACK")
        self._fill(report, before, peer)
        report.seconds = self.clock.now() - started
        log.info("reload done", device=peer_text(peer), records=plan.record_count,
                 frames=report.frames_out, wire_bytes=report.wire_bytes_out)
        return report

    async def firmware(self, device: DeviceRef, image: bytes,
                       loop_address: int | None = None) -> FirmwareReport:
        """128-byte FIRMWARE_BLOCKs (the last zero-padded), then FIRMWARE_END with the CRC-32
        of the image as sent, padding included. With ``loop_address`` the device is an IP-Link
        and the image goes to that controller of its loop, each block a 134-byte serial
        FIRMWARE_BLOCK frame inside a TUNNEL."""
        chunks = chunk_firmware(image)
        peer = self.resolve(device)
        before, started = self.traffic.snapshot(), self.clock.now()
        for block in chunks.blocks():
            await self._ask_maybe_loop(peer, block, loop_address, "ACK")
        await self._ask_maybe_loop(peer, chunks.end(), loop_address, "ACK (image accepted)")
        spent, name = self.traffic.since(before), peer_text(peer)
        return FirmwareReport(name, chunks.size, chunks.block_count, chunks.crc32,
                              spent.frame_count(OUT, name), spent.total(OUT, name),
                              self.clock.now() - started)

    async def _ask_maybe_loop(self, peer: tuple[str, int], message: Message,
                              loop_address: int | None, expected: str) -> None:
        if loop_address is None:
            await self._ask(peer, message, Ack, expected)
            return
        frame = SerialFrame(loop_address, message.COMMAND, message.encode_data())
        answers = await self.tunnel(peer, (frame,))
        answer = next((a for a in answers if isinstance(a, SerialFrame)
                       and a.address == loop_address), None)
        if answer is None or answer.command != Command.ACK:
            got = "nothing" if answer is None else answer.command.name
            if answer is not None and answer.command == Command.NAK and answer.data:
                got = f"NAK {NakReason(answer.data[0]).name}"
            raise DeviceRefusedError(f"{peer_text(peer)}/{loop_address}",
                                     message.COMMAND.name, expected, got)

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

    def _local_now(self) -> _dt.datetime:
        return _dt.datetime.fromtimestamp(self.clock.wall())

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
            raise DeviceTimeoutError(peer_text(peer), sent, expected_text,
                                     f"no reply ({exc})") from None
        answer = reply.message
        if isinstance(answer, expected):
            return answer
        if isinstance(answer, Nak):
            raise DeviceRefusedError(peer_text(peer), sent, expected_text,
                                     f"NAK {answer.reason.name}")
        raise GatewayError(peer_text(peer), sent, expected_text, answer.COMMAND.name)

    def _fill(self, report: ReloadReport, before: TrafficCounter, peer: Address) -> None:
        spent, name = self.traffic.since(before), peer_text(peer)
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
            message, source = event.message, peer_text(event.peer)
            if isinstance(message, Announce):
                info = self.registry.register(event.peer, event.frame.sender_id, message,
                                              self.clock.now())
                if info is not None:
                    log.info("device announced", address=source, model=message.model.name,
                             firmware=".".join(map(str, message.firmware)))
                self._announced.set()
            elif isinstance(message, Event):
                self.publish(source, message.event)
            elif isinstance(message, Tunnel):  # events an IP-Link's own polling found
                for address, loop_event in loop_events(message.items):
                    self.publish(f"{source}/{address}", loop_event)
