"""The SNMP benchmark's shared parts: a 401-OID Printer-MIB-shaped tree and a UDP load client.

The client keeps a fixed number of requests in flight over a *connected* UDP socket (so the kernel
drops any answer that does not come from the address asked, which checks IP_PKTINFO on the way),
sends pre-encoded requests with rotating request ids, and counts only answers whose id is
outstanding and whose content passes the check. Its requests are encoded in advance by the SNMP
manager's encoders (ekm_proto.snmp.manager.encoding), answers matched by the manager's
``response_id``; the send loop stays this bare so that the client, on its own core, is not the
bottleneck for servers in the 10k-100k requests/s range.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue

PRT = (1, 3, 6, 1, 2, 1, 43)
HP_COUNTERS = (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 4, 1, 2)
TREE_SIZE = 401


def printer_tree() -> list[tuple[Oid, SnmpValue]]:
    """401 OIDs shaped like a colour MFP's Printer-MIB (RFC 3805) plus vendor page counters.

    Only types that snmpd's ``override`` directive can serve (INTEGER, Gauge32, Counter32, OCTET
    STRING, OID) so that every server in the comparison serves byte-identical data."""
    items: list[tuple[Oid, SnmpValue]] = []

    def add(oid: Oid, kind: SnmpType, value: object) -> None:
        items.append((oid, (kind, value)))

    strings = {4: b"Operator", 5: b"Service", 16: b"HP Color LaserJet M577",
               17: b"JPBCN7K0QF"}
    for column in range(1, 20):  # prtGeneralEntry
        if column in strings:
            add((*PRT, 5, 1, 1, column, 1), SnmpType.OCTET_STRING, strings[column])
        elif column in (1, 18, 19):
            add((*PRT, 5, 1, 1, column, 1), SnmpType.COUNTER32, 1000 + column)
        else:
            add((*PRT, 5, 1, 1, column, 1), SnmpType.INTEGER, column % 5 + 1)
    for cover in (1, 2):  # prtCoverTable
        add((*PRT, 6, 1, 1, 2, 1, cover), SnmpType.OCTET_STRING, b"Front Door %d" % cover)
        add((*PRT, 6, 1, 1, 3, 1, cover), SnmpType.INTEGER, 4)
    tables = [  # (table entry, columns, rows, string columns)
        ((8, 2, 1), range(2, 22), 4, {12: b"Tray %d", 13: b"Plain", 18: b"Letter"}),
        ((9, 2, 1), range(2, 17), 2, {7: b"Face Down Bin %d", 16: b"Output"}),
        ((10, 2, 1), range(2, 16), 1, {}),
        ((11, 1, 1), range(2, 10), 8, {6: b"Black Cartridge HP 508X %d"}),
        ((12, 1, 1), range(2, 6), 4, {4: b"colorant %d"}),
        ((13, 4, 1), range(2, 12), 1, {9: b"Duplex path %d"}),
        ((14, 1, 1), range(2, 10), 3, {6: b"channel %d"}),
        ((15, 1, 1), range(2, 13), 3, {3: b"PCL %d", 4: b"v1.%d"}),
        ((17, 6, 1), range(2, 6), 3, {5: b"Ready light %d"}),
        ((18, 1, 1), range(2, 10), 3, {8: b"Toner low %d"}),
    ]
    for entry, columns, rows, texts in tables:
        for column in columns:
            for row in range(1, rows + 1):
                oid = (*PRT, *entry, column, 1, row)
                if column in texts:
                    text = texts[column]
                    add(oid, SnmpType.OCTET_STRING, text % row if b"%d" in text else text)
                elif entry == (10, 2, 1) and column == 4:
                    add(oid, SnmpType.COUNTER32, 1_234_567 + row)  # prtMarkerLifeCount
                elif column % 7 == 3:
                    add(oid, SnmpType.GAUGE32, 100 * row + column)
                else:
                    add(oid, SnmpType.INTEGER, (column * 37 + row) % 3000 - 3)
    add((*PRT, 5, 1, 1, 20, 1), SnmpType.OBJECT_IDENTIFIER, (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 1))
    for line in range(1, 5):  # prtConsoleDisplayBufferText
        add((*PRT, 16, 5, 1, 2, 1, line), SnmpType.OCTET_STRING, b"Ready line %d" % line)
    counter = 1
    while len(items) < TREE_SIZE:  # vendor page counters: mono/colour, A4/A3, scans
        add((*HP_COUNTERS, counter, 0), SnmpType.COUNTER32, 40_000 + counter * 977)
        counter += 1
    items.sort()
    assert len(items) == TREE_SIZE and len({oid for oid, _ in items}) == TREE_SIZE
    return items


@dataclass
class LoadResult:
    seconds: float
    answers: int  # correct answers counted
    oids: int  # varbinds in those answers
    bad: int  # answers with an outstanding id that failed the check
    lost: int  # requests re-sent after a timeout

    @property
    def rate(self) -> float:
        return self.answers / self.seconds

    @property
    def oid_rate(self) -> float:
        return self.oids / self.seconds


class LoadClient:
    """``in_flight`` outstanding requests to one target for ``seconds``, or to ``spread`` targets
    in turn (an unconnected socket then, every answer checked to come from the address asked).

    ``requests[i]`` must carry id ``first_id + i`` (read back by ``id_of``); ``check(response,
    index)`` returns the number of varbinds in a correct answer, or 0 for a wrong one."""

    def __init__(self, target: tuple[str, int], requests: list[bytes], first_id: int,
                 id_of: Callable[[bytes], int], check: Callable[[bytes, int], int],
                 in_flight: int = 64, timeout: float = 0.25,
                 spread: list[str] | None = None) -> None:
        self.target = target
        self.spread = spread
        self.requests = requests
        self.first_id = first_id
        self.id_of = id_of
        self.check = check
        self.in_flight = in_flight
        self.timeout = timeout

    async def run(self, seconds: float, warmup: float = 0.3,
                  on_window: Callable[[bool], None] | None = None) -> LoadResult:
        """Load for ``warmup`` + ``seconds``; counts during ``seconds`` only, and calls
        ``on_window(True)`` / ``on_window(False)`` at its edges (to read the server's CPU)."""
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        sock.setblocking(False)
        spread, port = self.spread, self.target[1]
        if spread is None:
            sock.connect(self.target)
        requests, first, count = self.requests, self.first_id, len(self.requests)
        outstanding: dict[int, tuple[float, str]] = {}
        state = {"next": 0, "answers": 0, "oids": 0, "bad": 0, "lost": 0, "counting": False,
                 "target": 0}
        id_of, check = self.id_of, self.check

        def send_next() -> None:
            for _ in range(count):
                index = state["next"]
                state["next"] = (index + 1) % count
                if first + index not in outstanding:
                    try:
                        if spread is None:
                            outstanding[first + index] = (time.monotonic(), "")
                            sock.send(requests[index])
                        else:
                            address = spread[state["target"]]
                            state["target"] = (state["target"] + 1) % len(spread)
                            outstanding[first + index] = (time.monotonic(), address)
                            sock.sendto(requests[index], (address, port))
                    except (BlockingIOError, ConnectionRefusedError):
                        pass  # the timeout sweep re-sends
                    return

        def readable() -> None:
            while True:
                try:
                    data, source = sock.recvfrom(65536)
                except (BlockingIOError, InterruptedError):
                    return
                except ConnectionRefusedError:
                    continue
                try:
                    request_id = id_of(data)
                except Exception:
                    state["bad"] += 1
                    continue
                sent = outstanding.pop(request_id, None)
                if sent is None:
                    continue  # a late answer to a request already given up on
                if spread is not None and source[0] != sent[1]:
                    state["bad"] += 1  # answered from another address than the one asked
                    send_next()
                    continue
                oids = check(data, request_id - first)
                if state["counting"]:
                    if oids:
                        state["answers"] += 1
                        state["oids"] += oids
                    else:
                        state["bad"] += 1
                send_next()

        async def sweep() -> None:
            while True:
                await asyncio.sleep(self.timeout / 2)
                now = time.monotonic()
                for request_id, (sent, _address) in list(outstanding.items()):
                    if now - sent > self.timeout:
                        del outstanding[request_id]
                        state["lost"] += 1
                        send_next()

        loop.add_reader(sock.fileno(), readable)
        sweeper = asyncio.ensure_future(sweep())
        try:
            for _ in range(self.in_flight):
                send_next()
            await asyncio.sleep(warmup)
            state.update(answers=0, oids=0, bad=0, lost=0, counting=True)
            if on_window is not None:
                on_window(True)
            start = time.perf_counter()
            await asyncio.sleep(seconds)
            state["counting"] = False
            elapsed = time.perf_counter() - start
            if on_window is not None:
                on_window(False)
        finally:
            sweeper.cancel()
            loop.remove_reader(sock.fileno())
            sock.close()
        return LoadResult(elapsed, state["answers"], state["oids"], state["bad"], state["lost"])
