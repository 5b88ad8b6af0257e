"""The manager and the agent engine joined without sockets: what one sends, the other handles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ekm_proto.snmp.agent.engine import SnmpEngine
from ekm_proto.snmp.manager.events import Event, Response
from ekm_proto.snmp.manager.session import SnmpManager
from ekm_proto.snmp.manager.targets import Operation, Target
from ekm_proto.snmp.types import VarBind

PEER = ("127.0.0.1", 40161)


class Walker(Protocol):
    def next_operation(self) -> Operation | None: ...

    def feed(self, varbinds: Sequence[VarBind]) -> object: ...


@dataclass
class Joined:
    manager: SnmpManager
    engine: SnmpEngine
    sent: list[bytes] = field(default_factory=list)
    answers: list[bytes] = field(default_factory=list)

    def deliver(self, now: float, *, lose: bool = False) -> int:
        """Hand every datagram the manager wants sent to the engine and, unless ``lose``, the
        engine's answers back; returns how many datagrams went out."""
        out = self.manager.datagrams_to_send()
        for data, (host, port), _handle in out:
            self.sent.append(data)
            result = self.engine.handle(data, host, now, PEER)
            if result is not None and not lose:
                self.answers.append(result[0])
                self.manager.receive(result[0], (host, port), now)
        return len(out)

    def settle(self, now: float, rounds: int = 10) -> None:
        """Deliver until nothing more is sent (discovery, resynchronisation, re-sends)."""
        for _ in range(rounds):
            if not self.deliver(now):
                return

    def drive(self, target: Target, walk: Walker) -> int:
        """Drive a walk (Walk, ColumnWalk) to its end at time 0; returns its requests."""
        requests = 0
        while (operation := walk.next_operation()) is not None:
            self.manager.submit(target, operation, 0.0)
            self.settle(0.0)
            (event,) = self.events()
            assert isinstance(event, Response) and event.error_status == 0
            walk.feed(event.varbinds)
            requests += 1
        return requests

    def events(self) -> list[Event]:
        found = []
        while (event := self.manager.next_event()) is not None:
            found.append(event)
        return found
