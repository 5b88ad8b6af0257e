"""What both halves of the agent engine share (the SNMPv1/v2c path in engine.py, the SNMPv3 path
in usm_processing.py): the directory of agents, the size limits, the counters, answering one PDU
from an agent's view, and dropping with a count and a rate-limited log line."""

from __future__ import annotations

from ekm_proto.snmp.agent.engine_mib import (
    IN_GET_NEXTS,
    IN_GET_REQUESTS,
    IN_SET_REQUESTS,
    IN_TOTAL_REQ_VARS,
    IN_TRAPS,
    OUT_GET_RESPONSES,
    OUT_PKTS,
    SILENT_DROPS,
    count_error,
)
from ekm_proto.snmp.agent.pdu_processing import Outcome, ViewFailure, echo, process
from ekm_proto.snmp.agent.view import AgentDirectory, AgentHandle
from ekm_proto.snmp.message import ErrorStatus, Pdu, PduType
from ekm_proto.snmp.notifications import NotificationHandler, ReceivedNotification
from ekm_proto.snmp.stats import DropLog, SnmpStats

UDP_MAX_PAYLOAD = 65507  # IPv4 UDP, also what snmpd announces as its msgMaxSize
DEFAULT_MAX_BULK = 2048
_GET, _SET, _BULK = int(PduType.GET), int(PduType.SET), int(PduType.GET_BULK)
_INFORM = int(PduType.INFORM)


class AgentCore:
    """See the module docstring; ``SnmpEngine`` is the public face."""

    def __init__(self, directory: AgentDirectory, stats: SnmpStats | None,
                 max_message_size: int, max_bulk_varbinds: int, drop_log: DropLog | None,
                 notifications: NotificationHandler | None = None) -> None:
        self.directory = directory
        self.notifications = notifications
        self.stats = stats if stats is not None else SnmpStats()
        self.max_message_size = max_message_size
        self.max_bulk_varbinds = max_bulk_varbinds
        self.log = drop_log if drop_log is not None else DropLog()

    def answer(self, agent: AgentHandle, pdu: Pdu, v1: bool, budget: int, address: str,
               now: float, writable: bool = False) -> Outcome | None:
        """Process a request PDU against the agent's view, counting it in the agent's snmp group
        as snmpd counts; a view that raises gets genErr."""
        counters = agent.counters
        kind = pdu.type
        if kind == _SET:
            if writable:
                counters[IN_SET_REQUESTS] += 1
        elif kind != _BULK:
            counters[IN_GET_REQUESTS if kind == _GET else IN_GET_NEXTS] += 1
        outcome = self._outcome(agent, pdu, v1, budget, address, now, writable)
        if outcome is None:
            counters[SILENT_DROPS] += 1
        elif outcome[0]:
            count_error(counters, outcome[0])
        else:
            counters[IN_TOTAL_REQ_VARS] += len(outcome[2])
        return outcome

    def _outcome(self, agent: AgentHandle, pdu: Pdu, v1: bool, budget: int, address: str,
                 now: float, writable: bool) -> Outcome | None:
        try:
            return process(agent.view, pdu, v1, budget, self.max_bulk_varbinds, writable)
        except ViewFailure as failure:
            self.stats.view_errors += 1
            self.log.problem("snmp.view_error", address, str(failure), now)
            try:
                varbinds = echo(pdu.varbinds)
            except Exception:  # a request we decoded always re-encodes; never crash on it
                varbinds = []
            if sum(map(len, varbinds)) > budget:
                varbinds = []
            return int(ErrorStatus.GEN_ERR), failure.index, varbinds

    def notified(self, agent: AgentHandle, received: ReceivedNotification, address: str,
                 peer: object) -> bool:
        """Hand a notification to the handler; True when it is an Inform to answer."""
        assert self.notifications is not None
        agent.counters[IN_TRAPS] += 1
        self.notifications(received, address, peer)
        return received.pdu_type == _INFORM

    def responded(self, agent: AgentHandle, report: bool = False) -> None:
        """A Response (or Report) is going out from ``agent``."""
        counters = agent.counters
        counters[OUT_PKTS] += 1
        if not report:
            counters[OUT_GET_RESPONSES] += 1

    def delay_of(self, agent: AgentHandle) -> float:
        delay = agent.response_delay()
        if delay > 0:
            self.stats.delayed += 1
            return delay
        return 0.0

    def drop(self, reason: str, address: str, peer: object, detail: str, now: float) -> None:
        self.stats.dropped[reason] += 1
        self.log.drop(reason, address, peer, detail, now)
