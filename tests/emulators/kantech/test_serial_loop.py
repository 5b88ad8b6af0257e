"""The controller side of the RS-485 loop: sans-IO, over a socat PTY pair, and in-process."""

from __future__ import annotations

import asyncio

import pytest

from emulators.kantech.controller_model import Controller
from emulators.kantech.serial_loop import (
    InProcessLoopLink,
    LoopControllers,
    SerialLoopPort,
    make_loop,
)
from kantech_proto.codes import Command, DeviceModel, NakReason
from kantech_proto.controller_events import decode_event
from kantech_proto.messages import Nak, StatusReply
from kantech_proto.serial_frame import (
    Presence,
    SerialFrame,
    SerialStreamDecoder,
    decode_serial_frame,
    poll_frame,
)
from kantech_proto.transports.serial_link import SerialLink
from protolab.errors import ConfigurationError


def _controller(loop: LoopControllers, address: int) -> Controller:
    controller = loop[address]
    assert isinstance(controller, Controller)
    return controller


def test_poll_answers_presence_then_one_event_per_poll() -> None:
    loop = make_loop(3)
    assert [loop[a].model for a in (1, 2, 3)] == [DeviceModel.KT_100, DeviceModel.KT_300,
                                                  DeviceModel.KT_100]
    assert loop.feed(poll_frame(1), 0.0) == b"\x81"
    _controller(loop, 2).present_card(1, 1234, now=1.0)
    _controller(loop, 2).present_card(1, 5678, now=1.0)
    first = decode_serial_frame(loop.feed(poll_frame(2), 2.0))
    assert (first.address, first.command) == (2, Command.EVENT)
    assert decode_event(first.data).component == 1
    assert decode_serial_frame(loop.feed(poll_frame(2), 2.1)).command == Command.EVENT
    assert loop.feed(poll_frame(2), 2.2) == b"\x82"  # both events gone: presence again
    assert loop.stats.polls == {1: 1, 2: 3}
    assert loop.stats.events_sent == 2


def test_request_answered_by_addressed_controller_only() -> None:
    loop = make_loop([DeviceModel.KT_100, DeviceModel.KT_300, DeviceModel.KT_300])
    reply = decode_serial_frame(loop.feed(SerialFrame(3, Command.STATUS_QUERY).encode(), 0.0))
    assert (reply.address, reply.command) == (3, Command.STATUS_REPLY)
    assert StatusReply.decode_data(reply.data).status.model == DeviceModel.KT_300
    assert loop.feed(SerialFrame(9, Command.STATUS_QUERY).encode(), 0.0) == b""  # absent
    assert loop.feed(SerialFrame(1, Command.ACK).encode(), 0.0) == b""  # a reply on the bus
    bad = decode_serial_frame(loop.feed(SerialFrame(1, Command.SET_DATETIME, b"\x01").encode(),
                                        0.0))
    assert Nak.decode_data(bad.data) == Nak(NakReason.BAD_DATA)
    assert loop.stats.unanswered == 2


def test_garbage_is_skipped() -> None:
    loop = make_loop(2)
    out = loop.feed(b"\x00\x80\x00" + poll_frame(1) + b"\x00" + poll_frame(2), 0.0)
    assert out == b"\x81\x82"
    assert loop.dropped_bytes == 4
    # split across feeds, as a serial port delivers it
    frame = poll_frame(2)
    assert loop.feed(frame[:2], 0.0) == b"" and loop.feed(frame[2:], 0.0) == b"\x82"


def test_loop_refuses_ip_models_and_bad_addresses() -> None:
    with pytest.raises(ConfigurationError, match="KT_400"):
        make_loop([DeviceModel.KT_400])
    with pytest.raises(ConfigurationError, match="loop address 0"):
        LoopControllers({0: make_loop(1)[1]})


async def test_loop_over_socat_pty_pair(socat_pty_pair: tuple[str, str]) -> None:
    master_path, loop_path = socat_pty_pair
    loop = make_loop(3)
    port = await SerialLoopPort.open(loop, loop_path)
    link = await SerialLink.open(master_path)
    try:
        for address in (1, 2, 3):
            await link.send(poll_frame(address))
            assert await link.receive(2.0) == Presence(address)
        _controller(loop, 2).present_card(1, 42, now=asyncio.get_running_loop().time())
        await link.send(b"\x00\x00\x80")  # garbage toward the loop first
        await link.send(poll_frame(2))
        item = await link.receive(2.0)
        assert isinstance(item, SerialFrame) and item.command == Command.EVENT
        await link.send(SerialFrame(3, Command.STATUS_QUERY))
        reply = await link.receive(2.0)
        assert isinstance(reply, SerialFrame) and reply.command == Command.STATUS_REPLY
        await link.send(poll_frame(7))  # nobody at 7: silence
        with pytest.raises(TimeoutError):
            await link.receive(0.1)
        assert loop.dropped_bytes == 3
    finally:
        await link.close()
        await port.close()


async def test_in_process_link() -> None:
    loop = make_loop(2)
    link = InProcessLoopLink(loop)
    await link.send(poll_frame(2))
    assert await link.receive(0.1) == Presence(2)
    await link.send(SerialFrame(1, Command.STATUS_QUERY))
    reply = await link.receive(0.1)
    assert isinstance(reply, SerialFrame) and reply.address == 1
    with pytest.raises(TimeoutError):
        await link.receive(0.01)
    await link.close()
    decoder = SerialStreamDecoder()
    assert decoder.feed(b"\x81") == [Presence(1)]
