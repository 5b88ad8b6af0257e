"""What happened to each datagram on the agent's SNMP port: counters, plus a rate-limited debug log
of drops.

One ``SnmpStats`` serves the whole server (every agent), for the operator and the control API;
what each agent serves in its own snmp group and usmStats (and puts in its reports) are its own
counters (agent/engine_mib.py), kept by the agent.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger


class DropReason:
    """The keys of ``SnmpStats.dropped`` that the engine itself uses (decode errors add the
    ``reason`` of their SnmpDecodeError class: truncated, bad-length, unexpected-tag, bad-value,
    trailing-bytes, bad-version, unknown-pdu)."""

    NO_AGENT = "no-agent"  # AgentDirectory.lookup returned None
    BAD_COMMUNITY = "bad-community"  # snmpInBadCommunityNames
    UNEXPECTED_PDU = "unexpected-pdu"  # Response/Trap/Report/Inform sent to us, GETBULK in v1
    UNKNOWN_SECURITY_MODEL = "unknown-security-model"  # snmpUnknownSecurityModels
    INVALID_MSG = "invalid-msg"  # snmpInvalidMsgs: priv without auth
    NOT_REPORTABLE = "not-reportable"  # a USM failure whose request did not ask for reports
    UNDECRYPTABLE = "undecryptable"  # decrypted to garbage: wrong priv key (snmpd: ASN parse err)
    UNKNOWN_CONTEXT = "unknown-context"  # non-empty contextName (snmpd drops these too)
    TOO_BIG = "too-big"  # even the tooBig error response does not fit the manager's limit
    INTERNAL = "internal-error"  # a bug (ours or the view's); logged at warning level
    SEND_FAILED = "send-failed"  # sendmsg refused the response (socket buffer full...)


class SnmpStats:
    """Engine-wide counters. ``dropped`` is per reason (see DropReason), ``usm`` holds the usmStats
    counters by name (unknownEngineIDs, notInTimeWindows, ...), incremented whether or not a report
    could be sent."""

    __slots__ = ("answered", "delayed", "dropped", "received", "reports", "usm", "view_errors")

    def __init__(self) -> None:
        self.received = 0  # datagrams handed to the engine
        self.answered = 0  # Response PDUs produced
        self.reports = 0  # Report PDUs produced
        self.delayed = 0  # answers held back by AgentHandle.response_delay()
        self.view_errors = 0  # MibView calls that raised (answered with genErr)
        self.dropped: Counter[str] = Counter()
        self.usm: Counter[str] = Counter()

    @property
    def total_dropped(self) -> int:
        return sum(self.dropped.values())

    def snapshot(self) -> dict[str, Any]:
        """A plain copy for JSON (the control API, logs, tests)."""
        return {"received": self.received, "answered": self.answered, "reports": self.reports,
                "delayed": self.delayed, "view_errors": self.view_errors,
                "dropped": dict(self.dropped), "usm": dict(self.usm)}


class DropLog:
    """Debug-level lines for dropped datagrams, at most one per ``interval`` seconds and per
    reason (protolab's LogThrottle), so that a flood of garbage costs counters, not log volume,
    and never hides the first line of another kind. Each line says how many of its reason were
    passed over since the previous one. Time is the ``now`` the engine was given."""

    __slots__ = ("_log", "_throttle")

    def __init__(self, interval: float = 1.0, logger: Any = None) -> None:
        self._log = logger if logger is not None else get_logger("ekm_proto.snmp")
        self._throttle = LogThrottle(interval)

    def drop(self, reason: str, address: str, peer: object, detail: str, now: float) -> None:
        suppressed = self._throttle.allow(now, reason)
        if suppressed is None:
            return
        self._log.debug("snmp.drop", reason=reason, address=address, peer=peer, detail=detail,
                        suppressed=suppressed)

    def problem(self, event: str, address: str, detail: str, now: float) -> None:
        """A warning for bugs (a view raising), rate-limited the same way."""
        suppressed = self._throttle.allow(now, event)
        if suppressed is None:
            return
        self._log.warning(event, address=address, detail=detail, suppressed=suppressed)
