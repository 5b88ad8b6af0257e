"""What a device answers on the wire (WIRE.md section 3), driven with frames the independent vector
builder makes (struct + cryptography, not the codec under test) and answers read the same way:
NAKs for authentic frames that cannot be used, silence for the rest, replays per policy, and
DISCOVER by address."""

from __future__ import annotations

import socket
import struct
from typing import Any

import pytest

from emulators.kantech.model_factory import default_model_factory
from tests.emulators.kantech.raw_peer import RawPeer
from tests.vectors.make_ip_vectors import REFUSALS, frame, open_frame

GATEWAY_SESSION = bytes.fromhex("5e5510000077")
NAK, ACK, MANUAL_OP_REPLY, ANNOUNCE = 0x05, 0x04, 0x21, 0x03


def request(site: Any, seq: int, event: int, code: int, data: bytes, **changes: Any) -> bytes:
    return frame(changes.pop("sender", GATEWAY_SESSION), seq, event, code, data,
                 key=changes.pop("key", site.key), site=changes.pop("site_id", site.id))


async def answers(raw: RawPeer, site: Any, quiet: float = 0.3) -> list[dict[str, Any]]:
    return [open_frame(data, key=site.key) for data, _ in await raw.drain(quiet)]


async def real_fleet(make_fleet: Any, settings: Any, gateway: Any, **changes: Any) -> Any:
    return await make_fleet(settings(gateway, kt400=1, pulse=30, **changes),
                            model_factory=default_model_factory)


@pytest.mark.parametrize(("name", "code", "data", "reason"), REFUSALS,
                         ids=[r[0] for r in REFUSALS])
async def test_authentic_request_that_cannot_be_used_is_naked(
        gateway: Any, make_fleet: Any, settings: Any, site: Any, name: str, code: int,
        data: bytes, reason: int) -> None:
    fleet = await real_fleet(make_fleet, settings, gateway)
    device = fleet.devices[0]
    raw = await RawPeer.open()
    try:
        raw.transport.sendto(request(site, 1, 0x4242, code, data), device.local_address)
        got = await answers(raw, site)
    finally:
        raw.transport.close()
    assert [(a["code"], a["event_id"], a["data"][:1]) for a in got] == [
        (NAK, 0x4242, bytes([reason]))], name
    assert got[0]["sender_id"] == device.config.mac and got[0]["validation"] == 0x3021


async def test_refusal_is_logged_with_the_field_and_what_was_expected(
        gateway: Any, make_fleet: Any, settings: Any, site: Any, capsys: Any) -> None:
    fleet = await real_fleet(make_fleet, settings, gateway)
    raw = await RawPeer.open()
    try:
        raw.transport.sendto(request(site, 1, 9, 0x20, struct.pack(">BBBBH", 1, 9, 1, 1, 0)),
                             fleet.devices[0].local_address)
        await answers(raw, site)
    finally:
        raw.transport.close()
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "request refused" in line)
    assert "MANUAL_OP kind 9" in line and "expected one of 1 (DOOR)" in line
    assert "BAD_DATA" in line and fleet.devices[0].config.address in line


async def test_frames_that_are_not_authentic_stay_silent_and_are_counted(
        gateway: Any, make_fleet: Any, settings: Any, site: Any) -> None:
    fleet = await real_fleet(make_fleet, settings, gateway)
    device = fleet.devices[0]
    good = request(site, 1, 5, 0x12, b"")
    bad_checksum = good[:-1] + bytes([good[-1] ^ 0xFF])
    raw = await RawPeer.open()
    try:
        for data in (request(site, 2, 5, 0x7E, b"", key="another-key"), bad_checksum,
                     request(site, 3, 5, 0x7E, b"", site_id=site.id + 1), b"\x99garbage"):
            raw.transport.sendto(data, device.local_address)
        assert await answers(raw, site) == []
    finally:
        raw.transport.close()
    stats = device.endpoint.stats
    assert (stats["rejected.wrong-key"], stats["rejected.checksum-mismatch"],
            stats["rejected.wrong-site"]) == (1, 1, 1)
    assert stats["frames_rejected"] == 4 and not any(k.startswith("nak_sent") for k in stats)


