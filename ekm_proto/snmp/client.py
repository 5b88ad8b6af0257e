"""The asyncio adapter of the SNMP manager: one UDP socket for every target, a bounded number of
requests in flight, timers on the injected clock.

All protocol decisions (ids, matching, retries, SNMPv3 discovery and clock, SNMPv1 noSuchName)
live in manager.session.SnmpManager; this module only moves its datagrams and wakes it when a
deadline passes. A target costs nothing here until it is asked, so one client serves 100,000
printers: at most ``max_in_flight`` requests are outstanding, the rest wait their turn.

    async with SnmpClient(SystemClock(), max_in_flight=500) as client:
        target = Target.v2c("127.30.0.1", 161, "public")
        value = (await client.get(target, SYS_DESCR))[0][1]
        supplies = await client.walk(target, PRT_MARKER_SUPPLIES_ENTRY)
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Sequence
from types import TracebackType

from ekm_proto.errors import SnmpErrorStatus
from ekm_proto.snmp.manager.events import Failure, Response
from ekm_proto.snmp.manager.session import SnmpManager
from ekm_proto.snmp.manager.targets import Operation, Target, get, get_bulk, get_next
from ekm_proto.snmp.manager.walk import Walk
from ekm_proto.snmp.message import ErrorStatus, SnmpVersion
from ekm_proto.snmp.types import Oid, VarBind
from protolab.clock import Clock, Timer
from protolab.errors import ConfigurationError


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, client: SnmpClient) -> None:
        self.client = client

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        self.client._received(data, (str(addr[0]), int(addr[1])))

    def error_received(self, exc: Exception) -> None:
        pass  # an ICMP error for some earlier datagram: the manager's retries handle it


class SnmpClient:
    """See the module docstring. ``max_in_flight_seen`` records the most requests ever
    outstanding at once (it never exceeds ``max_in_flight``)."""

    def __init__(self, clock: Clock, *, max_in_flight: int = 256,
                 local_address: tuple[str, int] = ("0.0.0.0", 0),
                 manager: SnmpManager | None = None, buffer_size: int = 4 << 20) -> None:
        if max_in_flight < 1:
            raise ConfigurationError(f"max_in_flight {max_in_flight}: expected at least 1")
        self.clock = clock
        self.manager = manager if manager is not None else SnmpManager()
        self.max_in_flight = max_in_flight
        self.local_address = local_address
        self.buffer_size = buffer_size  # socket buffers: hundreds of answers may arrive at once
        self.in_flight = 0
        self.max_in_flight_seen = 0
        self._slots = asyncio.Semaphore(max_in_flight)
        self._waiters: dict[int, asyncio.Future[Response]] = {}
        self._transport: asyncio.DatagramTransport | None = None
        self._timer: Timer | None = None
        self._timer_at: float | None = None

    async def start(self) -> None:
        if self._transport is None:
            loop = asyncio.get_running_loop()
            self._transport, _ = await loop.create_datagram_endpoint(
                lambda: _Datagrams(self), local_addr=self.local_address)
            sock = self._transport.get_extra_info("socket")
            for option in (socket.SO_RCVBUF, socket.SO_SNDBUF):  # answers arrive in bursts
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, option, self.buffer_size)

    async def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._transport is not None:
            self._transport.close()
            self._transport = None
        for waiter in self._waiters.values():
            if not waiter.done():
                waiter.cancel()

    async def __aenter__(self) -> SnmpClient:
        await self.start()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    # ---- requests -----------------------------------------------------------------------------

    async def request(self, target: Target, operation: Operation) -> Response:
        """One operation, answered (possibly with an error-status) or failed with a
        SnmpManagerError naming the target."""
        if self._transport is None:
            raise ConfigurationError("the SNMP client is not started (use async with)")
        async with self._slots:
            self.in_flight += 1
            self.max_in_flight_seen = max(self.max_in_flight_seen, self.in_flight)
            try:
                handle = self.manager.submit(target, operation, self.clock.now())
                waiter: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
                self._waiters[handle] = waiter
                self._flush()
                try:
                    return await waiter
                finally:
                    self._waiters.pop(handle, None)
            finally:
                self.in_flight -= 1

    async def get(self, target: Target, *oids: Oid) -> list[VarBind]:
        """Values of ``oids``; missing objects come back as exception values."""
        return _checked(await self.request(target, get(*oids)))

    async def get_next(self, target: Target, *oids: Oid) -> list[VarBind]:
        return _checked(await self.request(target, get_next(*oids)))

    async def get_bulk(self, target: Target, oids: Sequence[Oid], non_repeaters: int = 0,
                       max_repetitions: int = 10) -> list[VarBind]:
        if target.version == SnmpVersion.V1:
            raise ConfigurationError(f"{target.describe()}: GETBULK needs SNMPv2c or v3")
        return _checked(await self.request(target, get_bulk(list(oids), non_repeaters,
                                                            max_repetitions)))

    async def walk(self, target: Target, root: Oid, *, bulk: bool | None = None,
                   max_repetitions: int = 25) -> list[VarBind]:
        """Every object under ``root`` in OID order (GETBULK unless SNMPv1 or ``bulk=False``)."""
        use_bulk = target.version != SnmpVersion.V1 if bulk is None else bulk
        walk = Walk(root, bulk=use_bulk, max_repetitions=max_repetitions,
                    target=target.describe())
        while (operation := walk.next_operation()) is not None:
            walk.feed(_checked(await self.request(target, operation)))
        return walk.rows

    # ---- the manager's I/O --------------------------------------------------------------------

    def _received(self, data: bytes, source: tuple[str, int]) -> None:
        self.manager.receive(data, source, self.clock.now())
        self._flush()

    def _on_timer(self) -> None:
        self._timer = self._timer_at = None
        self.manager.handle_timer(self.clock.now())
        self._flush()

    def _flush(self) -> None:
        manager = self.manager
        transport = self._transport
        for data, address, _handle in manager.datagrams_to_send():
            if transport is not None:
                transport.sendto(data, address)
        while (event := manager.next_event()) is not None:
            waiter = self._waiters.get(event.handle)
            if waiter is None or waiter.done():
                continue
            if isinstance(event, Failure):
                waiter.set_exception(event.error)
            else:
                waiter.set_result(event)
        deadline = manager.next_deadline()
        if deadline != self._timer_at:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = None if deadline is None else self.clock.call_at(deadline,
                                                                           self._on_timer)
            self._timer_at = deadline


def _checked(response: Response) -> list[VarBind]:
    """The varbinds of an answer, or SnmpErrorStatus naming the target and the status."""
    status = response.error_status
    if status:
        name = ErrorStatus(status).name if status in ErrorStatus._value2member_map_ else status
        raise SnmpErrorStatus(f"{response.target.describe()}: the agent answered error-status "
                              f"{name} (index {response.error_index})",
                              target=str(response.target), status=status,
                              index=response.error_index)
    return response.varbinds
