"""Many agents, one portal: each agent's devices kept apart (an agent's serial, not a serial),
each agent's last contact shown; several portal stores on one database store and route a message
delivered to all of them exactly once."""

from __future__ import annotations

import json
import threading

import pytest

from ekm_proto.portal.intake import Intake, IntakeResult
from ekm_proto.portal.reports import meters_by_month, report
from ekm_proto.portal.rules import Destination, PortalRules, Rule
from ekm_proto.portal.store import PortalStore
from ekm_proto.shipping.envelope import Batch
from ekm_proto.shipping.records import Message, record_from_payload
from protolab.cli.main import main
from tests.ekm_proto.xmpp_lab import DAY, JULY_13_2020, alert, asset, meters

LONDON, LEEDS = "agent-london@xmpp.test", "agent-leeds@xmpp.test"


def batch_of(site: str, customer: str, *items: tuple[str, tuple[str, dict[str, object]]]
             ) -> Batch:
    return Batch(site, customer, JULY_13_2020, tuple(
        Message(ident, kind, record_from_payload(kind, payload)) for ident, (kind, payload) in items))


def routed_jams() -> PortalRules:
    hook = Destination("hook", "webhook", url="http://127.0.0.1:9/never-sent")
    return PortalRules(rules=(Rule(frozenset({"jam"}), ("record", "hook")),),
                       destinations={"hook": hook})


def test_two_agents_with_the_same_serial_are_two_devices(portal_db: str) -> None:
    store = PortalStore(portal_db)
    intake = Intake(store, routed_jams())
    intake.take(LONDON, "b1", batch_of("london-office", "Acme", (
        "m1", asset("S1", model="PageWide 785f")), ("m2", meters("S1", JULY_13_2020, {
            "Mono A4": 100})), ("m3", alert("S1", key="7"))), JULY_13_2020)
    intake.take(LEEDS, "b1", batch_of("leeds-depot", "Globex", (
        "m1", asset("S1", model="ECOSYS M6026cdn")), ("m2", meters("S1", JULY_13_2020, {
            "Mono A4": 5}))), JULY_13_2020 + DAY)
    devices = {(d["agent"], d["serial"]): d for d in report(store, "assets")}
    assert set(devices) == {(LONDON, "S1"), (LEEDS, "S1")}
    assert (devices[LONDON, "S1"]["model"], devices[LONDON, "S1"]["customer"]) == (
        "PageWide 785f", "Acme")
    assert (devices[LEEDS, "S1"]["model"], devices[LEEDS, "S1"]["customer"]) == (
        "ECOSYS M6026cdn", "Globex")
    assert store.device("S1", LEEDS)["model"] == "ECOSYS M6026cdn"  # type: ignore[index]
    assert [r.mono_small for _s, _t, r in store.readings("S1", LEEDS)] == [5]
    assert [r.mono_small for _s, _t, r in store.readings("S1", LONDON)] == [100]
    usage = {row["agent"]: row for row in meters_by_month(store, "S1")}
    assert (usage[LONDON]["total_pages_to_date"], usage[LEEDS]["total_pages_to_date"]) == (100, 5)
    assert usage[LONDON]["total_pages"] == usage[LEEDS]["total_pages"] == 0  # one reading each
    [jam] = store.alerts()
    assert (jam["agent"], jam["customer"]) == (LONDON, "Acme")
    assert store.counts()["messages"] == 5  # the same message ids from two agents are not copies
    agents = {a["jid"]: a for a in store.agents()}
    assert (agents[LONDON]["site"], agents[LONDON]["customer"], agents[LONDON]["devices"]) == (
        "london-office", "Acme", 1)
    assert agents[LEEDS]["last_contact"] == JULY_13_2020 + DAY
    store.close()


def test_the_agents_command_shows_each_agents_last_contact(
        portal_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = PortalStore(portal_db)
    intake = Intake(store, PortalRules())
    intake.take(LONDON, "b1", batch_of("london-office", "Acme", ("m1", asset("S1")),
                                       ("m2", asset("S2"))), JULY_13_2020)
    intake.take(LEEDS, "b1", batch_of("leeds-depot", "Globex", ("m1", asset("S9"))),
                JULY_13_2020 + 90)
    intake.take(LONDON, "b2", batch_of("london-office", "Acme", ("m3", asset("S3"))),
                JULY_13_2020 + DAY)
    store.close()
    assert main(["portal", "agents", "--db", portal_db, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [{k: r[k] for k in ("jid", "customer", "site", "last_contact", "devices")}
            for r in rows] == [
        {"jid": LEEDS, "customer": "Globex", "site": "leeds-depot",
         "last_contact": "2020-07-13T00:01:30Z", "devices": 1},
        {"jid": LONDON, "customer": "Acme", "site": "london-office",
         "last_contact": "2020-07-14T00:00:00Z", "devices": 3}]
    assert main(["portal", "agents", "--db", portal_db]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:5] == ["jid", "customer", "site", "last_contact", "first_contact"]
    assert table[2].startswith(LONDON) and "2020-07-14T00:00:00Z" in table[2]


def racing(stores: list[PortalStore], batches: list[tuple[str, Batch]]) -> list[IntakeResult]:
    """Every store takes every batch at the same time (as portals that all got each stanza)."""
    results: list[IntakeResult] = []
    failures: list[BaseException] = []
    start = threading.Barrier(len(stores))

    def portal(store: PortalStore) -> None:
        intake = Intake(store, routed_jams())
        start.wait()
        try:
            for batch_id, batch in batches:
                results.append(intake.take(LONDON, batch_id, batch, JULY_13_2020))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=portal, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures
    return results


def test_portals_sharing_a_database_store_and_route_each_message_once(portal_db: str) -> None:
    stores = [PortalStore(portal_db) for _ in range(3)]
    batches = []
    for n in range(20):
        items = [(f"r{n}-{i}", meters(f"S{i}", JULY_13_2020 + n * DAY, {"Mono A4": 10 * n + i}))
                 for i in range(10)]
        items.append((f"j{n}", alert(f"S{n % 10}", key=f"jam{n}", opened_at=JULY_13_2020 + n)))
        batches.append((f"b{n}", batch_of("london-office", "Acme", *items)))
    results = racing(stores, batches)
    assert sum(r.stored for r in results) == 20 * 11
    assert sum(r.duplicates for r in results) == 2 * 20 * 11
    assert sum(r.routed for r in results) == 20  # each jam routed by the one portal that won it
    counts = stores[0].counts()
    assert (counts["messages"], counts["meter_readings"], counts["alerts"],
            counts["deliveries"], counts["duplicates"]) == (220, 200, 20, 20, 440)
    claimed = [d[0] for s in stores for d in s.due_deliveries(JULY_13_2020 + 10**9)]
    assert sorted(claimed) == sorted(d["id"] for d in stores[0].deliveries())  # each sent once
    for store in stores:
        store.close()
