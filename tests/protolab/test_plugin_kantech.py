"""The plugin's Kantech pieces used directly (the context managers behind the fixtures): wire
options reach the devices, TCP devices join a gateway taking TCP, a wrong pairing is refused."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from kantech_proto.controller_status import ControllerStatus
from protolab.errors import ConfigurationError
from protolab.pytest_plugin.kantech import ControlRefused, running_fleet, running_gateway


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


async def test_the_device_handle_drives_doors_inputs_and_power() -> None:
    async with running_gateway("handles", 3) as gateway:
        async with running_fleet(kt400=1, gateway=gateway) as fleet:
            device = fleet[0]
            await device.door(1, "force")
            await device.input(2, True)  # a default KT-400's door 1 REX input
            await _eventually(lambda: len(device.events) >= 2)
            kinds = [event.event_type.name for event in device.events]
            assert kinds[:2] == ["DOOR_FORCED_OPEN", "DOOR_REX"]
            with pytest.raises(ControlRefused, match=r"KT_400 at 127\..*: POST /doors/99/open"):
                await device.door(99)
            first = gateway.devices[device.address].last_seen
            await device.reboot()
            await _eventually(lambda: gateway.devices[device.address].last_seen > first)
            assert (await device.records())["counts"] is not None


async def _eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition never held")
