"""The SNMP manager as a state machine: operations and time in, datagrams and results out.

``submit`` an operation for a target, send what ``datagrams_to_send`` returns, feed every datagram
that arrives to ``receive`` and call ``handle_timer`` when ``next_deadline`` passes; results come
out of ``next_event`` as ``Response`` or ``Failure``. Nothing here touches a socket or a clock,
so retries, backoff, discovery and resynchronisation are tested by passing times in.

Answers are matched on request-id (msgID for SNMPv3, the same number) and on the address asked:
duplicates, late answers to requests already answered or given up on, and answers from elsewhere
are counted and ignored. A request keeps its id over its retries, so a late answer to an earlier
attempt still completes it. SNMPv3 targets are discovered on first use (RFC 3414 section 4) and
their engine ID and clock kept per target (engine_cache.py); an SNMPv1 agent's noSuchName is
turned into a value and the request re-sent without the refused varbind, as net-snmp does.
"""

from __future__ import annotations

import heapq
import os
from collections import deque
from dataclasses import dataclass, field

from ekm_proto.errors import (
    SnmpAuthError,
    SnmpDecodeError,
    SnmpManagerError,
    SnmpReportError,
    SnmpTimeout,
)
from ekm_proto.snmp import usm
from ekm_proto.snmp.manager.encoding import (
    decode_v3_response,
    encode_community_request,
    encode_discovery,
    encode_v3_request,
    response_id,
)
from ekm_proto.snmp.manager.engine_cache import Address, EngineCache
from ekm_proto.snmp.manager.events import Event, Failure, ManagerStats, Response, Transmit
from ekm_proto.snmp.manager.reports import AUTH_REPORTS, REPORTS, explain_report
from ekm_proto.snmp.manager.targets import Community, Operation, Target, Usm
from ekm_proto.snmp.message import (
    FLAG_AUTH,
    ErrorStatus,
    Pdu,
    PduType,
    SnmpVersion,
    decode_community_body,
    decode_version,
)
from ekm_proto.snmp.types import END_OF_MIB_VIEW, NO_SUCH_NAME, VarBind

MAX_REQUEST_ID = 0x7FFFFFFF
MAX_RESYNCS = 2  # engine-ID changes or clock resynchronisations per request before giving up


@dataclass(slots=True, eq=False)
class _Exchange:
    """A request on the wire (or waiting for its target's discovery), or a discovery probe
    (``operation`` None) with the requests waiting for it."""

    handle: int
    target: Target
    operation: Operation | None
    request_id: int = 0
    attempt: int = 0
    first_sent: float = 0.0
    resyncs: int = 0
    active: list[int] = field(default_factory=list)  # positions of the operation's OIDs sent
    settled: dict[int, VarBind] = field(default_factory=dict)  # SNMPv1 refusals, as values
    waiting: list[_Exchange] = field(default_factory=list)


