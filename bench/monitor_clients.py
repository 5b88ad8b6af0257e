"""The monitor benchmark's client comparison: the alert loop's steady-state request (one GET of
sysUpTime, hrDeviceStatus, hrPrinterDetectedErrorState and prtAlertAllEvents per printer) over a
fleet, sent by protolab's SnmpClient and by pysnmp's low-level v1arch dispatcher (its fastest
manager API, see ../shared/notes/snmp-measurements.md), with the same concurrency."""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Awaitable, Callable
from typing import Any

from pysnmp.hlapi.v1arch.asyncio import CommunityData, SnmpDispatcher, UdpTransportTarget, get_cmd
from pysnmp.proto.rfc1902 import Null, ObjectName

from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy, Target
from ekm_proto.snmp.types import Oid, format_oid
from protolab.clock import SystemClock

ALERT_OIDS: tuple[Oid, ...] = ((1, 3, 6, 1, 2, 1, 1, 3, 0), (1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 5, 1),
                               (1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1),
                               (1, 3, 6, 1, 2, 1, 43, 5, 1, 1, 19, 1))
RETRY = RetryPolicy(timeout=1.0, retries=2)


async def _sweep(addresses: list[str], concurrency: int,
                 ask: Callable[[str], Awaitable[bool]]) -> dict[str, Any]:
    queue = iter(addresses)
    answering: list[str] = []

    async def worker() -> None:
        for address in queue:
            if await ask(address):
                answering.append(address)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "answered": len(answering), "printers": len(addresses),
            "answering": sorted(answering, key=ipaddress.IPv4Address)}


async def protolab_pass(addresses: list[str], port: int, concurrency: int) -> dict[str, Any]:
    async with SnmpClient(SystemClock(), max_in_flight=concurrency) as client:
        async def ask(address: str) -> bool:
            try:
                await client.get(Target.v2c(address, port, retry=RETRY), *ALERT_OIDS)
            except Exception:
                return False
            return True

        return await _sweep(addresses, concurrency, ask)


async def pysnmp_pass(addresses: list[str], port: int, concurrency: int) -> dict[str, Any]:
    dispatcher = SnmpDispatcher()
    auth = CommunityData("public")
    varbinds = [(ObjectName(format_oid(oid)), Null()) for oid in ALERT_OIDS]

    async def ask(address: str) -> bool:
        target = await UdpTransportTarget.create((address, port), timeout=RETRY.timeout,
                                                 retries=RETRY.retries)
        indication, status, _, _ = await get_cmd(dispatcher, auth, target, *varbinds)
        return not indication and not status

    try:
        return await _sweep(addresses, concurrency, ask)
    finally:
        dispatcher.transport_dispatcher.close_dispatcher()


def addresses(first: str, count: int) -> list[str]:
    base = ipaddress.IPv4Address(first)
    return [str(base + i) for i in range(count)]
