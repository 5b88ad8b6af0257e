"""An IP-Link in a fleet polls its own loop and forwards the loop's events as TUNNEL."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from emulators.kantech.iplink_firmware import firmware_image
from emulators.kantech.iplink_runtime import IpLinkRuntime
from emulators.kantech.model_factory import default_model_factory
from kantech_proto.codes import Command
from kantech_proto.messages import Announce, Tunnel
from protolab.clock import ManualClock


async def test_fleet_runs_a_polling_iplink_whose_loop_events_reach_the_gateway(
        gateway: Any, make_fleet: Any, settings: Any) -> None:
    clock = ManualClock()
    fleet = await make_fleet(settings(gateway, iplink=1, loop_size=3, pulse=30),
                             model_factory=default_model_factory, clock=clock)
    (runtime,) = fleet.devices
    assert isinstance(runtime, IpLinkRuntime)
    await gateway.wait_for(lambda _: bool(gateway.messages(Announce)))
    assert gateway.messages(Announce)[0].message.model.name == "IP_LINK"
    # polling runs on its own, paced at 1000 bytes/s: 5 bytes an exchange is 5 ms apiece
    for _ in range(6):
        await clock.advance_async(0.005)
    assert list(runtime.poller.order)[:6] == [1, 2, 3, 1, 2, 3]
    controller = runtime.master.link.loop.controllers[2]
    controller.present_card(1, 777, now=runtime.now())
    for _ in range(3):  # the next poll of 2 brings the event up
        await clock.advance_async(0.005)
    await gateway.wait_for(lambda _: bool(gateway.messages(Tunnel)))
    (frame,) = gateway.messages(Tunnel)[0].message.items
    assert frame.address == 2 and frame.command is Command.EVENT


async def test_fleet_iplink_serves_its_firmware_over_tftp(gateway: Any, make_fleet: Any,
                                                          settings: Any, tmp_path: Any) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fleet = await make_fleet(settings(gateway, iplink=1, loop_size=1, pulse=30, tftp_port=port),
                             model_factory=default_model_factory)
    host = fleet.devices[0].config.address
    target = tmp_path / "fw.bin"
    proc = await asyncio.create_subprocess_exec(
        "tftp", host, str(port), "-m", "binary", "-c", "get", "iplink.bin", str(target),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    await asyncio.wait_for(proc.communicate(), 20)
    assert target.read_bytes() == firmware_image((1, 0, 0))
    assert target.read_bytes()[:7] == b"KTFW\x01\x00\x00"
