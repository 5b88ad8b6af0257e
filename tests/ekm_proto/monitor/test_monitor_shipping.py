"""Emulated printers -> the monitoring agent -> a real Prosody -> the portal, end to end: what the
agent discovered reaches the portal's asset report, a jam raised on a printer's control API is
triaged and routed by the portal's rules, the portal's chat commands are answered from the
agent's data, and a stranger is refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ekm_proto.monitor.shipped import shipper_for
from ekm_proto.portal.rules import Destination, PortalRules, Rule
from emulators.printers.profiles import Profile
from protolab.cli.main import main
from protolab.clock import SystemClock
from protolab.prosody import ProsodyServer
from tests.ekm_proto.xmpp_lab import (
    ChatClient,
    eventually,
    make_portal,
    running,
    shipper_settings,
)


def report(kind: str, db: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["portal", "report", kind, "--db", str(db), "--json"]) == 0
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return rows


async def test_a_printer_alert_travels_to_the_portal_and_is_routed(
        lab: Callable[..., Any], profiles: dict[str, Profile], prosody: ProsodyServer,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    printers, agent = await lab([profiles["hp-color-laserjet-m577"],
                                 profiles["kyocera-ecosys-m6026cdn"]], 2, "127.45.9.1")
    agent.start()
    await agent.settle()
    drop = tmp_path / "drop"
    rules = PortalRules(rules=(Rule(frozenset({"jam"}), ("record", "drop")),),
                        destinations={"drop": Destination("drop", "file", folder=drop)})
    portal_db = tmp_path / "portal.db"
    shipper = shipper_for(agent.agent, shipper_settings(prosody), SystemClock())
    serials = sorted(p.serial for p in printers.fleet.printers)
    async with running(make_portal(prosody, portal_db, rules).run), running(shipper.run):
        assert await shipper.drain(30) == 0
        raised = await printers.control("POST", "/printers/0/alerts", {"code": "jam"})
        await agent.advance(180)
        shipper.notify()
        assert await shipper.drain(30) == 0
        await eventually(lambda: drop.exists() and any(drop.iterdir()), what="the jam routed")

        async with ChatClient(prosody, "portal") as portal_desk:
            agent_jid = prosody.jid("agent")
            listed = await portal_desk.ask(agent_jid, "devices")
            assert listed.startswith("2 devices:") and all(s in listed for s in serials)
            shown = await portal_desk.ask(agent_jid, f"show {printers.addresses[0]}")
            assert serials[0] in shown or serials[1] in shown
            assert "open alerts: 1" in shown and raised["alert"]["description"] in shown
            counts = await portal_desk.ask(agent_jid, f"latest counts {serials[0]}")
            assert counts.startswith(f"{serials[0]} latest counts") and "prtMarkerLifeCount" \
                in counts
            answer = await portal_desk.ask(agent_jid, "set interval alert 5 in")
            assert answer.startswith("alert loop: every 5 min in working hours, 15 min")
            assert agent.agent.settings.schedule.intervals["alert"] == (300.0, 900.0)
            status = await portal_desk.ask(agent_jid, "status")
            assert status.startswith("monitoring 2 devices (0 unavailable)")
            assert "shipping: connected" in status
            assert (await portal_desk.ask(agent_jid, "show NOSUCH")).startswith(
                "error: no device 'NOSUCH'")
        async with ChatClient(prosody, "stranger") as stranger:
            refused = await stranger.ask(prosody.jid("agent"), "devices")
            assert refused.startswith("refused")
        assert await shipper.drain(30) == 0  # the latest counts asked for reached the portal
    [routed] = [json.loads(p.read_text()) for p in drop.iterdir()]
    hp = printers.fleet.printers[0].serial
    assert (routed["serial"], routed["standard_code"]) == (hp, "JAM")
    assets = report("assets", portal_db, capsys)
    assert sorted(a["serial"] for a in assets) == serials
    assert {a["agent"] for a in assets} == {prosody.jid("agent")}
    alerts = report("alerts", portal_db, capsys)
    assert [(a["serial"], a["standard_code"]) for a in alerts] == [(hp, "JAM")]
