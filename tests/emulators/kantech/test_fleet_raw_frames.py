"""Frames no well-behaved gateway sends, on real loopback sockets: garbage on the device and
discovery ports, replayed and reordered requests under each replay policy."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from kantech_proto.messages import Announce, Discover, StatusQuery, StatusReply

from .raw_peer import RawPeer, request_frame


def garbage_frames(site: Any, device_frame: bytes) -> dict[str, bytes]:
    return {
        "random": random.Random(7).randbytes(40),
        "truncated": device_frame[:-5],
        "wrong_key": request_frame(site, 50, 901, key="other-key"),
        "wrong_site": request_frame(site, 51, 902, site_id=site.id + 1),
    }


async def test_garbage_on_device_port_counted_and_valid_traffic_still_answered(
        gateway: Any, make_fleet: Any, settings: Any, site: Any, eventually: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30))
    device = fleet.devices[0]
    raw = await RawPeer.open()
    for data in garbage_frames(site, request_frame(site, 1, 900)).values():
        raw.transport.sendto(data, device.local_address)
    stats = device.endpoint.stats
    await eventually(lambda: stats["frames_rejected"] == 4)
    assert stats["rejected.wrong-key"] == 1 and stats["rejected.wrong-site"] == 1
    reply = await gateway.link.driver.request(device.local_address, StatusQuery())
    assert isinstance(reply.message, StatusReply)
    raw.transport.close()


async def test_garbage_on_discovery_port_counted_and_discover_still_answered(
        gateway: Any, make_fleet: Any, settings: Any, site: Any, eventually: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30))
    responder = next(iter(fleet.responders.values()))
    port = responder.local_address[1]
    raw = await RawPeer.open()
    for data in garbage_frames(site, request_frame(site, 1, 900)).values():
        raw.transport.sendto(data, ("127.0.0.1", port))
    await eventually(lambda: responder.stats["frames_rejected"] == 4)
    assert responder.stats["rejected.wrong-site"] == 1
    assert responder.stats["rejected.wrong-key"] == 1
    gateway.endpoint.send((fleet.devices[0].config.address, port), Discover(), event_id=7)
    gateway.link.driver.pump()
    await gateway.wait_for(lambda _: any(e.frame.event_id == 7
                                         for e in gateway.messages(Announce)))
    raw.transport.close()


@pytest.mark.parametrize(("policy", "answers"), [("none", 2), ("strict", 1), ("window", 1)])
async def test_replayed_request(gateway: Any, make_fleet: Any, settings: Any, site: Any,
                                policy: str, answers: int) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30, replay=policy))
    device = fleet.devices[0]
    raw = await RawPeer.open()
    captured = request_frame(site, 10, 555)
    raw.transport.sendto(captured, device.local_address)
    await asyncio.sleep(0.05)
    raw.transport.sendto(captured, device.local_address)
    replies = await raw.drain()
    assert len(replies) == answers
    assert device.endpoint.stats["replays_rejected"] == 2 - answers
    raw.transport.close()


@pytest.mark.parametrize(("policy", "answers"), [("none", 2), ("strict", 1), ("window", 2)])
async def test_reordered_requests(gateway: Any, make_fleet: Any, settings: Any, site: Any,
                                  policy: str, answers: int) -> None:
    """Two fresh requests arriving out of order: only a strict device refuses the late one."""
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30, replay=policy))
    device = fleet.devices[0]
    raw = await RawPeer.open()
    raw.transport.sendto(request_frame(site, 21, 601), device.local_address)
    await asyncio.sleep(0.05)
    raw.transport.sendto(request_frame(site, 20, 602), device.local_address)
    replies = await raw.drain()
    assert len(replies) == answers
    raw.transport.close()
