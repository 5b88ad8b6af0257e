"""E-mail through SMTP, with STARTTLS and authentication when the rules file asks for them.

smtplib in a worker thread: a slow mail server delays one delivery, never the portal's loop.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage

from ekm_proto.portal.rules import SmtpSettings
from protolab.errors import ProtolabError


class MailError(ProtolabError):
    """The SMTP server refused the message or could not be reached (the delivery retries)."""


def compose(settings: SmtpSettings, to: Sequence[str], subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(body)
    return message


def _send(settings: SmtpSettings, message: EmailMessage) -> None:
    where = f"{settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                context = ssl.create_default_context(
                    cafile=str(settings.ca) if settings.ca else None)
                smtp.starttls(context=context)
            if settings.username is not None and settings.password is not None:
                smtp.login(settings.username, settings.password)
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"SMTP {where} refused the login of {settings.username}: "
                        f"{exc.smtp_code} {exc.smtp_error!r}") from None
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise MailError(f"SMTP {where}: {type(exc).__name__}: {exc}") from None


async def send_mail(settings: SmtpSettings, to: Sequence[str], subject: str, body: str) -> None:
    """Send one message; MailError saying which server and why when it cannot."""
    await asyncio.to_thread(_send, settings, compose(settings, to, subject, body))
