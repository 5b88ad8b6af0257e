"""The agent's trap port without I/O: datagram bytes, the sender and the time in; the answer to
send (an Inform's Response, an SNMPv3 discovery Report) and the device to read at once out.

A printer tells of a change (printerV2Alert, coldStart, linkDown / linkUp, any notification) and
the agent reads that device's alerts now instead of at the next alert pass. Only devices the
agent monitors are heard: a datagram from an address not in the device table is counted and
dropped before anything is decoded (no crypto spent on strangers). Credentials are the agent's
own (its communities and SNMPv3 users): the project's agent engine in its receiver role checks
them, answers Informs (SNMPv3 ones as the authoritative engine, discovery included) and counts
what it refused; a wrong community or SNMPv3 authentication is counted and ignored. Nothing but
Inform Responses and Reports ever leaves: a GET sent to this port gets silence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ekm_proto.monitor.credentials import Credential
from ekm_proto.snmp.agent.engine import SecurityConfig, SnmpEngine
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticMibView
from ekm_proto.snmp.agent.view import AgentHandle
from ekm_proto.snmp.manager.targets import Community
from ekm_proto.snmp.notifications import (
    COLD_START,
    LINK_DOWN,
    LINK_UP,
    WARM_START,
    ReceivedNotification,
)
from ekm_proto.snmp.stats import DropReason
from ekm_proto.snmp.types import Oid, format_oid

#: RFC 3805 printerV2Alert; an SNMPv1 printerV1Alert (enterprise printmib, specific 1) reads the
#: same once RFC 3584 translates it
PRINTER_V2_ALERT: Oid = (1, 3, 6, 1, 2, 1, 43, 0, 1)
KINDS: dict[Oid, str] = {PRINTER_V2_ALERT: "printerV2Alert", COLD_START: "coldStart",
                         WARM_START: "warmStart", LINK_DOWN: "linkDown", LINK_UP: "linkUp"}
#: what the engine counts when a sender's credentials are wrong (the rest of its drops and
#: reports are malformed datagrams or the ordinary SNMPv3 discovery and time synchronisation)
_BAD_COMMUNITY = (DropReason.BAD_COMMUNITY,)
_BAD_USM_DROPS = (DropReason.UNDECRYPTABLE, DropReason.INVALID_MSG)
_BAD_USM = ("unknownUserNames", "wrongDigests", "unsupportedSecLevels", "decryptionErrors")


@dataclass(slots=True)
class TrapStats:
    """What the trap port did, for the progress display and logs."""

    received: int = 0
    accepted: int = 0  # from a monitored device with good credentials: a read was asked for
    answered: int = 0  # Inform Responses sent
    unknown_source: int = 0
    bad_credentials: int = 0
    malformed: int = 0  # did not decode, or not a notification
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def ignored(self) -> int:
        return self.unknown_source + self.bad_credentials + self.malformed

    def snapshot(self) -> dict[str, Any]:
        return {"received": self.received, "accepted": self.accepted, "answered": self.answered,
                "unknown_source": self.unknown_source, "bad_credentials": self.bad_credentials,
                "malformed": self.malformed, "kinds": dict(self.kinds)}


@dataclass(frozen=True, slots=True)
class Intake:
    """The outcome of one datagram: ``reply`` to send back to its sender (or None); ``device``,
    the monitored address whose alerts to read now (or None); ``ignored``, why it was dropped."""

    reply: bytes | None = None
    device: str | None = None
    ignored: str | None = None


class _Receiver:
    """The agent directory of a trap port: one receiving engine, whatever address was asked."""

    __slots__ = ("agent",)

    def __init__(self, agent: AgentHandle) -> None:
        self.agent = agent

    def lookup(self, address: str) -> AgentHandle | None:
        return self.agent


class TrapIntake:
    """See the module docstring. ``monitored(address)`` says whether an address is in the device
    table; ``engine_id`` and ``boots`` are the receiver's SNMPv3 identity (boots should grow at
    every start, so senders' cached engine times stay valid)."""

    def __init__(self, credentials: Sequence[Credential], monitored: Callable[[str], bool], *,
                 engine_id: bytes, boots: int = 1) -> None:
        communities = [c.security.community for c in credentials
                       if isinstance(c.security, Community)]
        users = [c.user for c in credentials if c.user is not None]
        self.monitored = monitored
        self.stats = TrapStats()
        self._heard: list[tuple[ReceivedNotification, object]] = []
        self.agent = StaticAgent(StaticMibView([]), engine_id, boots=boots)
        self.engine = SnmpEngine(_Receiver(self.agent),
                                 SecurityConfig(communities=communities, users=users),
                                 notifications=self._notified)

    def _notified(self, received: ReceivedNotification, _address: str, peer: object) -> None:
        self._heard.append((received, peer))

    def receive(self, data: bytes, sender: tuple[str, int], now: float) -> Intake:
        """One datagram from ``sender``; never raises on what the network sends."""
        stats = self.stats
        stats.received += 1
        if not self.monitored(sender[0]):
            stats.unknown_source += 1
            return Intake(ignored="unknown-source")
        engine_stats = self.engine.stats
        bad_before = self._bad_credentials()
        reports_before = engine_stats.reports
        self._heard.clear()
        result = self.engine.handle(data, sender[0], now, sender)
        heard, self._heard = self._heard, []
        if heard:
            received = heard[0][0]
            stats.accepted += 1
            stats.kinds[KINDS.get(received.notification.trap_oid,
                                  format_oid(received.notification.trap_oid))] += 1
            reply = result[0] if result is not None else None
            if reply is not None:
                stats.answered += 1
            return Intake(reply=reply, device=sender[0])
        if self._bad_credentials() > bad_before:
            stats.bad_credentials += 1
            return Intake(ignored="bad-credentials")
        if result is not None and engine_stats.reports > reports_before:
            return Intake(reply=result[0])  # SNMPv3 discovery or time synchronisation
        stats.malformed += 1
        return Intake(ignored="not-a-notification")

    def _bad_credentials(self) -> int:
        engine_stats = self.engine.stats
        return (sum(engine_stats.dropped[reason] for reason in (*_BAD_COMMUNITY, *_BAD_USM_DROPS))
                + sum(engine_stats.usm[name] for name in _BAD_USM))
