"""Devices on TCP: the port given is the one used, and a gateway that restarts mid-run loses no
event and gets none twice after its ACK."""

from __future__ import annotations

import asyncio
from typing import Any

from emulators.kantech.fleet_config import FleetSettings, build_fleet
from kantech_proto.endpoint_events import MessageReceived
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import Event
from kantech_proto.transports.tcp import TcpServer


def test_tcp_devices_use_the_port_given_else_the_tcp_default() -> None:
    given = build_fleet(FleetSettings(kt1=1, transport="tcp", gateway="127.0.0.1:5555"))
    default = build_fleet(FleetSettings(kt1=1, transport="tcp", gateway="127.0.0.1"))
    udp = build_fleet(FleetSettings(kt1=1, gateway="127.0.0.1"))
    assert (given[0].gateway, default[0].gateway, udp[0].gateway) == (
        ("127.0.0.1", 5555), ("127.0.0.1", 18802), ("127.0.0.1", 18801))


class TcpGateway:
    """A gateway endpoint on a TCP port, recording the card numbers of the events it gets."""

    def __init__(self, server: TcpServer) -> None:
        self.server = server
        self.cards: list[int] = []
        self._task = asyncio.ensure_future(self._collect())

    @classmethod
    async def start(cls, site: Any, port: int, session: bytes) -> TcpGateway:
        endpoint = GatewayEndpoint(IpFrameCodec(site.key), site.id, session)
        return cls(await TcpServer.open(endpoint, "127.0.0.1", port, name="tcp-gateway"))

    async def _collect(self) -> None:
        while True:
            event = await self.server.driver.events.get()
            if isinstance(event, MessageReceived) and isinstance(event.message, Event):
                self.cards.append(event.message.event.card_number)

    async def stop(self) -> None:
        self._task.cancel()
        await self.server.close()


async def test_gateway_restart_with_events_queued_loses_and_repeats_nothing(
        gateway: Any, make_fleet: Any, settings: Any, site: Any, eventually: Any) -> None:
    first = await TcpGateway.start(site, 0, bytes.fromhex("000000000001"))
    port = first.server.local_address[1]
    fleet = await make_fleet(settings(gateway, kt1=1, transport="tcp", pulse=0.05,
                                      gateway=f"127.0.0.1:{port}"))
    device = fleet.devices[0]
    second = None
    try:
        for card in (1, 2, 3):
            device.model.present_card(1, card, now=device.now())
        device.sync()
        await eventually(lambda: first.cards == [1, 2, 3] and device.events_waiting == 0)
        await first.stop()  # the gateway goes away
        await eventually(lambda: not device.tcp.connected)
        for card in range(4, 11):
            device.model.present_card(1, card, now=device.now())
        device.sync()
        await asyncio.sleep(0.3)
        assert device.events_waiting == 7  # kept while the gateway is away
        second = await TcpGateway.start(site, port, bytes.fromhex("000000000002"))
        await eventually(lambda: device.events_waiting == 0, timeout=10)
        assert second.cards == list(range(4, 11))  # none lost, in order, none repeated
        assert device.endpoint.stats["tcp_lost"] == 1 and device.endpoint.stats["tcp_connects"] >= 2
    finally:
        if second is not None:
            await second.stop()
