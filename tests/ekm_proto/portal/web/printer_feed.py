"""Feeding the portal from emulated printers: the values come from the emulator's control API
(the truth the pages are checked against), become shipping records, and travel through the real
XML codec (encode, schema, decode) into the portal's intake, as a batch from an agent would."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from ekm_proto.portal.intake import Intake
from ekm_proto.printer_mib.textual_conventions import ALERT_GROUPS, SEVERITIES, TRAININGS
from ekm_proto.shipping.envelope import decode_batch, encode_batch
from ekm_proto.shipping.records import Message, record_from_payload

AGENT, AGENT_NAME, CUSTOMER = "agent@xmpp.test", "site-a", "Local Test2"
COUNTER_NAMES = {"mono_small": "Mono A4", "colour_small": "Colour A4", "mono_large": "Mono A3",
                 "colour_large": "Colour A3", "scans": "Scans"}
_ids = itertools.count(1)


def epoch(iso: str) -> float:
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def asset(printer: dict[str, Any], zone: str, at: float) -> tuple[str, dict[str, Any]]:
    return "asset", {"serial": printer["serial"], "manufacturer": printer["vendor"],
                     "model": printer["model"], "address": printer["address"],
                     "mac": printer["mac"], "zone": zone, "asset_number": f"EQ-{printer['id']}",
                     "location": "Floor 1", "engine_cycles": printer["engine_cycles"], "at": at,
                     "discovered_at": at}


def meters(printer: dict[str, Any], at: float) -> tuple[str, dict[str, Any]]:
    counters = printer["counters"]
    return "meters", {"serial": printer["serial"], "read_at": at, "counters": [
        {"name": name, "value": counters[key]} for key, name in COUNTER_NAMES.items()]}


def supplies(printer: dict[str, Any], at: float) -> tuple[str, dict[str, Any]]:
    return "supplies", {"serial": printer["serial"], "read_at": at, "supplies": [
        {"index": s["index"], "description": s["description"], "type": s["type"],
         "colour": s["colorant"], "level": round(s["remaining_percent"]), "max_capacity": 100}
        for s in printer["supplies"]]}


def alert(printer: dict[str, Any], raised: dict[str, Any], cleared_at: float | None = None
          ) -> tuple[str, dict[str, Any]]:
    return "alert", {
        "serial": printer["serial"], "event": "opened" if cleared_at is None else "cleared",
        "key": f"{raised['group']}:{raised['group_index']}:{raised['index']}",
        "code": raised["code"], "group": ALERT_GROUPS[raised["group"]],
        "severity": SEVERITIES[raised["severity"]], "training": TRAININGS[raised["training"]],
        "description": raised["description"], "opened_at": epoch(raised["raised_at"]),
        "cleared_at": cleared_at, "location": raised["location"],
        "engine_cycles": printer["engine_cycles"]}


def ship(intake: Intake, records: list[tuple[str, dict[str, Any]]], now: float) -> None:
    """One batch through the codec into the portal (every message must be stored)."""
    messages = [Message(f"m{next(_ids)}", kind, record_from_payload(kind, payload))
                for kind, payload in records]
    batch = decode_batch(encode_batch(messages, agent=AGENT_NAME, customer=CUSTOMER,
                                      sent_at=now))
    assert batch.invalid == {}
    result = intake.take(AGENT, f"b{next(_ids)}", batch, now)
    assert result.stored == len(messages)
