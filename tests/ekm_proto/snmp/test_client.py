"""The client's own behaviour: timers on the injected clock, the in-flight bound, misuse."""

from __future__ import annotations

import asyncio
import socket

import pytest

from ekm_proto.errors import SnmpTimeout
from ekm_proto.snmp.agent.server import SnmpServer
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy, Target
from ekm_proto.snmp.types import SnmpType
from protolab.clock import ManualClock, SystemClock
from protolab.errors import ConfigurationError
from protolab.ports import free_port
from tests.ekm_proto.snmp.agent_setup import ADDRESSES, SYS_DESCR


async def test_retries_follow_the_injected_clock() -> None:
    """Nobody listens: the client sends, then retries only when the manual clock says so."""
    clock = ManualClock(500.0)
    silent = Target.v2c("127.30.9.9", free_port(kind=socket.SOCK_DGRAM),
                        retry=RetryPolicy(timeout=10.0, retries=1, backoff=3.0))
    async with SnmpClient(clock, local_address=("127.0.0.1", 0)) as client:
        task = asyncio.create_task(client.get(silent, SYS_DESCR))
        await clock.advance_async(9.0)
        assert client.manager.stats.sent == 1 and not task.done()
        await clock.advance_async(1.0)
        assert client.manager.stats.sent == 2 and not task.done()  # the retry at 10 s
        await clock.advance_async(29.0)
        assert not task.done()
        await clock.advance_async(1.0)  # 10 s + 30 s
        with pytest.raises(SnmpTimeout, match=r"127\.30\.9\.9:\d+ \(SNMPv2c\)"):
            await task
        assert clock.pending == 0


async def test_requests_beyond_the_bound_wait_their_turn(server: SnmpServer) -> None:
    async with SnmpClient(SystemClock(), max_in_flight=3,
                          local_address=("127.0.0.1", 0)) as client:
        targets = [Target.v2c(address, server.port) for address in ADDRESSES] * 4
        answers = await asyncio.gather(*(client.get(t, SYS_DESCR) for t in targets))
    assert client.max_in_flight_seen == 3
    assert {a[0][1] for a in answers} == {(SnmpType.OCTET_STRING, b"HP Color LaserJet M577")}


async def test_misuse_is_a_configuration_error(server: SnmpServer) -> None:
    client = SnmpClient(SystemClock())
    with pytest.raises(ConfigurationError, match="not started"):
        await client.get(Target.v2c(ADDRESSES[0], server.port), SYS_DESCR)
    with pytest.raises(ConfigurationError, match="GETBULK needs"):
        async with client:
            await client.get_bulk(Target.v1(ADDRESSES[0], server.port), [SYS_DESCR])
    with pytest.raises(ConfigurationError, match="not an IP address"):
        Target.v2c("printer-3.example", 161)
    with pytest.raises(ConfigurationError, match="max_in_flight"):
        SnmpClient(SystemClock(), max_in_flight=0)
