"""The portal's XMPP end: receives payload stanzas, stores each batch, answers with a receipt.

Each stanza is stored (one transaction) before its receipt is sent, inside slixmpp's stanza
callback: the portal acknowledges a stanza to the server (XEP-0198) only after handling it, so
a portal killed mid-batch has the server deliver it again rather than lose it. The portal lets
agents see its presence (they send only while it is there).
"""

from __future__ import annotations

import asyncio
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import slixmpp
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from ekm_proto.portal.intake import Intake
from ekm_proto.shipping import NAMESPACE
from ekm_proto.shipping.connection import XmppSettings
from ekm_proto.shipping.envelope import decode_batch, encode_receipt, unwrap
from ekm_proto.shipping.errors import BadPayloadError
from protolab.clock import Clock
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

_log = get_logger("ekm_proto.portal.receiver")
_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")


@dataclass(slots=True)
class ReceiverStats:
    stanzas: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    refused_batches: int = 0


class PortalReceiver:
    def __init__(self, settings: XmppSettings, intake: Intake, clock: Clock,
                 on_stored: Callable[[], None] | None = None) -> None:
        self.settings, self.intake, self.clock = settings, intake, clock
        self.on_stored = on_stored
        self.stats = ReceiverStats()
        self.online = asyncio.Event()
        self._throttle = LogThrottle(10.0)

    def attach(self, client: slixmpp.ClientXMPP) -> None:
        client.auto_authorize = True  # agents may see the portal's presence
        client.auto_subscribe = True
        client.add_event_handler("session_start", lambda _e: self._start(client))
        client.add_event_handler("disconnected", lambda _e: self.online.clear())
        client.register_handler(Callback(
            "ekm payload", MatchXPath(f"{{{client.default_ns}}}message/{{{NAMESPACE}}}payload"),
            lambda message: self._on_payload(client, message)))

    def _start(self, client: slixmpp.ClientXMPP) -> None:
        client.send_presence()
        self.online.set()

    async def serve(self, client: slixmpp.ClientXMPP, ended: asyncio.Event) -> None:
        await ended.wait()

    async def closing(self, client: slixmpp.ClientXMPP) -> None:
        client.plugin["xep_0198"].send_ack()  # or the server delivers the last ones again
        self.online.clear()

    def _on_payload(self, client: slixmpp.ClientXMPP, message: Any) -> None:
        if message["type"] == "error":
            return
        self.stats.stanzas += 1
        agent = message["from"].bare
        batch_id = str(message["id"] or "")
        element = message.xml.find(f"{{{NAMESPACE}}}payload")
        text = element.text or ""
        now = self.clock.wall()
        rejected: dict[str, str] = {}
        refused = None
        try:
            batch = decode_batch(unwrap(text, str(element.get("encoding"))))
        except BadPayloadError as exc:
            refused = str(exc)
            self.intake.refuse(agent, batch_id, refused, text[:200_000], now)
            self.stats.refused_batches += 1
            _log.error("payload refused and kept aside", agent=agent, batch=batch_id,
                       reason=refused)
        else:
            try:
                result = self.intake.take(agent, batch_id, batch, now)
            except Exception:  # the database refused (disk full, locked): no receipt, so the
                _log.exception("batch not stored; the agent will send it again",  # agent resends
                               agent=agent, batch=batch_id)
                return
            rejected = result.rejected
            self.stats.stored += result.stored
            self.stats.duplicates += result.duplicates
            self.stats.rejected += len(rejected)
            if rejected:
                _log.error("messages refused and kept aside", agent=agent, batch=batch_id,
                           rejected=rejected)
            if result.duplicates:
                skipped = self._throttle.allow(self.clock.now(), "duplicates")
                if skipped is not None:
                    _log.info("copies of stored messages dropped", agent=agent,
                              duplicates=result.duplicates, similar_not_logged=skipped)
            if self.on_stored is not None and (result.routed or result.requests):
                self.on_stored()
        if not _ID.match(batch_id):
            _log.warning("payload without a usable id: no receipt", agent=agent)
            return
        answer = client.make_message(mto=message["from"], mtype="normal")
        answer.xml.append(ET.fromstring(encode_receipt(batch_id, rejected, refused)))
        answer.send()
