"""Triage steps one and two: the same fault on any vendor gets one standard code and category;
severity, training and durations shown as the overview shows them."""

from __future__ import annotations

import pytest

from ekm_proto.durations import format_duration
from ekm_proto.portal.triage import (
    severity_text,
    training_text,
    triage,
    vendor_code,
)
from ekm_proto.printer_mib import textual_conventions as tc

JAM, OTHER = tc.ALERT_CODES["jam"], tc.ALERT_CODES["other"]
MEDIA_PATH, GENERAL = tc.ALERT_GROUPS["mediaPath"], tc.ALERT_GROUPS["generalPrinter"]


def test_a_jam_on_an_hp_a_kyocera_and_a_xerox_is_one_code() -> None:
    hp = triage(manufacturer="HP", code=JAM, group=MEDIA_PATH, vendor="13.A2.D3",
                description="Paper jam in tray 2")
    kyocera = triage(manufacturer="Kyocera", code=JAM, group=MEDIA_PATH, vendor=None,
                     description="Paper jam.")
    xerox = triage(manufacturer="Xerox", code=OTHER, group=GENERAL, vendor=None,
                   description="077-103 A paper jam has been detected near the Fuser.")
    assert {hp.standard_code, kyocera.standard_code, xerox.standard_code} == {"JAM"}
    assert {hp.category, kyocera.category, xerox.category} == {"jam"}
    assert (hp.step, kyocera.step, xerox.step) == (
        "vendor code 13.A2.D3", "prtAlertCode jam", "vendor code 077-103")


@pytest.mark.parametrize(("description", "code", "group", "standard", "category"), [
    ("075-451 Tray 5 is empty.", OTHER, GENERAL, "MEDIA_OUT", "media out"),
    ("010-327 The machine has detected a fault with the Fuser.", OTHER, GENERAL,
     "FUSER_FAULT", "system fail"),
    ("003-974 waiting for the next original", OTHER, GENERAL, "WAITING", "system warning"),
    ("Front door is open.", tc.ALERT_CODES["coverOpen"], tc.ALERT_GROUPS["cover"],
     "COVER_OPEN", "cover"),
    ("Black cartridge is low.", tc.ALERT_CODES["markerTonerAlmostEmpty"],
     tc.ALERT_GROUPS["markerSupplies"], "TONER_LOW", "consumable"),
    ("Something odd in the output", 9999, tc.ALERT_GROUPS["output"], "OUTPUT_FULL", "output"),
    ("Nobody knows", 9999, 99, "OTHER", "other"),
])
def test_codes_and_categories(description: str, code: int, group: int, standard: str,
                              category: str) -> None:
    found = triage(manufacturer="Any", code=code, group=group, vendor=None,
                   description=description)
    assert (found.standard_code, found.category) == (standard, category)


def test_a_rules_file_code_comes_before_the_built_in_ones() -> None:
    mine = vendor_code("Sharp", r"^EE-", "SERVICE_REQUIRED")
    found = triage(manufacturer="Sharp", code=JAM, group=MEDIA_PATH, vendor="EE-EU",
                   description="", extra=[mine])
    assert found.standard_code == "SERVICE_REQUIRED"
    other = triage(manufacturer="HP", code=JAM, group=MEDIA_PATH, vendor="EE-EU",
                   description="", extra=[mine])
    assert other.standard_code == "JAM"  # the vendor table entry is Sharp's only


def test_severity_and_training_read_as_in_the_overview() -> None:
    assert severity_text(tc.SEVERITIES["critical"]) == "Critical"
    assert severity_text(tc.SEVERITIES["warning"]) == "Warning (State)"
    assert training_text(tc.TRAININGS["untrained"]) == "Untrained"
    assert training_text(tc.TRAININGS["fieldService"]) == "Field Service"
    assert severity_text(None) == training_text(0) == "[Not set]"


@pytest.mark.parametrize(("seconds", "text"), [
    (553, "9m 13s"), (182, "3m 2s"), (144000, "1d 16h"), (270000, "3d 3h"), (252000, "2d 22h"),
    (129600, "1d 12h"), (42, "42s"), (18720, "5h 12m")])
def test_durations_as_the_overview_writes_them(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text
