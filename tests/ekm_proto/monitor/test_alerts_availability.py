"""Alert records and availability over time: a jam raised and cleared through the control API,
a printer taken off the network and back, the loops' timing around the end of working hours."""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable
from typing import Any

from ekm_proto.monitor import queries
from emulators.printers.profiles import Profile
from protolab.clock import ManualClock
from tests.ekm_proto.monitor.lab import MONDAY_9AM


async def test_a_jam_opens_a_record_and_clearing_it_closes_it_with_its_duration(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    printers, agent = await lab([profiles["hp-color-laserjet-m577"]], 1, "127.43.0.1")
    agent.start()
    await agent.settle()
    assert queries.alerts(agent.store.connection) == []
    raised = await printers.control("POST", "/printers/0/alerts", {"code": "jam"})
    await agent.advance(180)
    [record] = queries.alerts(agent.store.connection)
    assert (record["code_name"], record["group"], record["severity"], record["training"]) == (
        "jam", "mediaPath", "Critical", "Untrained")
    assert record["description"] == raised["alert"]["description"]
    assert record["cleared_at"] is None and record["source"] == "prtAlertTable"
    await printers.control("DELETE", f"/printers/0/alerts/{raised['alert']['index']}")
    await agent.advance(180)
    [record] = queries.alerts(agent.store.connection)
    assert record["duration"] == "3m 0s" and record["cleared_at"] is not None
    kinds = [m.kind for m in agent.store.outbox_pending(1000)]
    assert kinds.count("alert") == 2  # opened, then cleared


async def test_a_silent_printer_becomes_unavailable_and_resumes(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    printers, agent = await lab([profiles["hp-laserjet-m757"]], 2, "127.43.1.1",
                                unavailable_after=600.0, backoff_limit=360.0)
    agent.start()
    await agent.settle()
    await printers.control("POST", "/printers/1/offline")
    await agent.advance(20 * 60)
    devices = {d["address"]: d for d in queries.devices(agent.store.connection)}
    assert devices["127.43.1.2"]["available"] is False
    assert devices["127.43.1.1"]["available"] is True
    [record] = queries.alerts(agent.store.connection)
    assert record["group"] == "availability" and record["cleared_at"] is None
    assert re.fullmatch(r"Device busy/unavailable for over 10 minutes \(actual: 1\d mins\)",
                        record["description"]), record["description"]
    await printers.control("POST", "/printers/1/online")
    await agent.advance(10 * 60)
    records = {r["description"]: r for r in queries.alerts(agent.store.connection)}
    outage = records[record["description"]]
    resumed = records["Monitoring resumed. This device is now responding"]
    assert outage["cleared_at"] == resumed["opened_at"] and outage["duration"] is not None
    assert resumed["duration"] == "3m 0s"  # confirmed by the next alert pass
    assert queries.devices(agent.store.connection)[1]["available"] is True
    kinds = [m.kind for m in agent.store.outbox_pending(1000)]
    assert kinds.count("availability") == 4


async def test_the_alert_loop_slows_down_when_working_hours_end(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    evening = datetime.datetime(2026, 3, 2, 17, 48, tzinfo=datetime.UTC).timestamp()
    clock = ManualClock(1000.0, wall_start=evening)
    _printers, agent = await lab([profiles["hp-laserjet-m757"]], 1, "127.43.2.1",
                                printer_options={"clock": clock})
    agent.start()
    await agent.settle()
    await agent.advance(50 * 60)
    starts = [row[0] for row in agent.store.connection.execute(
        "SELECT started_at FROM passes WHERE loop = 'alert' ORDER BY id")]
    gaps = [round(b - a) for a, b in itertools.pairwise(starts)]
    assert gaps[:4] == [180, 180, 180, 180]  # 17:48 .. 18:00 every 3 minutes
    assert gaps[4:] == [900, 900]  # then every 15
    assert starts[0] == evening and MONDAY_9AM < evening
