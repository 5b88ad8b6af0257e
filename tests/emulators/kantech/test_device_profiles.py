"""The wire profile (checksum, AES mode) per device, from the fleet file or the command line."""

from __future__ import annotations

from typing import Any

import pytest

from emulators.kantech.fleet_config import FleetSettings, build_fleet
from kantech_proto.errors import ChecksumMismatchError
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import StatusQuery, StatusReply
from kantech_proto.transports.udp import UdpLink
from kantech_proto.wire_profile import WireProfile
from protolab.errors import ConfigurationError
from tests.emulators.kantech.raw_peer import RawPeer


def test_profile_per_device_entry_beats_the_defaults() -> None:
    fleet = {"defaults": {"checksum": "sum16"},
             "devices": [{"model": "kt1"}, {"model": "kt400", "aes-mode": "ecb",
                                             "checksum": "crc16-ccitt-false"}]}
    kt1, kt400 = build_fleet(FleetSettings(), fleet)
    assert (kt1.checksum, kt1.aes_mode) == ("sum16", "cbc-zero-iv")
    assert kt400.profile == WireProfile.from_names("crc16-ccitt-false", "ecb")


def test_command_line_profile_and_bad_values() -> None:
    configs = build_fleet(FleetSettings(), None,
                          {"kt1": 1, "checksum": "sum16", "aes_mode": "ecb"})
    assert configs[0].profile == WireProfile.from_names("sum16", "ecb")
    with pytest.raises(ConfigurationError, match=r"aes_mode.*one of cbc-zero-iv, ecb"):
        build_fleet(FleetSettings(), {"devices": [{"model": "kt1", "aes_mode": "ctr"}]})


async def test_a_device_speaks_its_own_profile(make_fleet: Any, settings: Any, site: Any,
                                               gateway: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt1=1, pulse=30, checksum="sum16",
                                      aes_mode="ecb"))
    device = fleet.devices[0]
    profile = WireProfile.from_names("sum16", "ecb")
    endpoint = GatewayEndpoint(IpFrameCodec(site.key, profile), site.id, site.session)
    link = await UdpLink.open(endpoint, ("127.0.0.1", 0))
    try:
        reply = await link.driver.request(device.local_address, StatusQuery())
        assert isinstance(reply.message, StatusReply)
    finally:
        link.close()
    raw = await RawPeer.open()  # a default-profile frame: silence, counted as a bad checksum
    try:
        raw.transport.sendto(IpFrameCodec(site.key).encode_raw(site.id, site.session, 9, 1, 0x12,
                                                               b""), device.local_address)
        assert await raw.drain() == []
    finally:
        raw.transport.close()
    assert device.endpoint.stats[f"rejected.{ChecksumMismatchError.reason}"] == 1


async def test_per_device_sockets_remain_an_option(make_fleet: Any, settings: Any, site: Any,
                                                   gateway: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt1=2, pulse=30), sockets="per-device")
    assert fleet.device_sockets == {} and all(d.udp is not None for d in fleet.devices)
    reply = await gateway.link.driver.request(fleet.devices[1].local_address, StatusQuery())
    assert isinstance(reply.message, StatusReply) and reply.peer == fleet.devices[1].local_address


async def test_one_shared_socket_answers_for_every_address(make_fleet: Any, settings: Any,
                                                           site: Any, gateway: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=3, pulse=30))
    assert len(fleet.device_sockets) == 1
    assert not any(d.model_built for d in fleet.devices)  # models wait until needed
    for device in fleet.devices[:2]:
        reply = await gateway.link.driver.request(device.local_address, StatusQuery())
        assert reply.peer == device.local_address  # from the device's own address
    assert [d.model_built for d in fleet.devices] == [True, True, False]
    raw = await RawPeer.open()
    try:  # an address no device has: silence, counted
        port = fleet.devices[0].local_address[1]
        raw.transport.sendto(b"\x99hello", ("127.21.255.254", port))
        assert await raw.drain() == []
    finally:
        raw.transport.close()
    assert fleet.not_addressed == 1
