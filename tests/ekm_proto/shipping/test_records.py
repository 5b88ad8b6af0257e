"""Outbox payloads to records: every field checked, errors naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from ekm_proto.shipping.errors import BadRecordError
from ekm_proto.shipping.records import (
    KINDS,
    AlertEvent,
    Asset,
    MeterReading,
    record_from_payload,
    to_payload,
)
from tests.ekm_proto.xmpp_lab import alert, asset, meters, supplies


def test_an_asset_payload_becomes_an_asset_with_a_normalised_mac() -> None:
    kind, payload = asset("CN84CHX00P", mac="00:15:99:1d:d8:55")
    record = record_from_payload(kind, payload)
    assert isinstance(record, Asset)
    assert (record.serial, record.mac, record.zone) == ("CN84CHX00P", "0015991DD855", "London")


def test_a_meters_payload_without_a_rollup_gets_one() -> None:
    kind, payload = meters("S1", 1594606149, {"Mono A4": 75, "Colour A4": 48, "Colour A3": 9})
    record = record_from_payload(kind, payload)
    assert isinstance(record, MeterReading)
    assert (record.rollup.total_a4, record.rollup.total_pages) == (141, 132)


@pytest.mark.parametrize("sample", [asset("S1"), meters("S1", 1e9, {"Mono A4": 1}),
                                    supplies("S1", 1e9, {"Black ink": 50}),
                                    alert("S1", key="a1")])
def test_payloads_survive_a_round_trip(sample: tuple[str, dict[str, Any]]) -> None:
    kind, payload = sample
    record = record_from_payload(kind, payload)
    assert record_from_payload(kind, to_payload(record)) == record


@pytest.mark.parametrize(("kind", "change", "message"), [
    ("asset", {"serial": None}, "serial is missing"),
    ("asset", {"mac": "not-a-mac"}, "mac = 'not-a-mac'"),
    ("asset", {"at": "yesterday"}, "at = 'yesterday'; expected POSIX seconds"),
    ("meters", {"counters": [{"name": "Mono A4", "value": -1}]}, "counter #1: value = -1"),
    ("meters", {"counters": "many"}, "counters = 'many'; expected a list"),
    ("alert", {"event": "maybe"}, "event 'maybe'"),
    ("alert", {"code": True}, "code = True; expected an integer"),
    ("alert", {"event": "cleared"}, "cleared_at is missing"),
    ("supplies", {"supplies": []}, "no supplies"),
    ("change", {"kind": "teleport"}, "kind 'teleport'"),
    ("availability", {"available": "yes"}, "available = 'yes'"),
])
def test_bad_payloads_name_the_field(kind: str, change: dict[str, Any], message: str) -> None:
    base = {"asset": asset("S1")[1], "meters": meters("S1", 1e9, {"Mono A4": 1})[1],
            "alert": alert("S1", key="k")[1], "supplies": supplies("S1", 1e9, {"Black": 1})[1],
            "change": {"serial": "S1", "kind": "move", "at": 1e9},
            "availability": {"serial": "S1", "available": False, "at": 1e9}}[kind]
    with pytest.raises(BadRecordError, match=message):
        record_from_payload(kind, {**base, **change}, where="outbox row 7")


def test_an_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(BadRecordError, match="unknown kind 'fax'; expected one of asset"):
        record_from_payload("fax", {})
    assert set(KINDS) == {"asset", "meters", "supplies", "alert", "change", "availability"}


def test_times_are_whole_seconds() -> None:
    record = record_from_payload(*alert("S1", key="k", opened_at=1594649610.75))
    assert isinstance(record, AlertEvent) and record.opened_at == 1594649610.0
