"""Real servers for what the portal delivers to, in tests: SMTP (aiosmtpd on loopback,
optionally with STARTTLS and AUTH required) and a webhook (aiohttp), collecting what they get."""

from __future__ import annotations

import ssl
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from protolab.ports import free_port
from protolab.prosody import LabCertificates


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


class SmtpServer:
    def __init__(self, certificates: LabCertificates | None = None,
                 login: tuple[str, str] | None = None) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        options: dict[str, Any] = {}
        if certificates is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(certificates.certificate, certificates.key)
            options.update(tls_context=context, require_starttls=True)
        if login is not None:
            def check(_server: Any, _session: Any, _envelope: Any, _mechanism: str,
                      data: Any) -> AuthResult:
                ok = isinstance(data, LoginPassword) and (
                    data.login.decode(), data.password.decode()) == login
                return AuthResult(success=ok, handled=False)

            options.update(authenticator=check, auth_require_tls=certificates is not None,
                           auth_required=True)
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                     server_hostname="localhost", **options)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.controller.stop()

    @staticmethod
    def ca(certificates: LabCertificates) -> Path:
        return certificates.ca


async def webhook_server(received: list[dict[str, Any]]) -> tuple[web.AppRunner, str]:
    """An aiohttp server taking POSTed JSON at /alerts into ``received``; (runner, URL)."""
    async def hook(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/alerts", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}/alerts"
