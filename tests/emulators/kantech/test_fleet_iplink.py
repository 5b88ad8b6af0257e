"""An IP-Link in a fleet polls its own loop and forwards the loop's events as TUNNEL."""

from __future__ import annotations

import asyncio
from typing import Any

from emulators.kantech.fleet_runtime import default_model_factory
from emulators.kantech.iplink import IpLinkRuntime
from kantech_proto.codes import Command
from kantech_proto.messages import Announce, Tunnel

from .conftest import Gateway, settings


async def test_fleet_runs_a_polling_iplink_whose_loop_events_reach_the_gateway(
        gateway: Gateway, make_fleet: Any) -> None:
    fleet = await make_fleet(settings(gateway, iplink=1, loop_size=3, pulse=30),
                             model_factory=default_model_factory)
    (runtime,) = fleet.devices
    assert isinstance(runtime, IpLinkRuntime)
    await gateway.wait_for(lambda _: bool(gateway.messages(Announce)))
    assert gateway.messages(Announce)[0].message.model.name == "IP_LINK"
    for _ in range(300):  # polling runs on its own, whatever the gateway does
        if sum(runtime.poller.stats.polls.values()) >= 6:
            break
        await asyncio.sleep(0.01)
    assert list(runtime.poller.order)[:6] == [1, 2, 3, 1, 2, 3]
    controller = runtime.master.link.loop.controllers[2]
    controller.present_card(1, 777, now=runtime.now())
    await gateway.wait_for(lambda _: bool(gateway.messages(Tunnel)))
    (frame,) = gateway.messages(Tunnel)[0].message.items
    assert frame.address == 2 and frame.command is Command.EVENT
