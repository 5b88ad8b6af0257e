"""A batch into the portal store: each message once, alerts triaged and routed, availability,
moves, invalid messages kept aside; the reports read it back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ekm_proto.portal.intake import Intake
from ekm_proto.portal.reports import report, to_csv
from ekm_proto.portal.rules import Destination, PortalRules, Rule
from ekm_proto.portal.store import PortalStore
from tests.ekm_proto.portal.intake_helpers import AGENT, batch
from tests.ekm_proto.xmpp_lab import DAY, JULY_13_2020, alert, asset, meters


def picked(row: dict[str, object], expected: dict[str, object]) -> bool:
    assert {k: row.get(k) for k in expected} == expected
    return True


@pytest.fixture
def store(portal_db: str) -> PortalStore:
    return PortalStore(portal_db)


def routing() -> PortalRules:
    drop = Destination("drop", "file", folder=Path("/nonexistent"))
    return PortalRules(rules=(Rule(frozenset({"jam", "availability"}), ("record", "drop"),
                                   events=frozenset({"opened", "cleared"})),),
                       destinations={"drop": drop})


def test_each_message_is_stored_once(store: PortalStore) -> None:
    intake = Intake(store, PortalRules())
    first = intake.take(AGENT, "b1", batch(("m1", asset("S1")), ("m2", meters(
        "S1", JULY_13_2020, {"Mono A4": 75}))), JULY_13_2020)
    again = intake.take(AGENT, "b2", batch(("m2", meters("S1", JULY_13_2020, {"Mono A4": 75})),
                                           ("m3", meters("S1", JULY_13_2020 + DAY,
                                                         {"Mono A4": 80}))), JULY_13_2020)
    assert (first.stored, first.duplicates, again.stored, again.duplicates) == (2, 0, 1, 1)
    counts = store.counts()
    assert (counts["messages"], counts["meter_readings"], counts["duplicates"]) == (3, 2, 1)


def test_a_copy_inside_one_batch_is_a_duplicate_and_big_batches_store_whole(
        store: PortalStore) -> None:
    intake = Intake(store, PortalRules())
    reading = meters("S1", JULY_13_2020, {"Mono A4": 75})
    taken = intake.take(AGENT, "b1", batch(("m1", reading), ("m1", reading), ("m2", asset("S1"))),
                        JULY_13_2020)
    assert (taken.stored, taken.duplicates) == (2, 1)
    # more messages than one statement carries (the store writes them 500 rows at a time),
    # 1,200 devices each heard of twice, the later reading first: last_seen is the later time
    many = [(f"n{i}", meters(f"D{i % 1200}", JULY_13_2020 + 2400 - i, {"Mono A4": i}))
            for i in range(2400)]
    taken = intake.take(AGENT, "b2", batch(*many, ("m1", reading)), JULY_13_2020)
    assert (taken.stored, taken.duplicates) == (2400, 1)
    counts = store.counts()
    assert (counts["messages"], counts["meter_readings"], counts["duplicates"]) == (2402, 2401, 2)
    seen = {r["serial"]: r["last_seen"] for r in report(store, "assets")}
    assert len(seen) == 1201 and seen["D5"] == "2020-07-13T00:39:55Z"  # n5, not n1205


def test_the_assets_report_has_one_object_per_device(store: PortalStore) -> None:
    intake = Intake(store, PortalRules())
    intake.take(AGENT, "b1", batch(("m1", asset("S1")), ("m2", asset(
        "S2", manufacturer="Kyocera", model="ECOSYS M6026cdn", mac="00C0E3F8CDD0")),
                                   ("m3", meters("S1", JULY_13_2020 + 60, {"Mono A4": 1}))),
                JULY_13_2020)
    rows = report(store, "assets")
    assert [r["serial"] for r in rows] == ["S1", "S2"]
    assert picked(rows[1], {"manufacturer": "Kyocera", "model": "ECOSYS M6026cdn",
                            "mac": "00C0E3F8CDD0", "address": "192.0.2.10", "agent": AGENT,
                            "customer": "Local Test2"})
    assert rows[0]["last_seen"] == "2020-07-13T00:01:00Z"
    assert to_csv(rows).splitlines()[0].startswith("serial,manufacturer,model,address,mac")


def test_a_jam_is_triaged_routed_and_cleared_with_its_duration(store: PortalStore) -> None:
    intake = Intake(store, routing())
    intake.take(AGENT, "b1", batch(("m1", asset("MXCK751Y", manufacturer="Xerox")), (
        "m2", alert("MXCK751Y", key="7", code=1, group=5, opened_at=JULY_13_2020 + 51210,
                    description="077-103 A paper jam has been detected near the Fuser."))),
                JULY_13_2020)
    intake.take(AGENT, "b2", batch(("m3", alert(
        "MXCK751Y", key="7", code=1, group=5, event="cleared", opened_at=JULY_13_2020 + 51210,
        cleared_at=JULY_13_2020 + 51210 + 553,
        description="077-103 A paper jam has been detected near the Fuser."))), JULY_13_2020)
    [row] = report(store, "alerts")
    assert picked(row, {"alert_class": "Jam", "standard_code": "JAM", "severity": "Critical",
                        "training": "Untrained", "duration": "9m 13s", "routed_to": "drop",
                        "date": "2020-07-13T14:13:30Z", "engine_cycles": 69066})
    assert row["reason"].startswith("077-103 A paper jam")
    subjects = [d["subject"] for d in store.deliveries()]
    assert subjects == ["alert:1:opened", "alert:1:cleared"]


def test_a_repeated_open_is_one_alert_and_a_clear_first_still_records_it(
        store: PortalStore) -> None:
    intake = Intake(store, routing())
    cleared = alert("S1", key="k", event="cleared", cleared_at=JULY_13_2020 + 60)
    intake.take(AGENT, "b1", batch(("m2", cleared)), JULY_13_2020)
    intake.take(AGENT, "b2", batch(("m1", alert("S1", key="k"))), JULY_13_2020)
    assert len(store.alerts()) == 1 and store.alerts()[0]["cleared_at"] == JULY_13_2020 + 60


def test_availability_opens_and_closes_an_alert_with_not_set_severity(store: PortalStore) -> None:
    intake = Intake(store, routing())
    gone = ("availability", {"serial": "S1", "available": False, "at": JULY_13_2020,
                             "since": JULY_13_2020 - 25 * 3600,
                             "reason": "Device busy/unavailable for over 24 hours (actual:25 hrs)"})
    back = ("availability", {"serial": "S1", "available": True, "at": JULY_13_2020 + 144000 -
                             25 * 3600, "reason": "Monitoring resumed. This device is now responding"})
    intake.take(AGENT, "b1", batch(("m1", gone)), JULY_13_2020)
    assert store.device("S1")["available"] == 0  # type: ignore[index]
    intake.take(AGENT, "b2", batch(("m2", back)), JULY_13_2020)
    [row] = report(store, "alerts")
    assert picked(row, {"alert_class": "Availability", "severity": "[Not set]",
                        "training": "[Not set]", "duration": "1d 16h"})
    assert len(store.deliveries()) == 2


def test_moves_are_recorded(store: PortalStore) -> None:
    move = ("change", {"serial": "S1", "kind": "move", "old": "192.0.2.1", "new": "192.0.2.2",
                       "at": JULY_13_2020})
    Intake(store, PortalRules()).take(AGENT, "b1", batch(("m1", move)), JULY_13_2020)
    assert store.changes() == [{"serial": "S1", "kind": "move", "old": "192.0.2.1",
                                "new": "192.0.2.2", "at": JULY_13_2020}]


def test_invalid_messages_and_refused_batches_are_kept_aside(store: PortalStore) -> None:
    intake = Intake(store, PortalRules())
    intake.take(AGENT, "b1", batch(invalid={"m9": "level: not an integer"}), JULY_13_2020)
    intake.refuse(AGENT, "b2", "the payload is not base64", "@@@", JULY_13_2020)
    rows = report(store, "rejected")
    assert [(r["batch_id"], r["message_id"], r["reason"]) for r in rows] == [
        ("b1", "m9", "level: not an integer"), ("b2", None, "the payload is not base64")]


def test_meters_by_month_are_differences_of_month_end_readings(store: PortalStore) -> None:
    intake = Intake(store, PortalRules())
    june, july = JULY_13_2020 - 30 * DAY, JULY_13_2020
    intake.take(AGENT, "b1", batch(
        ("m1", meters("S1", june, {"Mono A4": 100, "Colour A4": 10})),
        ("m2", meters("S1", june + 5 * DAY, {"Mono A4": 150, "Colour A4": 20, "Colour A3": 1})),
        ("m3", meters("S1", july, {"Mono A4": 175, "Colour A4": 48, "Colour A3": 9}))),
        JULY_13_2020)
    rows = report(store, "meters")
    assert [(r["month"], r["mono_pages"], r["colour_pages"], r["colour_a4"], r["total_a4"])
            for r in rows] == [("2020-06", 50, 11, 12, 62), ("2020-07", 25, 36, 44, 69)]
    assert json.loads(json.dumps(rows))[1]["total_pages_to_date"] == 232
