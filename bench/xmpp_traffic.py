"""Bytes a day of a fleet costs on the XMPP stream: measured through Prosody, and computed for
other encodings (one record per stanza, no deflate) to show what batching and deflate buy."""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench.xmpp_fleet_day import fleet_day
from ekm_proto.portal.rules import PortalRules
from ekm_proto.portal.service import Portal
from ekm_proto.shipping.agent_client import Shipper, ShipperSettings
from ekm_proto.shipping.connection import ServerAddress, XmppSettings
from ekm_proto.shipping.envelope import encode_batch, wrap
from ekm_proto.shipping.outbox import MessageIds, SqliteOutbox
from ekm_proto.shipping.records import Message, record_from_payload
from protolab.clock import SystemClock
from protolab.prosody import ProsodyServer

USERS = {"agent": "traffic-agent-secret", "portal": "traffic-portal-secret"}
#: what slixmpp writes around a payload (measured on a real stanza; the id is 32 hex digits)
_FRAME = ('<message to="portal@xmpp.test" type="normal" id="{id}" xmlns="jabber:client">'
          '<payload xmlns="urn:protolab:ekm:1" encoding="{encoding}">{text}</payload></message>')


@dataclass(frozen=True, slots=True)
class Shipped:
    bytes: int
    stanzas: int
    messages: int


async def shipped_bytes(devices: int, folder: Path | None = None) -> Shipped:
    """Ship a fleet day through a real Prosody; the payload stanzas' bytes."""
    work = Path(folder or tempfile.mkdtemp(prefix="bench-traffic-"))
    server = ProsodyServer(work / "prosody", users=USERS)
    server.start()
    clock = SystemClock()
    try:
        outbox = SqliteOutbox(work / "outbox.db")
        rows = fleet_day(devices)
        outbox.add_many(rows, time.time())

        def settings(user: str) -> XmppSettings:
            return XmppSettings(server.jid(user), USERS[user],
                                (ServerAddress(*server.address),), server.ca)

        shipper = Shipper(ShipperSettings(settings("agent"), server.jid("portal"),
                                          agent_name="site-a", customer="Local Test2"),
                          outbox, clock)
        portal = Portal(settings("portal"), work / "portal.db", PortalRules(), clock)
        stop = asyncio.Event()
        tasks = [asyncio.ensure_future(shipper.run(stop)), asyncio.ensure_future(portal.run(stop))]
        left = await shipper.drain(300)
        stop.set()
        await asyncio.gather(*tasks)
        portal.close()
        if left:
            raise TimeoutError(f"{left} messages of the fleet day not shipped")
        return Shipped(shipper.bytes_sent, shipper.stanzas_sent, len(rows))
    finally:
        server.stop()


def encoded_sizes(devices: int) -> dict[str, int]:
    """Bytes of the same day by encoding and batch size (framing as slixmpp writes it)."""
    rows = fleet_day(devices)
    new_id = MessageIds()
    messages = [Message(new_id(), kind, record_from_payload(kind, payload))
                for kind, payload in rows]
    sizes = {}
    for batch_size in (1, 100):
        for encoding in ("base64", "deflate-base64"):
            total = 0
            for start in range(0, len(messages), batch_size):
                document = encode_batch(messages[start:start + batch_size], agent="site-a",
                                        customer="Local Test2", sent_at=1594598400.0)
                total += len(_FRAME.format(id=uuid.uuid4().hex, encoding=encoding,
                                           text=wrap(document, encoding)))
            sizes[f"{encoding}, {batch_size} message{'s' if batch_size > 1 else ''} a stanza"] \
                = total
    return sizes
