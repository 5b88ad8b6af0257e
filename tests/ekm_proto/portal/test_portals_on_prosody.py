"""Two portals (one account, two XMPP resources) on one database, an agent shipping through a
real Prosody: every message stored once and every routed alert delivered once, whichever portal
got each stanza (Prosody gives a message to the bare JID to both)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ekm_proto.portal.rules import Destination, PortalRules, Rule
from ekm_proto.portal.service import Portal
from ekm_proto.portal.store import PortalStore
from ekm_proto.shipping.outbox import SqliteOutbox
from protolab.clock import SystemClock
from protolab.prosody import ProsodyServer
from tests.ekm_proto.xmpp_lab import JULY_13_2020, eventually, make_shipper, running, xmpp


async def test_two_portals_store_and_route_each_message_once(
        prosody: ProsodyServer, portal_db: str, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    rules = PortalRules(rules=(Rule(frozenset({"jam"}), ("record", "drop")),),
                        destinations={"drop": Destination("drop", "file", folder=drop)})
    base = xmpp(prosody, "portal")
    portals = [Portal(replace(base, jid=f"{base.jid}/portal-{n}"), portal_db, rules,
                      SystemClock()) for n in (1, 2)]
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    ids = outbox.add_many(
        [("meters", {"serial": f"S{i % 20}", "read_at": JULY_13_2020 + i,
                     "counters": [{"name": "Mono A4", "value": i}]}) for i in range(400)]
        + [("alert", {"serial": f"S{i}", "key": "jam", "code": 8, "group": 13, "severity": 3,
                      "training": 3, "opened_at": JULY_13_2020 + i, "event": "opened",
                      "description": "A paper jam has been detected."}) for i in range(10)],
        JULY_13_2020)
    shipper = make_shipper(prosody, outbox)
    async with running(portals[0].run), running(portals[1].run):
        await eventually(lambda: all(p.receiver.online.is_set() for p in portals),
                         what="both portals online")
        async with running(shipper.run):
            assert await shipper.drain(60) == 0
            await eventually(lambda: len(list(drop.glob("*.json"))) >= 10, what="10 drops")
    seen = [p.receiver.stats for p in portals]
    for portal in portals:
        portal.close()
    store = PortalStore(portal_db)
    assert store.message_ids() == set(ids)
    counts = store.counts()
    assert (counts["meter_readings"], counts["alerts"], counts["deliveries"]) == (400, 10, 10)
    assert sum(s.stored for s in seen) == 410  # stored by one portal or the other, once
    assert all(s.stanzas > 0 for s in seen) and sum(s.duplicates for s in seen) > 0
    files = sorted(drop.glob("*.json"))
    assert len(files) == 10 and {json.loads(f.read_text())["serial"] for f in files} == {
        f"S{i}" for i in range(10)}
    assert {d["status"] for d in store.deliveries()} == {"done"}
    store.close()
