"""The agent's end: ships outbox rows to the portal over XMPP and answers remote commands.

The thin asyncio/slixmpp edge around ``DeliveryBook``: it moves rows from the outbox into
batches, stanzas onto the stream, and XEP-0198 acks, bounces, presence and the portal's
receipts back into the book, and marks the outbox when a receipt settles a row.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import slixmpp
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath
from slixmpp.xmlstream.xmlstream import NotConnectedError

from ekm_proto.shipping import NAMESPACE
from ekm_proto.shipping.commands import CommandDesk, MonitorCommands
from ekm_proto.shipping.connection import XmppSettings, keep_connected
from ekm_proto.shipping.delivery import DeliveryBook, OutgoingBatch
from ekm_proto.shipping.envelope import check_message, decode_receipt, encode_batch, wrap
from ekm_proto.shipping.errors import BadPayloadError, BadRecordError
from ekm_proto.shipping.outbox import Outbox, OutboxRow
from ekm_proto.shipping.records import Message, record_from_payload
from protolab.clock import Clock
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

_log = get_logger("ekm_proto.shipping.agent")


@dataclass(frozen=True, slots=True)
class ShipperSettings:
    xmpp: XmppSettings
    portal_jid: str
    admins: tuple[str, ...] = ()
    agent_name: str | None = None  # the batch's "agent"; the JID's user part when None
    customer: str | None = None
    batch_size: int = 100
    window: int = 5000
    receipt_timeout: float = 60.0
    retry_delay: float = 2.0
    poll_interval: float = 1.0
    encoding: str = "deflate-base64"


class Shipper:
    """Runs until stopped; ``drain`` waits for the outbox to empty (``--once``)."""

    def __init__(self, settings: ShipperSettings, outbox: Outbox, clock: Clock,
                 commands: MonitorCommands | None = None) -> None:
        self.settings, self.outbox, self.clock = settings, outbox, clock
        self.portal = slixmpp.JID(settings.portal_jid).bare
        self.agent_name = settings.agent_name or slixmpp.JID(settings.xmpp.jid).user
        self.book = DeliveryBook(lambda: uuid.uuid4().hex, batch_size=settings.batch_size,
                                 window=settings.window, receipt_timeout=settings.receipt_timeout,
                                 retry_delay=settings.retry_delay)
        self.desk = CommandDesk(commands, (self.portal, *settings.admins), self.status_text)
        self._portal_resources: set[str] = set()
        self._wake = asyncio.Event()
        self._settled = asyncio.Event()
        self._throttle = LogThrottle(30.0)
        self.stanzas_sent = 0
        self.bytes_sent = 0  # payload stanzas as serialised onto the stream (before TLS)
        self.client: slixmpp.ClientXMPP | None = None
        self._answering: set[asyncio.Future[None]] = set()

    # -- running ------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        await keep_connected(self.settings.xmpp, self, self.clock, stop, who="agent")

    async def ship_once(self, timeout: float) -> int:
        """Connect, ship until the outbox is empty or ``timeout`` passes, disconnect; how many
        messages still wait (``--once``: exit 0 only when none)."""
        stop = asyncio.Event()
        task = asyncio.ensure_future(self.run(stop))
        try:
            return await self.drain(timeout)
        finally:
            stop.set()
            await task

    def notify(self) -> None:
        """New rows are in the outbox: look now rather than at the next poll."""
        self._wake.set()

    async def drain(self, timeout: float) -> int:
        """Wait until every outbox row is settled or ``timeout`` passes; what still waits."""
        deadline = self.clock.now() + timeout
        while (remaining := self.outbox.pending_count()) > 0:
            left = deadline - self.clock.now()
            if left <= 0:
                return remaining
            self._settled.clear()
            with contextlib.suppress(TimeoutError):
                await self.clock.wait_for(self._settled.wait(), min(left, 0.5))
        return 0

    @property
    def connected(self) -> bool:
        return self.book.streaming

    def status_text(self) -> str:
        counts = self.book.counts()
        link = "connected" if self.book.streaming else "not connected"
        portal = "available" if self.book.portal_available else "unavailable"
        return (f"shipping: {link} as {self.settings.xmpp.jid}; portal {self.portal} {portal}; "
                f"{self.outbox.pending_count()} waiting in the outbox ({counts['sent']} sent "
                f"awaiting receipt, {counts['queued']} queued); {self.book.resends} resent, "
                f"{self.book.bounces} bounced")

    # -- Session ------------------------------------------------------------------------------
    def attach(self, client: slixmpp.ClientXMPP) -> None:
        self.client = client
        self._portal_resources.clear()
        self.book.portal_presence(False)
        client.add_event_handler("session_start", self._on_session_start)
        client.add_event_handler("sm_enabled", lambda _e: self._stream(True))
        client.add_event_handler("session_resumed", lambda _e: self._stream(False))
        client.add_event_handler("disconnected", lambda _e: self.book.stream_lost())
        client.add_event_handler("stanza_acked", self._on_acked)
        client.add_event_handler("message_error", self._on_error)
        client.add_event_handler("presence_available", lambda p: self._on_presence(p, True))
        client.add_event_handler("presence_unavailable", lambda p: self._on_presence(p, False))
        client.add_event_handler("message", self._on_chat)
        client.register_handler(Callback(
            "ekm receipt", MatchXPath(f"{{{client.default_ns}}}message/{{{NAMESPACE}}}receipt"),
            self._on_receipt))

    async def serve(self, client: slixmpp.ClientXMPP, ended: asyncio.Event) -> None:
        while not ended.is_set():
            try:
                sent = self._pump(client)
                if sent:
                    await client.waiting_queue.join()
                    client.plugin["xep_0198"].request_ack()  # the last stanzas of a burst
            except NotConnectedError:
                return  # the stream went away under us; what was sent is resent on the next
            deadline = self.book.next_deadline()
            wait = self.settings.poll_interval
            if deadline is not None:
                wait = max(0.01, min(wait, deadline - self.clock.now()))
            if not sent:
                with contextlib.suppress(TimeoutError):
                    await self.clock.wait_for(self._wake.wait(), wait)
                self._wake.clear()

    async def closing(self, client: slixmpp.ClientXMPP) -> None:
        client.plugin["xep_0198"].send_ack()

    # -- events -------------------------------------------------------------------------------
    async def _on_session_start(self, _event: Any) -> None:
        client = self.client
        if client is None:
            return
        client.send_presence()
        try:
            await client.get_roster()
        except (slixmpp.exceptions.IqError, slixmpp.exceptions.IqTimeout) as exc:
            _log.warning("roster not fetched", error=str(exc))
            return
        item = client.client_roster[self.portal]
        if item["subscription"] not in ("to", "both") and not item["pending_out"]:
            client.send_presence_subscription(pto=self.portal, ptype="subscribe")
            _log.info("asked to see the portal's presence", portal=self.portal)

    def _stream(self, new: bool) -> None:
        if new:
            self.book.stream_started()
        else:
            self.book.stream_resumed()
        self._wake.set()

    def _on_presence(self, presence: Any, available: bool) -> None:
        sender = presence["from"]
        if sender.bare != self.portal:
            return
        if available:
            self._portal_resources.add(sender.resource)
        else:
            self._portal_resources.discard(sender.resource)
        now_available = bool(self._portal_resources)
        if now_available != self.book.portal_available:
            _log.info("portal presence", portal=self.portal, available=now_available)
        self.book.portal_presence(now_available)
        self._wake.set()

    def _on_acked(self, stanza: Any) -> None:
        self.book.server_acked(str(stanza["id"]))

    def _on_error(self, message: Any) -> None:
        batch_id = str(message["id"])
        requeued = self.book.bounced(batch_id, self.clock.now())
        if requeued:
            condition = message["error"]["condition"]
            skipped = self._throttle.allow(self.clock.now(), f"bounce:{condition}")
            if skipped is not None:
                _log.warning("batch bounced by the server; its rows stay in the outbox",
                             batch=batch_id, condition=condition, rows=requeued,
                             similar_not_logged=skipped)
        self._wake.set()

    def _on_receipt(self, message: Any) -> None:
        if message["from"].bare != self.portal:
            _log.warning("receipt from a stranger ignored", sender=str(message["from"]))
            return
        element = message.xml.find(f"{{{NAMESPACE}}}receipt")
        try:
            receipt = decode_receipt(ET.tostring(element))
        except BadPayloadError as exc:
            _log.warning("unreadable receipt from the portal", error=str(exc))
            return
        settled = self.book.receipt(receipt.batch_id, receipt.rejected, receipt.refused)
        now = self.clock.wall()
        if settled.stored:
            self.outbox.mark_acked(settled.stored, now)
        for ident, reason in settled.refused.items():
            _log.error("the portal refused a message; kept aside in the outbox",
                       message_id=ident, reason=reason)
            self.outbox.mark_rejected(ident, f"portal: {reason}", now)
        self._settled.set()
        self._wake.set()

    def _on_chat(self, message: Any) -> None:
        if message["type"] not in ("chat", "normal") or not message["body"]:
            return
        task = asyncio.ensure_future(self._answer(message))
        self._answering.add(task)
        task.add_done_callback(self._answering.discard)

    async def _answer(self, message: Any) -> None:
        answer = await self.desk.answer(message["from"].bare, str(message["body"]))
        message.reply(answer).send()

    # -- sending ------------------------------------------------------------------------------
    def _pump(self, client: slixmpp.ClientXMPP) -> int:
        room = self.book.room
        if room:
            self.book.add_rows(self.outbox.pending(room, after=self.book.cursor))
        now = self.clock.now()
        self.book.expire(now)
        sent = 0
        for batch in self.book.next_batches(now):
            sent += self._send(client, batch)
        return sent

    def _send(self, client: slixmpp.ClientXMPP, batch: OutgoingBatch) -> int:
        messages = [m for m in (self._message(row) for row in batch.rows) if m is not None]
        if not messages:
            return 0
        try:
            document = encode_batch(messages, agent=self.agent_name,
                                    customer=self.settings.customer, sent_at=self.clock.wall())
        except BadRecordError:
            messages = [m for m in messages if self._schema_accepts(m)]
            if not messages:
                return 0
            document = encode_batch(messages, agent=self.agent_name,
                                    customer=self.settings.customer, sent_at=self.clock.wall())
        stanza = client.make_message(mto=self.portal, mtype="normal")
        stanza["id"] = batch.batch_id
        payload = ET.Element(f"{{{NAMESPACE}}}payload", {"encoding": self.settings.encoding})
        payload.text = wrap(document, self.settings.encoding)
        stanza.xml.append(payload)
        stanza.send()
        self.stanzas_sent += 1
        self.bytes_sent += len(str(stanza).encode())
        return 1

    def _message(self, row: OutboxRow) -> Message | None:
        try:
            record = record_from_payload(row.kind, row.payload, where=f"outbox row {row.seq}")
        except BadRecordError as exc:
            self._refuse(row.message_id, str(exc))
            return None
        return Message(row.message_id, row.kind, record)

    def _schema_accepts(self, message: Message) -> bool:
        try:
            check_message(message, agent=self.agent_name)
            return True
        except BadRecordError as exc:
            self._refuse(message.message_id, str(exc))
            return False

    def _refuse(self, message_id: str, reason: str) -> None:
        _log.error("outbox row refused before sending; kept aside", message_id=message_id,
                   reason=reason)
        self.outbox.mark_rejected(message_id, reason, self.clock.wall())
        self.book.drop(message_id)
        self._settled.set()
