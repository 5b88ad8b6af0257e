"""``protolab kantech demo``: a small lab on loopback that shows the protocol core at work.

A simulated gateway discovers a few devices by their ANNOUNCE, sets their clocks, polls their
status and runs manual operations, while the devices heartbeat and report card swipes as EVENTs.
The devices here are deliberately thin: the full controller emulators replace them.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import random
from dataclasses import dataclass

from kantech_proto.codes import ComponentKind, DeviceModel, ManualOperation, Port
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import (
    ComponentResult,
    ControllerStatus,
    DoorLockState,
    DoorStatus,
)
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.device_endpoint import DeviceEndpoint
from kantech_proto.endpoint_events import MessageReceived, RequestReceived
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import (
    Ack,
    Announce,
    Event,
    ManualOp,
    ManualOpReply,
    Message,
    Pulse,
    SetDateTime,
    StatusQuery,
    StatusReply,
    message_fields,
)
from kantech_proto.transports.udp import UdpLink
from protolab.log_setup import get_logger

log = get_logger("kantech.demo")


@dataclass
class DemoDevice:
    link: UdpLink
    model: DeviceModel
    serial: str
    doors: list[DoorLockState]
    clock: KantechDateTime | None = None

    @property
    def endpoint(self) -> DeviceEndpoint:
        endpoint = self.link.driver.endpoint
        assert isinstance(endpoint, DeviceEndpoint)
        return endpoint

    def announce(self) -> Announce:
        host = self.link.local_address[0]
        return Announce(self.model, (1, 0, 0), self.serial, ipaddress.IPv4Address(host),
                        ipaddress.IPv4Address("255.0.0.0"), ipaddress.IPv4Address("127.0.0.1"))

    def answer(self, request: RequestReceived) -> Message:
        message = request.message
        if isinstance(message, SetDateTime):
            self.clock = message.when
            return Ack()
        if isinstance(message, ManualOp) and message.kind is ComponentKind.DOOR:
            results = []
            for index in range(message.first_index, message.first_index + message.count):
                if index <= len(self.doors):
                    unlocked = message.operation is not ManualOperation.LOCK_DOOR
                    self.doors[index - 1] = (DoorLockState.UNLOCKED if unlocked
                                             else DoorLockState.LOCKED)
                results.append(ComponentResult(ComponentKind.DOOR, index, message.operation,
                                               state=int(self.doors[min(index, len(self.doors)) - 1])))
            return ManualOpReply(tuple(results))
        return StatusReply(ControllerStatus(
            self.model, (1, 0, 0), self.clock, events_queued=self.endpoint.queued,
            doors=tuple(DoorStatus(state) for state in self.doors)))

    async def run(self, pulse: float) -> None:
        driver = self.link.driver
        self.endpoint.send_reliable(self.announce(), driver.now())
        driver.pump()
        next_pulse = driver.now()
        while True:
            timeout = max(0.0, next_pulse - driver.now())
            try:
                event = await asyncio.wait_for(driver.events.get(), timeout)
            except TimeoutError:
                self.endpoint.send(Pulse(self.endpoint.queued > 0))
                if random.random() < 0.5:
                    self._swipe()
                driver.pump()
                next_pulse = driver.now() + pulse
                continue
            if isinstance(event, RequestReceived):
                self.endpoint.reply(event, self.answer(event))
                driver.pump()

    def _swipe(self) -> None:
        when = self.clock or KantechDateTime.from_datetime(datetime.datetime.now())
        door = random.randrange(1, len(self.doors) + 1)
        event = ControllerEvent.access(when, door, random.randrange(1, 2**32))
        self.endpoint.send_reliable(Event(event), self.link.driver.now())


async def run_demo(devices: int, key: str, site_id: int, pulse: float, duration: float | None,
                   gateway_port: int) -> None:
    gw = await UdpLink.open(GatewayEndpoint(IpFrameCodec(key), site_id, b"\x5e\x55" + bytes(4)),
                            ("127.0.0.1", gateway_port), name="gateway")
    log.info("gateway listening", address=f"127.0.0.1:{gw.local_address[1]}", site_id=site_id)
    fleet: list[DemoDevice] = []
    tasks = []
    for i in range(devices):
        model = DeviceModel.KT_400 if i % 2 == 0 else DeviceModel.KT_1
        mac = bytes.fromhex("00a0c2") + (0x200000 + i).to_bytes(3, "big")
        endpoint = DeviceEndpoint(IpFrameCodec(key), site_id, mac, gw.local_address)
        link = await UdpLink.open(endpoint, (f"127.20.0.{i + 1}", 0), name=f"device-{i + 1}")
        doors = [DoorLockState.LOCKED] * (4 if model is DeviceModel.KT_400 else 1)
        fleet.append(DemoDevice(link, model, f"{model.name}-{i + 1:05d}", doors))
        tasks.append(asyncio.create_task(fleet[-1].run(pulse)))
    tasks.append(asyncio.create_task(_gateway_loop(gw)))
    try:
        if duration is None:
            await asyncio.gather(*tasks)
        else:
            await asyncio.sleep(duration)
    finally:
        for task in tasks:
            task.cancel()
        for device in fleet:
            device.link.close()
        gw.close()


async def _gateway_loop(gw: UdpLink) -> None:
    driver = gw.driver
    known: set[tuple[str, int]] = set()
    configuring: set[asyncio.Task[None]] = set()
    while True:
        event = await driver.events.get()
        if not isinstance(event, MessageReceived):
            continue
        message = event.message
        if isinstance(message, Announce) and event.peer not in known:
            known.add(event.peer)
            log.info("device announced", peer=f"{event.peer[0]}:{event.peer[1]}",
                     model=message.model.name, serial=message.serial_number)
            configuring.add(asyncio.create_task(_configure(driver, event.peer)))
        elif isinstance(message, Event):
            log.info("event", peer=event.peer[0], **message.event.as_dict())


async def _configure(driver: object, peer: tuple[str, int]) -> None:
    from kantech_proto.transports.endpoint_driver import EndpointDriver

    assert isinstance(driver, EndpointDriver)
    now = KantechDateTime.from_datetime(datetime.datetime.now().replace(microsecond=0))
    await driver.request(peer, SetDateTime(now))
    reply = await driver.request(peer, ManualOp(ManualOperation.UNLOCK_DOOR_TIMED,
                                                ComponentKind.DOOR, 1, 1, 5))
    log.info("door unlocked", peer=peer[0], **message_fields(reply.message))
    while True:
        status = await driver.request(peer, StatusQuery())
        if isinstance(status.message, StatusReply):
            log.info("status", peer=peer[0], **status.message.status.as_dict())
        await asyncio.sleep(10)


DEFAULT_GATEWAY_PORT = int(Port.DEVICE_TO_GATEWAY_UDP)
