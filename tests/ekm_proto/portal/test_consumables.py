"""Consumables: days and pages left from level history and usage; requests below the lead time
or the threshold, consolidated per customer and site, never twice for one cartridge."""

from __future__ import annotations

from pathlib import Path

from ekm_proto.portal.consumables import Prediction, predict, request_reason
from ekm_proto.portal.intake import Intake
from ekm_proto.portal.reports import report
from ekm_proto.portal.rules import ConsumableSettings, Destination, PortalRules
from ekm_proto.portal.store import PortalStore
from tests.ekm_proto.portal.intake_helpers import AGENT, batch
from tests.ekm_proto.xmpp_lab import DAY, JULY_13_2020, asset, meters, supplies

SETTINGS = ConsumableSettings()


def test_prediction_from_the_level_history_and_pages() -> None:
    # 90% -> 60% over 10 days while printing 3,000 pages: 3%/day, 100 pages per percent
    found = predict([(0.0, 90.0), (5 * DAY, 75.0), (10 * DAY, 60.0)], 1000, 4000)
    assert found == Prediction(20.0, 6000, 3.0)


def test_no_prediction_without_a_fall_or_enough_time() -> None:
    assert predict([(0.0, 50.0)], None, None).days_left is None
    assert predict([(0.0, 50.0), (DAY, 50.0)], 0, 10).days_left is None
    assert predict([(0.0, 50.0), (60.0, 40.0)], 0, 10).days_left is None
    assert predict([(0.0, 50.0), (DAY, 40.0)], None, None).pages_left is None


def test_requests_below_the_lead_time_or_the_threshold() -> None:
    assert request_reason(4.0, Prediction(None, None, None), SETTINGS) == "level 4% below 5%"
    assert "lead time of 7 days" in str(request_reason(30.0, Prediction(6.5, 10, 4.6), SETTINGS))
    assert request_reason(30.0, Prediction(8.0, 10, 3.7), SETTINGS) is None


def rules(tmp_path: Path) -> PortalRules:
    drop = Destination("supplies-drop", "file", folder=tmp_path / "drop")
    return PortalRules(destinations={"supplies-drop": drop},
                       consumables=ConsumableSettings(destinations=("supplies-drop",)))


def test_requests_are_consolidated_per_site_and_never_twice_per_cartridge(
        tmp_path: Path, portal_db: str) -> None:
    store = PortalStore(portal_db)
    intake = Intake(store, rules(tmp_path))
    t = JULY_13_2020
    intake.take(AGENT, "b0", batch(("a1", asset("S1", zone="London")),
                                   ("a2", asset("S2", zone="London")),
                                   ("a3", asset("S3", zone="Bristol"))), t)
    low = {"Black ink": 3, "Cyan ink": 60}
    result = intake.take(AGENT, "b1", batch(("s1", supplies("S1", t, low)),
                                            ("s2", supplies("S2", t, low)),
                                            ("s3", supplies("S3", t, low))), t)
    assert result.requests == 3
    notices = [d for d in store.deliveries()]
    assert len(notices) == 2  # London (two devices) and Bristol: one notice each
    again = intake.take(AGENT, "b2", batch(("s4", supplies("S1", t + DAY, {"Black ink": 2,
                                                                          "Cyan ink": 59}))), t)
    assert again.requests == 0 and len(store.requests()) == 3
    refilled = intake.take(AGENT, "b3", batch(
        ("s5", supplies("S1", t + 2 * DAY, {"Black ink": 100, "Cyan ink": 59})),
        ("s6", supplies("S1", t + 30 * DAY, {"Black ink": 4, "Cyan ink": 58}))), t)
    assert refilled.requests == 1  # a new cartridge may be asked for again
    assert [r["cartridge"] for r in store.requests() if r["serial"] == "S1"] == [1, 2]


def test_the_consumables_report_shows_days_and_pages_left(portal_db: str) -> None:
    store = PortalStore(portal_db)
    intake = Intake(store, PortalRules())
    t = JULY_13_2020
    intake.take(AGENT, "b1", batch(
        ("a", asset("S1")),
        ("m1", meters("S1", t, {"Mono A4": 1000, "Colour A4": 0})),
        ("s1", supplies("S1", t, {"Black ink": 80, "Cyan ink": 90})),
        ("m2", meters("S1", t + 10 * DAY, {"Mono A4": 3000, "Colour A4": 0})),
        ("s2", supplies("S1", t + 10 * DAY, {"Black ink": 60, "Cyan ink": 90}))), t)
    black, cyan = report(store, "consumables")
    assert (black["percent"], black["days_left"], black["pages_left"], black["request"]) == (
        60, 30, 6000, False)
    assert (cyan["days_left"], cyan["pages_left"]) == (None, None)
    assert black["site"] == "London" and black["customer"] == "Local Test2"
