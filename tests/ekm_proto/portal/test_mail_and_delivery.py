"""What rules route reaches its destination: e-mail through a real SMTP server (STARTTLS and
login), a webhook on a local aiohttp server, a file drop; failures retried, then marked failed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ekm_proto.portal.dispatcher import MAX_ATTEMPTS, Dispatcher
from ekm_proto.portal.mailer import MailError, send_mail
from ekm_proto.portal.rules import Destination, PortalRules, SmtpSettings
from ekm_proto.portal.store import PortalStore
from protolab.clock import ManualClock
from protolab.ports import free_port
from protolab.prosody import LabCertificates, make_test_ca
from tests.ekm_proto.portal.destination_servers import SmtpServer, webhook_server

NOTICE = {"type": "alert", "event": "opened", "serial": "MXCK751Y", "alert_class": "Jam",
          "severity": "Critical", "training": "Untrained", "manufacturer": "HP",
          "model": "PageWide 785f", "reason": "077-103 A paper jam has been detected."}


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> LabCertificates:
    return make_test_ca(tmp_path_factory.mktemp("smtp-ca"), "localhost")


async def test_mail_with_starttls_and_login(certificates: LabCertificates) -> None:
    with SmtpServer(certificates, login=("portal", "s3cret")) as server:
        settings = SmtpSettings("127.0.0.1", server.port, starttls=True, username="portal",
                                password="s3cret", sender="portal@provider.example",
                                ca=certificates.ca)
        await send_mail(settings, ["helpdesk@customer.example"], "[Critical] Jam", "body text")
        wrong = SmtpSettings("127.0.0.1", server.port, starttls=True, username="portal",
                             password="guess", ca=certificates.ca)
        with pytest.raises(MailError, match="refused the login of portal"):
            await send_mail(wrong, ["x@y.example"], "s", "b")
    [message] = server.inbox.messages
    assert (message["Subject"], message["From"]) == ("[Critical] Jam", "portal@provider.example")
    assert server.inbox.recipients == [["helpdesk@customer.example"]]


async def test_a_server_that_is_not_there_is_a_mail_error() -> None:
    settings = SmtpSettings("127.0.0.1", free_port(), timeout=2.0)
    with pytest.raises(MailError, match=r"SMTP 127\.0\.0\.1:\d+: ConnectionRefusedError"):
        await send_mail(settings, ["x@y.example"], "s", "b")


async def test_the_dispatcher_mails_posts_and_drops(tmp_path: Path, portal_db: str) -> None:
    received: list[dict[str, Any]] = []
    runner, url = await webhook_server(received)
    try:
        with SmtpServer() as smtp:
            rules = PortalRules(
                destinations={
                    "mail": Destination("mail", "email", to=("helpdesk@customer.example",)),
                    "hook": Destination("hook", "webhook", url=url),
                    "drop": Destination("drop", "file", folder=tmp_path / "drop")},
                smtp=SmtpSettings("127.0.0.1", smtp.port))
            store = PortalStore(portal_db)
            for name in ("mail", "hook", "drop"):
                store.add_delivery(name, "alert:1:opened", NOTICE, 0.0)
            clock = ManualClock(wall_start=10.0)
            assert await Dispatcher(store, rules, clock).deliver_due() == 3
    finally:
        await runner.cleanup()
    assert [r["subject"] for r in received] == ["alert:1:opened"]
    assert received[0]["reason"] == NOTICE["reason"]
    [mail] = smtp.inbox.messages
    assert mail["Subject"] == "[Critical] Jam on HP PageWide 785f MXCK751Y"
    assert "reason: 077-103 A paper jam" in mail.get_payload()
    dropped = json.loads((tmp_path / "drop" / "alert_1_opened.json").read_text())
    assert dropped["serial"] == "MXCK751Y"
    assert {d["status"] for d in store.deliveries()} == {"done"}


async def test_a_failing_destination_is_retried_then_marked_failed(portal_db: str) -> None:
    rules = PortalRules(destinations={"hook": Destination(
        "hook", "webhook", url=f"http://127.0.0.1:{free_port()}/gone")})
    store = PortalStore(portal_db)
    store.add_delivery("hook", "alert:1:opened", NOTICE, 0.0)
    clock = ManualClock(wall_start=0.0)
    dispatcher = Dispatcher(store, rules, clock)
    for _ in range(MAX_ATTEMPTS):
        assert await dispatcher.deliver_due() == 0
        assert await dispatcher.deliver_due() == 0  # not due again at once
        clock.advance(3600.0)
    await dispatcher.close()
    [delivery] = store.deliveries()
    assert (delivery["status"], delivery["attempts"]) == ("failed", MAX_ATTEMPTS)
    assert "ClientConnectorError" in delivery["detail"]
