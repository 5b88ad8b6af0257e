"""The portal as one object: store, intake, receiver and dispatcher, run until stopped."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ekm_proto.portal.dispatcher import Dispatcher
from ekm_proto.portal.intake import Intake
from ekm_proto.portal.receiver import PortalReceiver
from ekm_proto.portal.rules import PortalRules
from ekm_proto.portal.store import PortalStore
from ekm_proto.shipping.connection import XmppSettings, keep_connected
from protolab.clock import Clock


class Portal:
    def __init__(self, xmpp: XmppSettings, db: str | Path, rules: PortalRules,
                 clock: Clock) -> None:
        self.xmpp, self.clock = xmpp, clock
        self.store = PortalStore(db)
        self.dispatcher = Dispatcher(self.store, rules, clock)
        self.intake = Intake(self.store, rules)
        self.receiver = PortalReceiver(xmpp, self.intake, clock, self.dispatcher.wake)

    async def run(self, stop: asyncio.Event) -> None:
        """Receive and deliver until ``stop`` (the store stays open until ``close``)."""
        await asyncio.gather(
            keep_connected(self.xmpp, self.receiver, self.clock, stop, who="portal"),
            self.dispatcher.run(stop))

    def use_rules(self, rules: PortalRules) -> None:
        """New rules (the web interface changed them): the next alert is routed by them."""
        self.intake.rules = rules
        self.dispatcher.rules = rules

    def close(self) -> None:
        self.store.close()