class SnmpManager:
    """See the module docstring. ``first_request_id`` fixes the id sequence (tests); by default
    it starts at a random point, so two runs do not reuse each other's ids."""

    def __init__(self, *, first_request_id: int | None = None,
                 engines: EngineCache | None = None) -> None:
        start = (int.from_bytes(os.urandom(4), "big") if first_request_id is None
                 else first_request_id)
        self._next_id = start % MAX_REQUEST_ID + 1 if first_request_id is None else start
        self._next_handle = 1
        self.engines = engines if engines is not None else EngineCache()
        self.stats = ManagerStats()
        self._by_id: dict[int, _Exchange] = {}
        self._discoveries: dict[Address, _Exchange] = {}
        self._deadlines: list[tuple[float, int, int]] = []  # (when, request id, attempt)
        self._outbox: list[Transmit] = []
        self._events: deque[Event] = deque()
        self._next_salt = usm.new_salt_source()

    # ---- the interface ------------------------------------------------------------------------

    @property
    def in_flight(self) -> int:
        """Operations submitted and not yet answered or failed."""
        return sum(1 for e in self._by_id.values() if e.operation is not None) + sum(
            len(d.waiting) for d in self._discoveries.values())

    def submit(self, target: Target, operation: Operation, now: float) -> int:
        """Start ``operation`` on ``target``; returns the handle its Response or Failure carries."""
        handle = self._next_handle
        self._next_handle += 1
        exchange = _Exchange(handle, target, operation, active=list(range(len(operation.oids))))
        if target.version == SnmpVersion.V3 and not self._engine_known(target):
            self._await_discovery(exchange, now)
        else:
            self._start(exchange, now)
        return handle

    def receive(self, data: bytes, source: Address, now: float) -> None:
        """One datagram that arrived from ``source``."""
        self.stats.received += 1
        self.stats.received_bytes += len(data)
        try:
            version, pos, end = decode_version(data)
            if version == SnmpVersion.V3:
                self._receive_v3(data, source, now)
                return
            message = decode_community_body(data, version, pos, end)
        except SnmpDecodeError:
            self.stats.undecodable += 1
            return
        exchange = self._match(message.pdu.request_id, source)
        security = exchange.target.security if exchange is not None else None
        if exchange is None or not isinstance(security, Community) or message.pdu.type != \
                PduType.RESPONSE or (version, message.community) != (security.version,
                                                                     security.community):
            self.stats.unmatched += 1
            return
        self._answered(exchange, message.pdu, now)

    def handle_timer(self, now: float) -> None:
        """Retransmit or give up every request whose wait is over at ``now``."""
        deadlines = self._deadlines
        while deadlines and deadlines[0][0] <= now:
            _when, request_id, attempt = heapq.heappop(deadlines)
            exchange = self._by_id.get(request_id)
            if exchange is None or exchange.attempt != attempt:
                continue  # answered, or already re-sent
            if exchange.attempt < exchange.target.retry.retries:
                exchange.attempt += 1
                self.stats.retransmitted += 1
                self._transmit(exchange, now)
            else:
                self.stats.timeouts += 1
                self._give_up(exchange, now)

    def next_deadline(self) -> float | None:
        deadlines = self._deadlines
        while deadlines:
            _when, request_id, attempt = deadlines[0]
            exchange = self._by_id.get(request_id)
            if exchange is not None and exchange.attempt == attempt:
                return deadlines[0][0]
            heapq.heappop(deadlines)
        return None

    def datagrams_to_send(self) -> list[Transmit]:
        out, self._outbox = self._outbox, []
        return out

    def next_event(self) -> Event | None:
        return self._events.popleft() if self._events else None

    # ---- sending ------------------------------------------------------------------------------

    def _allocate_id(self) -> int:
        while True:
            request_id = self._next_id
            self._next_id = request_id % MAX_REQUEST_ID + 1
            if request_id not in self._by_id:
                return request_id

    def _start(self, exchange: _Exchange, now: float) -> None:
        exchange.request_id = self._allocate_id()
        exchange.attempt = 0
        exchange.first_sent = now
        self._by_id[exchange.request_id] = exchange
        self._transmit(exchange, now)

    def _transmit(self, exchange: _Exchange, now: float) -> None:
        target = exchange.target
        request_id = exchange.request_id
        if exchange.operation is None:
            data = encode_discovery(request_id)
        else:
            oids = tuple(exchange.operation.oids[i] for i in exchange.active)
            pdu = exchange.operation.pdu(request_id, oids)
            data = self._encode(target, pdu, now)
        handle = exchange.handle or (exchange.waiting[0].handle if exchange.waiting else 0)
        self._outbox.append(Transmit(data, target.address, handle))
        self.stats.sent += 1
        self.stats.sent_bytes += len(data)
        when = now + target.retry.timeout_for(exchange.attempt)
        heapq.heappush(self._deadlines, (when, request_id, exchange.attempt))

    def _encode(self, target: Target, pdu: Pdu, now: float) -> bytes:
        security = target.security
        if isinstance(security, Community):
            return encode_community_request(security, pdu)
        known = self.engines.get(target.address)
        assert known is not None
        user = security.user
        return encode_v3_request(user if user.auth is not None else None, known.engine_id,
                                 known.boots, known.time_at(now), pdu,
                                 msg_id=pdu.request_id, level=security.flags,
                                 context_name=security.context_name, salt=self._next_salt(),
                                 user_name=user.name)

    def _engine_known(self, target: Target) -> bool:
        known = self.engines.get(target.address)
        return known is not None and self.engines.usable(known)

    def _await_discovery(self, exchange: _Exchange, now: float) -> None:
        probe = self._discoveries.get(exchange.target.address)
        if probe is None:
            probe = _Exchange(0, exchange.target, None)
            self._discoveries[exchange.target.address] = probe
            self.stats.discoveries += 1
            self._start(probe, now)
        probe.waiting.append(exchange)

    # ---- receiving ----------------------------------------------------------------------------

    def _match(self, request_id: int, source: Address) -> _Exchange | None:
        exchange = self._by_id.get(request_id)
        if exchange is None or exchange.target.address != source:
            return None
        return exchange

    def _receive_v3(self, data: bytes, source: Address, now: float) -> None:
        from_id = _msg_id(data)
        exchange = self._match(from_id, source) if from_id is not None else None
        if exchange is None:
            self.stats.unmatched += 1
            return
        security = exchange.target.security
        user = security.user if isinstance(security, Usm) else None
        try:
            message, params, scoped = decode_v3_response(data, user)
        except SnmpDecodeError as exc:
            if exc.reason == "unverified":
                self.stats.unverified += 1
            else:
                self.stats.undecodable += 1
            return
        authenticated = bool(message.flags & FLAG_AUTH)
        pdu = scoped.pdu
        if pdu.type == PduType.REPORT:
            self.stats.reports += 1
            self._report(exchange, pdu, params, authenticated, now)
            return
        wanted = security.flags & FLAG_AUTH if isinstance(security, Usm) else 0
        if pdu.type != PduType.RESPONSE or exchange.operation is None or (
                authenticated != bool(wanted)):
            self.stats.unverified += 1  # RFC 3412 7.2 step 13: same level as the request
            return
        if authenticated:
            self.engines.heard(source, params.engine_id, params.boots, params.time, now)
        self._answered(exchange, pdu, now)

    def _report(self, exchange: _Exchange, pdu: Pdu, params: usm.UsmParameters,
                authenticated: bool, now: float) -> None:
        oid = pdu.varbinds[0][0] if pdu.varbinds else ()
        name = REPORTS.get(oid, "")
        address = exchange.target.address
        if exchange.operation is None:  # our discovery probe: any Report naming an engine
            if not params.engine_id:
                self.stats.unverified += 1
                return
            self.engines.learn(address, params.engine_id, params.boots, params.time, now)
            self._finish(exchange)
            del self._discoveries[address]
            for waiting in exchange.waiting:
                self._start(waiting, now)
            return
        known = self.engines.get(address)
        if name == "unknownEngineIDs" and params.engine_id and (
                known is None or params.engine_id != known.engine_id):
            self._resync(exchange, params, now)  # another device now answers at this address
            return
        if name == "notInTimeWindows":
            if not authenticated:  # only an authenticated Report may move the clock (RFC 3414)
                self.stats.unverified += 1
                return
            self._resync(exchange, params, now)
            return
        kind = SnmpAuthError if name in AUTH_REPORTS else SnmpReportError
        error = kind(explain_report(exchange.target.describe(), oid, name), target=str(exchange.target),
                     report=name or "unknown", report_oid=oid)
        self._fail(exchange, error)

    def _resync(self, exchange: _Exchange, params: usm.UsmParameters, now: float) -> None:
        exchange.resyncs += 1
        if exchange.resyncs > MAX_RESYNCS:
            self._fail(exchange, SnmpReportError(
                f"{exchange.target.describe()}: the agent keeps refusing our view of its engine "
                f"(ID {params.engine_id.hex()}, boots {params.boots}, time {params.time}) after "
                f"{MAX_RESYNCS} resynchronisations", target=str(exchange.target),
                report="notInTimeWindows", report_oid=usm.NOT_IN_TIME_WINDOWS))
            return
        self.engines.learn(exchange.target.address, params.engine_id, params.boots,
                           params.time, now)
        self._finish(exchange)
        self._start(exchange, now)

    def _answered(self, exchange: _Exchange, pdu: Pdu, now: float) -> None:
        operation = exchange.operation
        assert operation is not None
        v1 = exchange.target.version == SnmpVersion.V1
        index = pdu.error_index
        if v1 and pdu.error_status == ErrorStatus.NO_SUCH_NAME and 1 <= index <= len(
                exchange.active) and operation.pdu_type in (PduType.GET, PduType.GET_NEXT):
            position = exchange.active.pop(index - 1)
            oid = operation.oids[position]
            missing = NO_SUCH_NAME if operation.pdu_type == PduType.GET else END_OF_MIB_VIEW
            exchange.settled[position] = (oid, missing)
            self._finish(exchange)
            if exchange.active:
                self._start(exchange, now)  # again without the refused varbind, as net-snmp
            else:
                self._complete(exchange, [], 0, 0)
            return
        if pdu.error_status == 0 and not _fits(operation, exchange.active, pdu.varbinds):
            self.stats.malformed += 1  # a broken or forged answer: wait for a real one
            return
        self._finish(exchange)
        self._complete(exchange, pdu.varbinds, pdu.error_status, pdu.error_index)

    def _complete(self, exchange: _Exchange, varbinds: list[VarBind], status: int,
                  index: int) -> None:
        if exchange.settled:
            merged = dict(exchange.settled)
            if status == 0:
                merged.update(zip(exchange.active, varbinds, strict=False))
            varbinds = [merged[p] for p in sorted(merged)]
        self._events.append(Response(exchange.handle, exchange.target, varbinds, status, index))

    # ---- ending -------------------------------------------------------------------------------

    def _finish(self, exchange: _Exchange) -> None:
        self._by_id.pop(exchange.request_id, None)

    def _fail(self, exchange: _Exchange, error: SnmpManagerError) -> None:
        self._finish(exchange)
        if exchange.operation is not None:
            self._events.append(Failure(exchange.handle, exchange.target, error))
            return
        self._discoveries.pop(exchange.target.address, None)
        for waiting in exchange.waiting:
            self._events.append(Failure(waiting.handle, waiting.target, error))

    def _give_up(self, exchange: _Exchange, now: float) -> None:
        target = exchange.target
        what = exchange.operation.name if exchange.operation is not None else \
            "SNMPv3 engine discovery"
        attempts = target.retry.retries + 1
        waits = ", ".join(f"{t:g}" for t in target.retry.schedule())
        hint = ("a wrong community looks like this: agents drop such requests silently"
                if isinstance(target.security, Community) else
                "a wrong privacy key looks like this: agents drop what they cannot decrypt")
        self._fail(exchange, SnmpTimeout(
            f"{target.describe()}: no answer to {what} after {attempts} attempt(s) over "
            f"{now - exchange.first_sent:.1f} s (waits {waits} s); {hint}",
            target=str(target)))


def _fits(operation: Operation, active: list[int], varbinds: list[VarBind]) -> bool:
    """Whether an error-free answer can be the answer: GET and GETNEXT give one varbind per OID
    asked (GET and INFORM with the same names), GETBULK at most what was asked for."""
    if operation.pdu_type == PduType.GET_BULK:
        asked = len(operation.oids)
        repeaters = asked - operation.non_repeaters
        return len(varbinds) <= operation.non_repeaters + repeaters * operation.max_repetitions
    if len(varbinds) != len(active):
        return False
    return operation.pdu_type not in (PduType.GET, PduType.INFORM) or all(
        name == operation.oids[position] for (name, _), position in zip(varbinds, active,
                                                                         strict=True))


def _msg_id(data: bytes) -> int | None:
    try:
        return response_id(data)
    except SnmpDecodeError:
        return None
