"""Agent -> real Prosody -> portal, end to end: the outbox to the report, alerts routed to an
SMTP server, a webhook and a file drop; addresses tried in order; certificates verified;
remote commands; invalid payloads kept aside and the sender told."""

from __future__ import annotations

import asyncio
import base64
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import slixmpp
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from ekm_proto.portal.rules import Destination, PortalRules, Rule, SmtpSettings
from ekm_proto.shipping import NAMESPACE
from ekm_proto.shipping.connection import ServerAddress
from ekm_proto.shipping.envelope import decode_receipt, wrap
from ekm_proto.shipping.outbox import SqliteOutbox
from protolab.cli.main import main
from protolab.ports import free_port
from protolab.prosody import ProsodyServer, make_test_ca
from tests.ekm_proto.portal.destination_servers import SmtpServer, webhook_server
from tests.ekm_proto.xmpp_lab import (
    JULY_13_2020,
    USERS,
    ChatClient,
    MemoryMonitor,
    alert,
    asset,
    eventually,
    make_portal,
    make_shipper,
    meters,
    running,
    supplies,
    xmpp,
)


async def test_outbox_to_report_with_alerts_routed(prosody: ProsodyServer, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    received: list[dict[str, Any]] = []
    runner, url = await webhook_server(received)
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    t = JULY_13_2020
    outbox.add_many([
        asset("MXCK751Y"), asset("LWC4706687", manufacturer="Kyocera", model="ECOSYS M6026cdn"),
        asset("XRX0001", manufacturer="Xerox", model="AltaLink C8055"),
        meters("MXCK751Y", t, {"Mono A4": 75, "Colour A4": 48, "Colour A3": 9}),
        supplies("MXCK751Y", t, {"Black ink": 33, "Cyan ink": 78}),
        alert("MXCK751Y", key="1", vendor_code="13.A2.D3", opened_at=t + 60),
        alert("LWC4706687", key="2", opened_at=t + 60),
        alert("XRX0001", key="3", code=1, group=5, opened_at=t + 60,
              description="077-103 A paper jam has been detected near the Fuser."),
        alert("XRX0001", key="4", code=1, group=5, severity=4, opened_at=t + 90,
              description="075-451 Tray 5 is empty."),
        ("alert", {"serial": "BAD", "event": "opened"}),  # refused by the agent, never shipped
    ], t)
    try:
        with SmtpServer() as smtp:
            rules = PortalRules(
                rules=(Rule(frozenset({"jam"}), ("record", "mail", "hook", "drop")),),
                destinations={
                    "mail": Destination("mail", "email", to=("helpdesk@customer.example",)),
                    "hook": Destination("hook", "webhook", url=url),
                    "drop": Destination("drop", "file", folder=tmp_path / "drop")},
                smtp=SmtpSettings("127.0.0.1", smtp.port))
            portal = make_portal(prosody, tmp_path / "portal.db", rules)
            shipper = make_shipper(prosody, outbox)
            async with running(portal.run), running(shipper.run):
                assert await shipper.drain(30) == 0
                await eventually(lambda: len(received) == 3 and len(smtp.inbox.messages) == 3,
                                 what="three jams routed")
    finally:
        await runner.cleanup()
    assert {r["serial"]: r["standard_code"] for r in received} == {
        "MXCK751Y": "JAM", "LWC4706687": "JAM", "XRX0001": "JAM"}
    assert sorted(p.name for p in (tmp_path / "drop").iterdir()) == [
        "alert_1_opened.json", "alert_2_opened.json", "alert_3_opened.json"]
    assert list(outbox.rejected()) and "key is missing" in next(iter(outbox.rejected().values()))
    capsys.readouterr()
    assert main(["portal", "report", "assets", "--db", str(tmp_path / "portal.db"),
                 "--json"]) == 0
    devices = json.loads(capsys.readouterr().out)
    assert [(d["serial"], d["manufacturer"], d["agent"]) for d in devices] == [
        ("LWC4706687", "Kyocera", prosody.jid("agent")), ("MXCK751Y", "HP", prosody.jid("agent")),
        ("XRX0001", "Xerox", prosody.jid("agent"))]


async def test_an_unreachable_address_is_passed_over_for_the_next(
        prosody: ProsodyServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    closed = ServerAddress("127.0.0.1", free_port())
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    outbox.add_many([asset("S1")], JULY_13_2020)
    settings = xmpp(prosody, "agent", closed, ServerAddress(*prosody.address))
    shipper = make_shipper(prosody, outbox, xmpp=settings)
    async with running(make_portal(prosody, tmp_path / "portal.db").run), running(shipper.run):
        assert await shipper.drain(30) == 0
    err = capsys.readouterr().err
    assert f'"server": "{closed}"' in err and "xmpp connection failed" in err


async def test_direct_tls_as_the_alternative(tmp_path: Path) -> None:
    server = ProsodyServer(tmp_path / "prosody", direct_tls_port=free_port(), users=USERS)
    server.start()
    try:
        assert server.direct_tls_port is not None
        outbox = SqliteOutbox(tmp_path / "outbox.db")
        outbox.add_many([asset("S1")], JULY_13_2020)
        settings = xmpp(server, "agent", ServerAddress("127.0.0.1", free_port()),
                        ServerAddress("127.0.0.1", server.direct_tls_port, direct_tls=True))
        shipper = make_shipper(server, outbox, xmpp=settings)
        async with running(make_portal(server, tmp_path / "portal.db").run), \
                running(shipper.run):
            assert await shipper.drain(30) == 0
    finally:
        server.stop()


async def test_a_certificate_from_another_ca_gives_no_session(
        prosody: ProsodyServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = make_test_ca(tmp_path / "other-ca", prosody.domain)
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    outbox.add_many([asset("S1")], JULY_13_2020)
    settings = xmpp(prosody, "agent")
    from dataclasses import replace
    shipper = make_shipper(prosody, outbox, xmpp=replace(settings, ca=other.ca))
    async with running(shipper.run):
        assert await shipper.drain(3) == 1
        assert not shipper.connected
    assert "xmpp connection failed" in capsys.readouterr().err


async def test_remote_commands_answer_the_authorised_and_refuse_others(
        prosody: ProsodyServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monitor = MemoryMonitor({"CN84CHX00P": {"model": "PageWide Pro 477dw",
                                            "address": "192.0.2.7"}})
    shipper = make_shipper(prosody, SqliteOutbox(tmp_path / "outbox.db"), commands=monitor)
    agent = prosody.jid("agent")
    async with running(shipper.run):
        await eventually(lambda: shipper.connected, what="agent connected")
        async with ChatClient(prosody, "admin") as admin, \
                ChatClient(prosody, "stranger") as stranger:
            status = await admin.ask(agent, "status")
            assert status.startswith("monitoring 1 devices\nshipping: connected")
            assert "192.0.2.7" in await admin.ask(agent, "show CN84CHX00P")
            assert await admin.ask(agent, "set interval alert 5 in") == (
                "alert loop every 5 minutes (in of working hours)")
            assert (await admin.ask(agent, "latest counts NOPE")).startswith("error: no device")
            assert await stranger.ask(agent, "rediscover") == (
                "refused: you are not authorised to command this agent")
    assert monitor.intervals == {("alert", "in"): 5.0} and monitor.discovered == []
    err = capsys.readouterr().err
    assert "command refused" in err and prosody.jid("stranger") in err


async def test_invalid_payloads_are_kept_aside_and_the_sender_told(
        prosody: ProsodyServer, tmp_path: Path) -> None:
    portal = make_portal(prosody, tmp_path / "portal.db")
    receipts: asyncio.Queue[bytes] = asyncio.Queue()
    client = slixmpp.ClientXMPP(prosody.jid("stranger"), USERS["stranger"])
    client.ca_certs = prosody.ca
    client.enable_direct_tls = False
    client.register_handler(Callback(
        "receipt", MatchXPath(f"{{{client.default_ns}}}message/{{{NAMESPACE}}}receipt"),
        lambda m: receipts.put_nowait(ET.tostring(m.xml.find(f"{{{NAMESPACE}}}receipt")))))
    ready = asyncio.Event()
    client.add_event_handler("session_start", lambda _e: ready.set())

    def send(batch_id: str, text: str, encoding: str = "deflate-base64") -> None:
        stanza = client.make_message(mto=prosody.jid("portal"), mtype="normal")
        stanza["id"] = batch_id
        element = ET.Element(f"{{{NAMESPACE}}}payload", {"encoding": encoding})
        element.text = text
        stanza.xml.append(element)
        stanza.send()

    good = (b'<change id="ok1" serial="S1" kind="new" at="2020-07-13T00:00:00Z"/>')
    bad = b'<change id="bad1" serial="S1" kind="teleport" at="2020-07-13T00:00:00Z"/>'
    document = (b'<batch xmlns="urn:protolab:ekm:1" version="1" agent="raw" '
                b'sent="2020-07-13T00:00:00Z">' + good + bad + b"</batch>")
    async with running(portal.run):
        await portal.receiver.online.wait()
        client.connect(*prosody.address)
        await asyncio.wait_for(ready.wait(), 15)
        send("b-garbage", base64.b64encode(b"not deflated").decode())
        send("b-mixed", wrap(document))
        first = decode_receipt(await asyncio.wait_for(receipts.get(), 10))
        second = decode_receipt(await asyncio.wait_for(receipts.get(), 10))
        await client.disconnect()
    assert (first.batch_id, first.refused) == ("b-garbage", "the payload does not inflate: "
                                               "Error -3 while decompressing data: incorrect "
                                               "header check")
    assert second.batch_id == "b-mixed" and list(second.rejected) == ["bad1"]
    assert "teleport" in second.rejected["bad1"]
    rejected = portal.store.rejected_messages()
    assert [(r["batch_id"], r["message_id"]) for r in rejected] == [
        ("b-garbage", None), ("b-mixed", "bad1")]
    assert portal.store.message_ids() == {"ok1"}


async def test_ship_once_drains_or_says_how_many_wait(prosody: ProsodyServer,
                                                     tmp_path: Path) -> None:
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    outbox.add_many([asset("S1"), asset("S2")], JULY_13_2020)
    assert await make_shipper(prosody, outbox).ship_once(1.5) == 2  # no portal: they wait
    async with running(make_portal(prosody, tmp_path / "portal.db").run):
        assert await make_shipper(prosody, outbox).ship_once(30) == 0
