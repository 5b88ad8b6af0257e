"""The IP-Link: polls a serial loop (real PTY pair or in-process) and tunnels it to the gateway."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from emulators.kantech.controller_model import Controller
from emulators.kantech.fleet_config import DeviceConfig
from emulators.kantech.iplink_device import IpLinkDevice, make_iplink
from emulators.kantech.iplink_master import LoopTransport
from emulators.kantech.iplink_poller import IpLinkPoller
from emulators.kantech.iplink_runtime import IpLinkRuntime
from emulators.kantech.model_factory import iplink_model_factory
from emulators.kantech.serial_loop import (
    InProcessLoopLink,
    LoopControllers,
    SerialLoopPort,
    make_loop,
)
from kantech_proto.codes import Command, DeviceModel, NakReason
from kantech_proto.controller_events import decode_event
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.messages import (
    Ack,
    Nak,
    Poll,
    SetDateTime,
    StatusQuery,
    StatusReply,
    Tunnel,
)
from kantech_proto.serial_frame import Presence, SerialFrame
from kantech_proto.transports.serial_link import SerialLink
from protolab.clock import ManualClock
from protolab.errors import ConfigurationError

MAC = bytes.fromhex("000b4c0000aa")


class GarblingLoop(LoopControllers):
    """A loop whose line picks up noise in front of every answer from controller 2."""

    def answer(self, item: Any, now: float) -> bytes:
        out = super().answer(item, now)
        return b"\x00\x80\x00" + out if getattr(item, "address", None) == 2 and out else out


def _config(gw: Any, site: Any, loop_size: int) -> DeviceConfig:
    return DeviceConfig(index=0, model=DeviceModel.IP_LINK, address="127.0.0.1", mac=MAC,
                        serial_number="IPLINK0001", key=site.key, site_id=site.id,
                        gateway=("127.0.0.1", gw.address[1]), device_port=0, discovery_port=0,
                        pulse=0.5, loop_size=loop_size, tftp_port=0)


@pytest.fixture
async def pty_iplink(socat_pty_pair: tuple[str, str], gateway: Any,
                     site: Any) -> AsyncIterator[Callable[..., Any]]:
    """Start an IP-Link whose loop (controllers 1..3) is on the other end of a PTY pair."""
    started: list[tuple[IpLinkRuntime, SerialLink, SerialLoopPort]] = []

    async def start(**options: Any) -> tuple[IpLinkRuntime, LoopControllers, SerialLink]:
        master_path, loop_path = socat_pty_pair
        loop = GarblingLoop(make_loop(3).controllers)
        port = await SerialLoopPort.open(loop, loop_path)
        link = await SerialLink.open(master_path)
        runtime = IpLinkRuntime(_config(gateway, site, 3), IpLinkDevice(MAC, "IPLINK0001"),
                                link, **options)
        await runtime.start()
        started.append((runtime, link, port))
        return runtime, loop, link

    yield start
    for runtime, link, port in started:
        await runtime.close()
        await link.close()
        await port.close()


async def _wait(predicate: Callable[[], bool], timeout: float = 3.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


async def test_iplink_polls_pty_loop_and_tunnels(pty_iplink: Callable[..., Any],
                                                 gateway: Any) -> None:
    runtime, loop, link = await pty_iplink()
    poller = runtime.poller
    await _wait(lambda: loop.stats.presences_sent >= 9)  # answered, not only sent
    assert list(poller.order)[:9] == [1, 2, 3] * 3
    assert not poller.stats.timeouts
    assert set(poller.stats.bytes_by_address) == {1, 2, 3}
    assert poller.stats.bytes_by_address[1] >= 5 * 3  # 4-byte poll + 1-byte presence each

    # a card at controller 2: the next poll of 2 brings an EVENT, forwarded as TUNNEL
    controller = loop[2]
    assert isinstance(controller, Controller)
    controller.present_card(1, 31337, now=runtime.now())
    await gateway.wait_for(lambda _: bool(gateway.messages(Tunnel)))
    tunnel = gateway.messages(Tunnel)[0].message
    (frame,) = tunnel.items
    assert isinstance(frame, SerialFrame)
    assert (frame.address, frame.command) == (2, Command.EVENT)
    assert decode_event(frame.data).card_number == 31337
    assert poller.stats.events[2] == 1

    # a STATUS_QUERY tunneled to address 3
    reply = await gateway.link.driver.request(runtime.local_address,
                                              Tunnel((SerialFrame(3, Command.STATUS_QUERY),)))
    assert isinstance(reply.message, Tunnel)
    (answer,) = reply.message.items
    assert isinstance(answer, SerialFrame)
    assert (answer.address, answer.command) == (3, Command.STATUS_REPLY)
    assert StatusReply.decode_data(answer.data).status.model == DeviceModel.KT_100

    # the IP-Link's own requests
    status = await gateway.link.driver.request(runtime.local_address, StatusQuery())
    assert isinstance(status.message, StatusReply)
    assert status.message.status.model == DeviceModel.IP_LINK

    # the noise in front of every answer from 2 was skipped, not fatal
    assert link.stats.dropped_bytes > 0
    await _wait(lambda: sum(poller.stats.polls.values()) >= 30)
    assert not poller.stats.timeouts


async def test_poll_rate_respects_configured_bytes_per_second(
        pty_iplink: Callable[..., Any]) -> None:
    runtime, _, _ = await pty_iplink(rate=500.0)
    stats = runtime.poller.stats
    await _wait(lambda: stats.bytes_sent > 0)
    loop = asyncio.get_running_loop()
    t0, b0 = loop.time(), stats.bytes_sent + stats.bytes_received
    await asyncio.sleep(0.6)
    rate = (stats.bytes_sent + stats.bytes_received - b0) / (loop.time() - t0)
    assert 500 * 0.7 <= rate <= 500 * 1.3, rate
    assert 500 * 0.7 <= stats.measured_rate() <= 500 * 1.3


async def test_in_process_loop_absent_address_times_out(gateway: Any, site: Any) -> None:
    clock = ManualClock()
    loop = make_loop(2)
    link: LoopTransport = InProcessLoopLink(loop, clock)
    runtime = IpLinkRuntime(_config(gateway, site, 3), IpLinkDevice(MAC, "IPLINK0002"), link,
                            rate=5000.0, reply_timeout=0.02, clock=clock)
    await runtime.start()
    try:
        poller = runtime.poller
        await clock.advance_async(0.0)
        assert list(poller.order) == [1]  # answered at once; the next poll waits for its slot
        assert poller.stats.first_exchange == 0.0
        await clock.advance_async(0.001)  # 5 bytes at 5000 bytes/s
        assert list(poller.order) == [1, 2]
        await clock.advance_async(0.001)
        assert list(poller.order) == [1, 2, 3]  # nobody at 3: it waits for the reply timeout
        await clock.advance_async(0.0199)
        assert poller.stats.timeouts[3] == 0
        await clock.advance_async(0.0002)
        assert poller.stats.timeouts[3] == 1
        # the silent 20 ms left the schedule behind: the next round catches up at once
        assert list(poller.order) == [1, 2, 3, 1, 2, 3]
        while poller.stats.timeouts[3] < 2:
            await clock.advance_async(0.005)
        assert list(poller.order)[:6] == [1, 2, 3, 1, 2, 3]
        request = asyncio.ensure_future(gateway.link.driver.request(
            runtime.local_address, Tunnel((SerialFrame(3, Command.STATUS_QUERY),))))
        while not request.done():  # the tunnel waits for its reply timeout on the IP-Link
            await clock.advance_async(0.005)
            await asyncio.sleep(0.001)  # and the answer crosses a real socket
        assert request.result().message == Nak(NakReason.BAD_DATA)  # nobody at 3 answered
    finally:
        await runtime.close()


def test_poller_order_and_pacing() -> None:
    poller = IpLinkPoller(3, rate=1000.0)
    assert [poller.next_address() for _ in range(7)] == [1, 2, 3, 1, 2, 3, 1]
    assert poller.record(1, 4, 1, 10.0) == pytest.approx(10.005)
    assert poller.record(2, 4, 1, 10.001) == pytest.approx(10.010)  # on the byte schedule
    assert poller.record(3, 4, 0, 11.0) == pytest.approx(11.0 - 0.05 + 0.004)  # bounded catch-up
    assert poller.poll_reply(3, None) is None and poller.stats.timeouts[3] == 1
    event = SerialFrame(1, Command.EVENT, b"x")
    assert poller.poll_reply(1, event) == Tunnel((event,))
    assert poller.poll_reply(1, Presence(1)) is None
    with pytest.raises(ConfigurationError, match="loop size 0"):
        IpLinkPoller(0)


def test_make_iplink_answers_inline_for_the_fleet() -> None:
    device = make_iplink(MAC, "IPLINK0003", 2)
    assert device.model == DeviceModel.IP_LINK
    assert device.announce("10.0.0.2", "255.0.0.0", "10.0.0.1").model == DeviceModel.IP_LINK
    assert device.loop is not None
    controller = device.loop[1]
    assert isinstance(controller, Controller)
    controller.present_card(1, 7, now=0.0)
    assert device.events_waiting and device.take_events() == []
    reply = device.handle_request(Tunnel((SerialFrame(1, Command.POLL),
                                          SerialFrame(2, Command.POLL))), 1.0)
    assert isinstance(reply, Tunnel)
    assert [type(i) for i in reply.items] == [SerialFrame, Presence]
    assert not device.events_waiting
    when = KantechDateTime(2024, 5, 1, 12, 0, 0, 2)
    assert device.handle_request(SetDateTime(when), 1.0) == Ack()
    status = device.handle_request(StatusQuery(), 11.0)
    assert isinstance(status, StatusReply) and status.status.clock is not None
    assert status.status.clock.second == 10
    assert device.handle_request(Poll(), 1.0) == Nak(NakReason.UNKNOWN_COMMAND)
    assert IpLinkDevice(MAC, "X").handle_request(Tunnel((Presence(1),)), 0.0) == \
        Nak(NakReason.NOT_ALLOWED)


async def test_fleet_runs_inline_iplink(gateway: Any, make_fleet: Callable[..., Any],
                                        settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, iplink=1, loop_size=3),
                             model_factory=iplink_model_factory)
    assert not fleet.skipped
    device = fleet.devices[0]
    assert device.model.model == DeviceModel.IP_LINK
    reply = await gateway.link.driver.request(
        device.local_address, Tunnel((SerialFrame(3, Command.POLL),
                                      SerialFrame(2, Command.STATUS_QUERY))))
    assert isinstance(reply.message, Tunnel)
    presence, status = reply.message.items
    assert presence == Presence(3)
    assert isinstance(status, SerialFrame) and status.command == Command.STATUS_REPLY
