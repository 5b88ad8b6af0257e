"""The agent's edge when the stream vanishes under it: the pump stops, the process goes on."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ekm_proto.shipping.agent_client import Shipper, ShipperSettings
from ekm_proto.shipping.connection import ServerAddress, XmppSettings, new_client
from ekm_proto.shipping.outbox import SqliteOutbox
from protolab.clock import SystemClock
from tests.ekm_proto.xmpp_lab import JULY_13_2020, asset


async def test_a_burst_onto_a_closed_stream_ends_the_session_work(tmp_path: Path) -> None:
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    outbox.add_many([asset(f"S{i}") for i in range(3)], JULY_13_2020)
    xmpp = XmppSettings("agent@xmpp.test", "pw", (ServerAddress("127.0.0.1", 1),))
    shipper = Shipper(ShipperSettings(xmpp, "portal@xmpp.test"), outbox, SystemClock())
    client = new_client(xmpp, xmpp.servers[0])  # never connected: no transport
    shipper.book.stream_started()  # as if the stream had been up a moment ago
    shipper.book.portal_presence(True)
    await asyncio.wait_for(shipper.serve(client, asyncio.Event()), 5)
    assert shipper.stanzas_sent == 1 and outbox.pending_count() == 3  # kept for the next stream