@pytest.mark.parametrize("policy", ["strict", "window"])
async def test_replays_stay_silent_counted_by_reason(
        gateway: Any, make_fleet: Any, settings: Any, site: Any, policy: str,
        capsys: Any) -> None:
    fleet = await real_fleet(make_fleet, settings, gateway, replay=policy)
    device = fleet.devices[0]
    raw = await RawPeer.open()
    try:
        captured = request(site, 100, 1, 0x12, b"")
        raw.transport.sendto(captured, device.local_address)
        assert len(await answers(raw, site)) == 1
        raw.transport.sendto(captured, device.local_address)  # byte for byte: replayed
        raw.transport.sendto(request(site, 20, 2, 0x12, b""), device.local_address)  # too old
        assert await answers(raw, site) == []
    finally:
        raw.transport.close()
    stats = device.endpoint.stats
    assert (stats["replays_rejected.replayed"], stats["replays_rejected.too-old"]) == (1, 1)
    err = capsys.readouterr().err
    assert "replayed (this sequence was already accepted)" in err
    assert "older than the window" in err


async def test_replayed_unlock_unlocks_again_under_none_and_a_retry_does_not(
        gateway: Any, make_fleet: Any, settings: Any, site: Any) -> None:
    """CVE-2021-27662: firmware without replay protection executes a captured command again."""
    fleet = await real_fleet(make_fleet, settings, gateway, replay="none")
    device = fleet.devices[0]
    door = device.model.doors[0]
    unlock = request(site, 1, 0x100, 0x20, struct.pack(">BBBBH", 1, 1, 1, 1, 0))
    lock = request(site, 2, 0x101, 0x20, struct.pack(">BBBBH", 2, 1, 1, 1, 0))
    retry_of_unlock = request(site, 3, 0x100, 0x20, struct.pack(">BBBBH", 1, 1, 1, 1, 0))
    raw = await RawPeer.open()
    try:
        for data in (unlock, lock):
            raw.transport.sendto(data, device.local_address)
            assert [a["code"] for a in await answers(raw, site)] == [MANUAL_OP_REPLY]
        assert not door.released
        raw.transport.sendto(retry_of_unlock, device.local_address)  # same event id, new seq
        assert [a["code"] for a in await answers(raw, site)] == [MANUAL_OP_REPLY]
        assert not door.released and device.endpoint.stats["duplicate_requests"] == 1
        raw.transport.sendto(unlock, device.local_address)  # the captured bytes, replayed
        assert [a["code"] for a in await answers(raw, site)] == [MANUAL_OP_REPLY]
    finally:
        raw.transport.close()
    assert door.released and device.endpoint.stats["replays_executed"] == 1


async def test_a_new_gateway_session_starts_a_new_window(
        gateway: Any, make_fleet: Any, settings: Any, site: Any) -> None:
    """A restarted gateway (new session id, sequence from 0) is not locked out."""
    fleet = await real_fleet(make_fleet, settings, gateway, replay="strict")
    device = fleet.devices[0]
    raw = await RawPeer.open()
    try:
        raw.transport.sendto(request(site, 5000, 1, 0x12, b""), device.local_address)
        raw.transport.sendto(request(site, 0, 1, 0x12, b"", sender=bytes.fromhex("5e5510000078")),
                             device.local_address)
        assert len(await answers(raw, site)) == 2
    finally:
        raw.transport.close()


async def test_discover_to_one_address_is_answered_by_that_device_only(
        gateway: Any, make_fleet: Any, settings: Any, site: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=2, kt1=1, pulse=30))
    port = fleet.discovery_address()[1]
    target = fleet.devices[1]
    raw = await RawPeer.open()
    try:
        raw.transport.sendto(request(site, 1, 0x77, 0x02, b""), (target.config.address, port))
        got = await answers(raw, site)
        raw.transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET,
                                                          socket.SO_BROADCAST, 1)
        raw.transport.sendto(request(site, 2, 0x78, 0x02, b""), ("127.255.255.255", port))
        everyone = await answers(raw, site)
    finally:
        raw.transport.close()
    assert [(a["code"], a["event_id"], a["sender_id"]) for a in got] == [
        (ANNOUNCE, 0x77, target.config.mac)]
    assert socket.inet_ntoa(got[0]["data"][20:24]) == target.config.address
    assert sorted(a["sender_id"] for a in everyone if a["event_id"] == 0x78) == sorted(
        d.config.mac for d in fleet.devices)


async def test_discover_under_another_key_or_site_is_silent(
        gateway: Any, make_fleet: Any, settings: Any, site: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30))
    port = fleet.discovery_address()[1]
    address = fleet.devices[0].config.address
    raw = await RawPeer.open()
    try:
        raw.transport.sendto(request(site, 1, 1, 0x02, b"", key="not-the-key"), (address, port))
        raw.transport.sendto(request(site, 2, 2, 0x02, b"", site_id=7), (address, port))
        assert await answers(raw, site) == []
    finally:
        raw.transport.close()
    stats = next(iter(fleet.responders.values())).stats
    assert (stats["rejected.wrong-key"], stats["rejected.wrong-site"]) == (1, 1)
