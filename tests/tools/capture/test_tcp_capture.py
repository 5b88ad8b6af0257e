"""A device that reaches its gateway over TCP, captured at both ends: each end's capture holds the
stream in both directions (what it sent and what it received), tshark reassembles it, and the
dissector reads the same frames in the device's and the gateway's file."""

from __future__ import annotations

import asyncio
from pathlib import Path

from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import SimulatedGateway
from kantech_proto.codes import Command
from tests.tools.tshark_runner import tshark_fields
from tools.capture.capture_tap import CaptureTap
from tools.wireshark.generate import DISSECTOR

KEY, SITE, HOST = "tcp-capture-key", 46, "127.24.1.1"


async def test_both_ends_capture_the_whole_tcp_stream(tmp_path: Path) -> None:
    gw_pcap, dev_pcap = tmp_path / "gw.pcap", tmp_path / "dev.pcap"
    with CaptureTap.open(gw_pcap) as gw_tap, CaptureTap.open(dev_pcap) as dev_tap:
        async with SimulatedGateway(KEY, SITE, ("127.0.0.1", 0), tcp_listen=("127.0.0.1", 0),
                                    observer=gw_tap) as gateway:
            assert gateway.tcp_address is not None
            tcp_port = gateway.tcp_address[1]
            settings = FleetSettings(kt400=1, first_address=HOST, key=KEY, site_id=SITE,
                                     transport="tcp", gateway="127.0.0.1",
                                     gateway_tcp_port=tcp_port, device_port=0,
                                     discovery_port=0, pulse=0.2)
            async with KantechFleet(build_fleet(settings), discovery_host="127.0.0.1",
                                    observer=dev_tap):
                await gateway.wait_for_device(HOST, timeout=10)
                await asyncio.sleep(0.5)  # pulses over the stream
    prefs = [f"kantech.key:{KEY}", f"kantech.tcp_port:{tcp_port}"]
    fields = ["ip.src", "tcp.srcport", "tcp.dstport", "kantech.command", "kantech.sequence"]
    at_gateway = tshark_fields(gw_pcap, fields, "-Y", "kantech", lua=DISSECTOR, prefs=prefs)
    at_device = tshark_fields(dev_pcap, fields, "-Y", "kantech", lua=DISSECTOR, prefs=prefs)
    from_device = [r for r in at_gateway if r[0] == HOST]
    to_device = [r for r in at_gateway if r[0] == "127.0.0.1"]
    commands = {int(c) for r in from_device for c in r[3].split(",")}
    assert {Command.ANNOUNCE, Command.PULSE} <= commands  # received over TCP, captured
    assert any(int(c) == Command.ACK for r in to_device for c in r[3].split(","))
    assert all(r[2] == str(tcp_port) for r in from_device)
    # the device's file holds the same stream: what it sent, and the gateway's ACK it received
    device_sent = {(r[3], r[4]) for r in at_device if r[0] == HOST}
    assert {(r[3], r[4]) for r in from_device} <= device_sent
    assert any(int(c) == Command.ACK for r in at_device if r[0] == "127.0.0.1"
               for c in r[3].split(","))
