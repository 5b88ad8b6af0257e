"""The serial adapter over a real pseudo-terminal pair made by socat: no mock of the port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from structlog.testing import capture_logs

from kantech_proto.codes import Command
from kantech_proto.serial_frame import Presence, SerialFrame, SerialItem, poll_frame
from kantech_proto.transports.serial_link import SerialLink, SerialLinkClosedError

TIMEOUT = 3.0
STATUS = SerialFrame(5, Command.STATUS_REPLY, bytes(range(63)))


@pytest.fixture
async def links(socat_pty_pair: tuple[str, str]) -> AsyncIterator[tuple[SerialLink, SerialLink]]:
    """The gateway's end and a controller's end of one loop."""
    gateway = await SerialLink.open(socat_pty_pair[0], 9600)
    controller = await SerialLink.open(socat_pty_pair[1], 9600, idle_flush=0.2)
    try:
        yield gateway, controller
    finally:
        await gateway.close()
        await controller.close()


async def test_poll_presence_and_frames_both_ways(links: tuple[SerialLink, SerialLink]) -> None:
    gateway, controller = links
    await gateway.send(SerialFrame(5, Command.POLL))
    assert await controller.receive(TIMEOUT) == SerialFrame(5, Command.POLL)
    await controller.send(Presence(5))
    assert await gateway.receive(TIMEOUT) == Presence(5)
    await gateway.send(poll_frame(5))
    assert await controller.receive(TIMEOUT) == SerialFrame(5, Command.POLL)
    await controller.send(STATUS)
    assert await gateway.receive(TIMEOUT) == STATUS
    assert gateway.stats.bytes_out == 8 and gateway.stats.bytes_in == 1 + 67
    assert controller.stats.frames_in == 2 and gateway.stats.presences_in == 1
    assert gateway.stats.dropped_bytes == controller.stats.dropped_bytes == 0


async def test_frame_split_across_writes_comes_out_once(
        links: tuple[SerialLink, SerialLink]) -> None:
    gateway, controller = links
    raw = STATUS.encode()
    for a, b in ((0, 1), (1, 3), (3, 40), (40, len(raw))):
        await controller.send(raw[a:b])
        await asyncio.sleep(0.02)
    assert await gateway.receive(TIMEOUT) == STATUS
    with pytest.raises(TimeoutError):
        await gateway.receive(0.1)


async def test_garbage_then_a_valid_frame(links: tuple[SerialLink, SerialLink]) -> None:
    gateway, controller = links
    with capture_logs() as logs:
        await gateway.send(b"\x00\x80\x05\x11" + poll_frame(7))
        assert await controller.receive(TIMEOUT) == SerialFrame(7, Command.POLL)
    stats = controller.stats
    # 00 and 80 are noise; 05 11 and 11 07 are candidates with unknown command codes
    assert stats.dropped_bytes == 4 and stats.bad_frames == 2
    warnings = [e for e in logs if e["event"] == "serial garbage dropped"]
    assert warnings and all(e["port"] == controller.port for e in warnings)
    assert "".join(e["garbage"] for e in warnings) == "00800511"


async def test_many_frames_and_presences_in_one_burst(links: tuple[SerialLink, SerialLink]) -> None:
    gateway, controller = links
    sent: list[SerialItem] = []
    for address in range(1, 128):
        sent.append(Presence(address) if address % 3 else
                    SerialFrame(address, Command.EVENT, bytes([address]) * 13))
    await controller.send(b"".join(item.encode() for item in sent))
    got = [await gateway.receive(TIMEOUT) for _ in sent]
    assert got == sent


async def test_idle_flush_releases_a_frame_behind_a_stuck_candidate(
        links: tuple[SerialLink, SerialLink]) -> None:
    gateway, controller = links  # the controller's end flushes after 0.2 s of silence
    await gateway.send(b"\x05\x10\x05" + poll_frame(3))
    assert await controller.receive(TIMEOUT) == SerialFrame(3, Command.POLL)
    assert controller.stats.bad_frames == 3


async def test_close_ends_receive_send_and_iteration(links: tuple[SerialLink, SerialLink]) -> None:
    gateway, controller = links
    await gateway.send(poll_frame(1) + poll_frame(2))
    seen = []
    async for item in controller:
        seen.append(item)
        if len(seen) == 2:
            await controller.close()
    assert seen == [SerialFrame(1, Command.POLL), SerialFrame(2, Command.POLL)]
    assert controller.closed
    with pytest.raises(SerialLinkClosedError):
        await controller.receive(TIMEOUT)
    with pytest.raises(ConnectionError):
        await controller.send(Presence(1))
