"""The thin asyncio edge of network fuzzing: a UDP socket that sends inputs and probes, and the
liveness checks (a Kantech status query or announce; an SNMP walk of the system group)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any, cast

from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import Target
from protolab.clock import Clock, SystemClock
from tools.netfuzz.campaign import CampaignResult, run_campaign
from tools.netfuzz.kantech_inputs import KantechInputs, Role
from tools.netfuzz.snmp_inputs import SYSTEM, SnmpInputs

#: datagrams sent before the sender yields to the loop (and the target gets to read them)
PACE = 16
PROBE_ATTEMPTS = 3


class _Socket(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.received: asyncio.Queue[bytes] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.received.put_nowait(data)

    def error_received(self, exc: Exception) -> None:  # ICMP unreachable: the probe says so
        pass


async def _open(target: tuple[str, int]) -> _Socket:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_datagram_endpoint(_Socket, remote_addr=target)
    return protocol


def _pacer(sock: _Socket, clock: Clock) -> Any:
    sent = 0

    async def send(data: bytes) -> None:
        nonlocal sent
        assert sock.transport is not None
        sock.transport.sendto(data)
        sent += 1
        if sent % PACE == 0:
            await clock.sleep(0.001)
    return send


async def fuzz_kantech(target: tuple[str, int], key: str, site_id: int, role: Role, *,
                       count: int, seed: int, out: Path, batch: int = 100,
                       timeout: float = 1.0, clock: Clock | None = None) -> CampaignResult:
    """Fuzz a device (``role="device"``: we play its gateway) or a gateway (we play a device)."""
    clock = clock or SystemClock()
    inputs = KantechInputs(key, site_id, role, seed)
    sock = await _open(target)

    async def alive() -> bool:
        await clock.sleep(0.05)  # what the batch sent is answered first
        _drain(sock)
        for _ in range(PROBE_ATTEMPTS):
            frame, event_id = inputs.probe()
            assert sock.transport is not None
            sock.transport.sendto(frame)
            with contextlib.suppress(TimeoutError):
                await clock.wait_for(_answer(sock, inputs, event_id), timeout)
                return True
        return False

    describe = {"protocol": "kantech", "target": f"{target[0]}:{target[1]}", "as": role,
                "site_id": site_id, "seed": seed, "count": count, "batch": batch,
                "sender_id": inputs.sender.hex()}
    try:
        return await run_campaign(inputs, _pacer(sock, clock), alive, clock, count=count,
                                  batch=batch, out=out, describe=describe)
    finally:
        assert sock.transport is not None
        sock.transport.close()


async def _answer(sock: _Socket, inputs: KantechInputs, event_id: int) -> None:
    while not inputs.is_probe_answer(await sock.received.get(), event_id):
        pass


def _drain(sock: _Socket) -> None:
    while not sock.received.empty():
        sock.received.get_nowait()


async def fuzz_snmp(target: Target, *, count: int, seed: int, out: Path, batch: int = 100,
                    clock: Clock | None = None) -> CampaignResult:
    """Fuzz an SNMP agent; the probe walks the system group with the given credentials."""
    clock = clock or SystemClock()
    inputs = SnmpInputs(target, seed)
    sock = await _open(target.address)
    async with SnmpClient(clock, max_in_flight=4, local_address=("127.0.0.1", 0)
                          if ":" not in target.host else ("::1", 0)) as client:

        async def alive() -> bool:
            await clock.sleep(0.05)
            try:
                rows = await client.walk(target, SYSTEM)
            except Exception as exc:  # any failure of the walk is a dead target here
                describe["last_probe_error"] = f"{type(exc).__name__}: {exc}"
                return False
            return bool(rows)

        describe: dict[str, Any] = {"protocol": "snmp", "target": target.describe(),
                                    "version": target.version.name, "seed": seed,
                                    "count": count, "batch": batch}
        try:
            return await run_campaign(inputs, _pacer(sock, clock), alive, clock, count=count,
                                      batch=batch, out=out, describe=describe)
        finally:
            assert sock.transport is not None
            sock.transport.close()
