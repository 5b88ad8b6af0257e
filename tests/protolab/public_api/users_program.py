"""A user's program written against protolab's public surface only: mypy --strict must pass on
it (tests/protolab/test_public_api.py), and it runs."""

from __future__ import annotations

import asyncio

from ekm_proto import SnmpClient, Target, parse_oid
from emulators.kantech import FleetSettings, KantechFleet, build_fleet
from emulators.kantech_gateway import SimulatedGateway
from emulators.printers import PrinterFleet
from kantech_proto import DecodeError, IpFrame, IpFrameCodec, Pulse
from protolab import ManualClock, ProtolabError, SystemClock

SYS_DESCR = parse_oid("1.3.6.1.2.1.1.1.0")


async def read_printers() -> list[str]:
    clock = ManualClock()
    async with PrinterFleet(profiles=["hp-color-laserjet-m577"], count=3, clock=clock,
                            simulate=False) as printers:
        async with SnmpClient(SystemClock(), local_address=("127.0.0.1", 0)) as client:
            found: list[str] = []
            for address in printers.addresses:
                varbinds = await client.get(Target.v2c(address, printers.port), SYS_DESCR)
                value = varbinds[0][1]
                found.append(value.decode() if isinstance(value, bytes) else str(value))
            return found


async def kantech_round_trip() -> int:
    async with SimulatedGateway("site-key", 3, ("127.0.0.1", 0), discovery_port=0) as gateway:
        host, port = gateway.address
        settings = FleetSettings(kt400=2, first_address="127.231.9.1", gateway=f"{host}:{port}",
                                 key="site-key", site_id=3, device_port=0, discovery_port=0)
        async with KantechFleet(build_fleet(settings)) as fleet:
            for device in fleet.devices:
                await gateway.wait_for_device(device.config.address)
            return len(gateway.devices)


def decode_or_explain(codec: IpFrameCodec, data: bytes) -> str:
    try:
        return codec.decode(data).message.COMMAND.name
    except DecodeError as exc:
        return f"refused: {exc}"


def main() -> None:
    codec = IpFrameCodec("site-key")
    wire = codec.encode(IpFrame(3, bytes(6), 1, 0, Pulse(True)))
    print(decode_or_explain(codec, wire), decode_or_explain(codec, wire[:-1]))
    try:
        print(asyncio.run(read_printers()), asyncio.run(kantech_round_trip()))
    except ProtolabError as exc:
        print(f"lab failed: {exc}")


if __name__ == "__main__":
    main()
