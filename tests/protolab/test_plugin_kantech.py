"""The plugin's Kantech pieces used directly (the context managers behind the fixtures): wire
options reach the devices, TCP devices join a gateway taking TCP, a wrong pairing is refused."""

from __future__ import annotations

import pytest

from kantech_proto.controller_status import ControllerStatus
from protolab.errors import ConfigurationError
from protolab.pytest_plugin.kantech import running_fleet, running_gateway


async def test_tcp_devices_join_a_gateway_taking_tcp() -> None:
    async with running_gateway("tcp-site", 4, tcp=True) as gateway:
        async with running_fleet(kt400=1, gateway=gateway, transport="tcp") as fleet:
            device = fleet[0]
            assert (await device.state())["transport"] == "tcp"
            status = await gateway.status(device.address)
            assert isinstance(status, ControllerStatus)


async def test_a_tcp_fleet_needs_a_gateway_taking_tcp() -> None:
    async with running_gateway() as gateway:
        with pytest.raises(ConfigurationError, match=r"kantech_gateway\(tcp=True\)"):
            async with running_fleet(gateway=gateway, transport="tcp"):
                pass


async def test_wire_options_reach_the_devices() -> None:
    async with running_gateway("opts", 2) as gateway:
        async with running_fleet(kt1=1, gateway=gateway, replay="strict") as fleet:
            state = await fleet[0].state()
            assert (state["replay"], state["site_id"], state["model"]) == ("strict", 2, "KT_1")
            assert fleet[0].address in gateway.devices
