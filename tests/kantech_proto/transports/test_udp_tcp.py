"""The asyncio adapters over real loopback sockets: UDP datagrams and TCP streams."""

from __future__ import annotations

import asyncio
import socket

import pytest

from kantech_proto.codes import DeviceModel
from kantech_proto.controller_status import ControllerStatus
from kantech_proto.device_endpoint import DeviceEndpoint
from kantech_proto.endpoint_events import FrameRejected, RequestReceived
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import StatusQuery, StatusReply
from kantech_proto.transports.endpoint_driver import EndpointDriver, RequestTimeoutError
from kantech_proto.transports.tcp import TcpClient, TcpServer
from kantech_proto.transports.udp import UdpLink
from protolab.clock import ManualClock

KEY, SITE = "loopback-key", 7
MAC = bytes.fromhex("00a0c2777777")
STATUS = StatusReply(ControllerStatus(DeviceModel.KT_400, (3, 1, 4), None, events_queued=2))


async def serve_status(driver: EndpointDriver) -> None:
    """A minimal device: answer every request with a status."""
    while True:
        event = await driver.events.get()
        if isinstance(event, RequestReceived):
            assert isinstance(driver.endpoint, DeviceEndpoint)
            driver.endpoint.reply(event, STATUS)
            driver.pump()


def gateway(retry: float = 0.2) -> GatewayEndpoint:
    return GatewayEndpoint(IpFrameCodec(KEY), SITE, bytes(6), retry_interval=retry,
                           max_attempts=3)


def device(gateway_addr: tuple[str, int]) -> DeviceEndpoint:
    return DeviceEndpoint(IpFrameCodec(KEY), SITE, MAC, gateway_addr)


async def test_udp_status_query_from_a_device_at_its_own_address():
    gw = await UdpLink.open(gateway(), ("127.0.0.1", 0))
    dev = await UdpLink.open(device(gw.local_address), ("127.20.0.9", 0))
    task = asyncio.create_task(serve_status(dev.driver))
    try:
        reply = await asyncio.wait_for(gw.driver.request(dev.local_address, StatusQuery()), 5)
        assert reply.message == STATUS
        assert reply.peer == dev.local_address  # answered from the device's own address
    finally:
        task.cancel()
        gw.close()
        dev.close()


async def test_udp_device_survives_garbage_and_keeps_answering():
    gw = await UdpLink.open(gateway(), ("127.0.0.1", 0))
    dev = await UdpLink.open(device(gw.local_address), ("127.20.0.10", 0))
    task = asyncio.create_task(serve_status(dev.driver))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        other_key = IpFrameCodec("not-the-key")
        junk = [b"", b"\x99", bytes(range(256)), b"\x99\x00\x16" + bytes(22),
                other_key.encode(IpFrame(SITE, bytes(6), 1, 1, StatusQuery()))]
        for data in junk:
            sock.sendto(data, dev.local_address)
        reply = await asyncio.wait_for(gw.driver.request(dev.local_address, StatusQuery()), 5)
        assert reply.message == STATUS
        assert dev.driver.endpoint.stats["frames_rejected"] == len(junk)
    finally:
        sock.close()
        task.cancel()
        gw.close()
        dev.close()


async def test_udp_request_to_a_silent_address_times_out():
    clock = ManualClock()
    gw = await UdpLink.open(gateway(retry=1.0), ("127.0.0.1", 0), clock=clock)
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.20.0.11", 0))
    silent.settimeout(2)
    try:
        ask = asyncio.ensure_future(gw.driver.request(silent.getsockname(), StatusQuery()))
        await clock.advance_async(0.0)
        first = silent.recv(4096)
        await clock.advance_async(1.0)  # a retry: the same request as a new frame
        second = silent.recv(4096)
        assert second != first and len(second) == len(first)
        await clock.advance_async(1.0)
        assert gw.driver.endpoint.stats["retransmissions"] == 2 and not ask.done()
        await clock.advance_async(1.0)  # the third attempt's interval is over: give up
        with pytest.raises(RequestTimeoutError, match="after 3 attempts"):
            await ask
        assert gw.driver.endpoint.pending_requests == 0 and clock.pending == 0
    finally:
        silent.close()
        gw.close()


async def test_tcp_device_connects_to_gateway_and_answers_through_garbage():
    server = await TcpServer.open(gateway(), "127.0.0.1", 0)
    client = await TcpClient.connect(device(server.local_address), *server.local_address)
    task = asyncio.create_task(serve_status(client.driver))
    try:
        for _ in range(100):
            if server.peers:
                break
            await asyncio.sleep(0.01)
        (peer,) = server.peers
        # garbage first, on the device's stream; then a real request must still get through
        raw = socket.socket()  # a second, hostile connection to the gateway port
        raw.connect(server.local_address)
        raw.sendall(b"\x99\x00\x16garbage" + bytes(64))
        reply = await asyncio.wait_for(server.driver.request(peer, StatusQuery()), 5)
        assert reply.message == STATUS
        await asyncio.sleep(0.05)
        assert any(isinstance(e, FrameRejected) for e in _drain(server.driver))
        raw.close()
    finally:
        task.cancel()
        await client.close()
        await server.close()


def _drain(driver: EndpointDriver) -> list:
    out = []
    while not driver.events.empty():
        out.append(driver.events.get_nowait())
    return out


async def test_a_garbage_flood_is_counted_but_logged_once_per_interval_and_reason():
    from structlog.testing import capture_logs

    clock = ManualClock()
    gw = await UdpLink.open(gateway(), ("127.0.0.1", 0), clock=clock)
    stats = gw.driver.endpoint.stats
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    wrong_key = IpFrameCodec("not-the-key").encode(IpFrame(SITE, MAC, 1, 0, StatusQuery()))

    async def arrived(count: int) -> None:
        async with asyncio.timeout(3):
            while stats["frames_rejected"] < count:
                await asyncio.sleep(0.005)

    try:
        with capture_logs() as logs:
            for _ in range(50):
                sock.sendto(b"\x99garbage", gw.local_address)
            await arrived(50)
            sock.sendto(wrong_key, gw.local_address)  # another reason gets its own line
            await arrived(51)
            clock.advance(5.0)  # the interval is over: the next one is logged, with a count
            sock.sendto(b"\x99garbage", gw.local_address)
            await arrived(52)
        dropped = [entry for entry in logs if entry["event"] == "frame dropped"]
        assert [(d["reason"], d["suppressed"]) for d in dropped] == [
            ("too-long", 0), ("wrong-key", 0), ("too-long", 49)]
    finally:
        sock.close()
        gw.close()
