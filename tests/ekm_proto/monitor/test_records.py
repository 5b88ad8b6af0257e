"""Alert records and availability as pure functions: table rows and error-state bits become
conditions (vendors' repeats merged, bits explained by a row not doubled), availability records
opened after the configured silence and closed by the next answers."""

from __future__ import annotations

from ekm_proto.monitor.alerts import error_bits, from_alert_rows, from_error_state, reconcile
from ekm_proto.monitor.availability import RESUMED, RESUMED_TEXT, UNAVAILABLE, Availability
from ekm_proto.printer_mib.textual_conventions import bit_mask

JAM = {2: 3, 3: 3, 4: 13, 5: 1, 6: 13200, 7: 8, 8: b"Paper jam near the fuser."}
TRAY_EMPTY = {2: 4, 3: 3, 4: 8, 5: 2, 6: -2, 7: 808, 8: b"Tray 2 is empty."}


def test_a_vendors_repeated_alert_is_one_condition() -> None:
    conditions = from_alert_rows({7: JAM, 9: dict(JAM), 12: TRAY_EMPTY})
    assert [c.code_name for c in conditions] == ["jam", "inputMediaSupplyEmpty"]
    jam = conditions[0]
    assert (jam.severity, jam.training, jam.group, jam.description) == (
        "Critical", "Untrained", "mediaPath", "Paper jam near the fuser.")
    other_place = {**JAM, 6: 13300}
    assert len(from_alert_rows({1: JAM, 2: other_place})) == 2  # two jams, two places


def test_error_state_bits_not_explained_by_rows_are_conditions() -> None:
    octets = bit_mask("jammed", "noPaper", "lowToner").to_bytes(2, "big")
    assert error_bits(octets) == ["noPaper", "lowToner", "jammed"]
    rows = from_alert_rows({1: JAM})
    alone = from_error_state(octets, rows)
    assert [c.key for c in alone] == ["bit:noPaper", "bit:lowToner"]
    assert alone[0].severity == "Critical" and alone[1].severity == "Warning (State)"
    assert from_error_state(bytes([0x08]), []) [0].code_name == "coverOpen"  # one octet
    assert from_error_state(b"", []) == [] and from_error_state(None, []) == []


def test_reconcile_opens_the_new_and_clears_the_gone() -> None:
    jam, tray = from_alert_rows({1: JAM, 2: TRAY_EMPTY})
    change = reconcile([jam.key, "alert:old"], [jam, tray])
    assert change.opened == (tray,) and change.cleared == ("alert:old",)


def test_availability_opens_after_the_threshold_and_closes_on_answers() -> None:
    state = Availability(last_answer=0.0)
    assert state.silent(3600.0, 86400).opened == ()
    opened = state.silent(90000.0, 86400).opened
    assert [c.description for c in opened] == [
        "Device busy/unavailable for over 24 hours (actual: 25 hrs)"]
    assert not state.available and state.silent(95000.0, 86400).opened == ()
    change = state.answered(100000.0)
    assert change.cleared == (UNAVAILABLE,) and [c.description for c in change.opened] == [
        RESUMED_TEXT]
    assert state.available
    assert state.answered(100180.0).cleared == (RESUMED,)
    assert state.answered(100360.0).cleared == ()


def test_a_device_never_heard_counts_from_its_first_silence() -> None:
    state = Availability()
    assert state.silent(0.0, 600).opened == ()
    [opened] = state.silent(700.0, 600).opened
    assert opened.description == "Device busy/unavailable for over 10 minutes (actual: 11 mins)"
