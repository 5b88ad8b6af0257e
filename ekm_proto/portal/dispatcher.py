"""Sends what the rules routed: e-mail to the customer, a webhook or a file drop for the service
provider. Deliveries wait in the store; a failed one is retried with a growing delay and marked
failed (with the reason) after ``MAX_ATTEMPTS``, never dropped silently."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any

import aiohttp

from ekm_proto.portal.mailer import MailError, send_mail
from ekm_proto.portal.rules import Destination, PortalRules
from ekm_proto.portal.store import PortalStore
from protolab.clock import Clock
from protolab.errors import ProtolabError
from protolab.logs import get_logger

_log = get_logger("ekm_proto.portal.dispatcher")
MAX_ATTEMPTS = 5
FIRST_RETRY = 30.0


class DeliveryError(ProtolabError):
    """A destination that did not take a notice (the delivery is retried)."""


def subject_line(notice: dict[str, Any]) -> str:
    if notice.get("type") == "consumables":
        count = len(notice.get("requests", []))
        return (f"Consumables request: {count} item{'s' if count != 1 else ''} for "
                f"{notice.get('customer')} / {notice.get('site')}")
    if notice.get("type") == "change":
        return f"Device {notice.get('kind')}: {notice.get('serial')}"
    state = "cleared" if notice.get("event") == "cleared" else notice.get("severity")
    return (f"[{state}] {notice.get('alert_class')} on {notice.get('manufacturer') or ''} "
            f"{notice.get('model') or ''} {notice.get('serial')}").replace("  ", " ")


def body_text(notice: dict[str, Any]) -> str:
    lines = [subject_line(notice), ""]
    for key, value in notice.items():
        if key == "requests":
            for item in value:
                lines.append(f"- {item['serial']} {item.get('model') or ''}: {item['supply']} "
                             f"(SKU {item.get('sku') or 'unknown'}), {item['reason']}")
        elif value is not None:
            lines.append(f"{key.replace('_', ' ')}: {value}")
    return "\n".join(lines) + "\n"


class Dispatcher:
    def __init__(self, store: PortalStore, rules: PortalRules, clock: Clock) -> None:
        self.store, self.rules, self.clock = store, rules, clock
        self._wake = asyncio.Event()
        self._http: aiohttp.ClientSession | None = None

    def wake(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        try:
            while not stop.is_set():
                await self.deliver_due()
                with contextlib.suppress(TimeoutError):
                    await self.clock.wait_for(self._wake.wait(), interval)
                self._wake.clear()
        finally:
            await self.close()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def deliver_due(self) -> int:
        """Try every delivery that is due; how many went."""
        done = 0
        for delivery_id, name, subject, notice, attempts in self.store.due_deliveries(
                self.clock.wall()):
            try:
                detail = await self._deliver(name, subject, notice)
            except (DeliveryError, MailError) as exc:
                last = attempts + 1 >= MAX_ATTEMPTS
                retry_at = None if last else self.clock.wall() + FIRST_RETRY * 2 ** attempts
                _log.warning("delivery failed" + ("; giving up" if last else "; will retry"),
                             destination=name, subject=subject, attempt=attempts + 1,
                             error=str(exc))
                self.store.delivery_failed(delivery_id, str(exc), retry_at)
                continue
            self.store.delivery_done(delivery_id, detail, self.clock.wall())
            _log.info("delivered", destination=name, subject=subject, detail=detail)
            done += 1
        return done

    async def _deliver(self, name: str, subject: str, notice: dict[str, Any]) -> str:
        destination = self.rules.destinations.get(name)
        if destination is None:
            raise DeliveryError(f"destination {name!r} is not in the rules file")
        if destination.kind == "email":
            if self.rules.smtp is None:
                raise DeliveryError("no [smtp] table in the rules file")
            await send_mail(self.rules.smtp, destination.to, subject_line(notice),
                            body_text(notice))
            return "mailed to " + ", ".join(destination.to)
        if destination.kind == "webhook":
            return await self._post(destination, subject, notice)
        return self._drop(destination, subject, notice)

    async def _post(self, destination: Destination, subject: str, notice: dict[str, Any]) -> str:
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        body = {"subject": subject, **notice}
        try:
            async with self._http.post(str(destination.url), json=body) as response:
                if response.status >= 300:
                    raise DeliveryError(f"webhook {destination.url} answered {response.status}")
                return f"posted to {destination.url} ({response.status})"
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"webhook {destination.url}: {type(exc).__name__}: {exc}") \
                from None

    def _drop(self, destination: Destination, subject: str, notice: dict[str, Any]) -> str:
        folder = Path(str(destination.folder))
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", subject)[:120] + ".json"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temporary = folder / f".{name}.tmp"
            temporary.write_text(json.dumps({"subject": subject, **notice}, indent=2,
                                            sort_keys=True))
            os.replace(temporary, folder / name)
        except OSError as exc:
            raise DeliveryError(f"file drop {folder}: {exc.strerror or exc}") from None
        return f"dropped {folder / name}"
