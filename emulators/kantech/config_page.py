"""The configuration page a device serves on its own address in factory-default mode (paper,
table 14: HTTP 80, "factory default mode only").

Server-rendered HTML, no script. The form carries a token drawn when the page started; a POST
without it, or from a page of another origin (``Origin`` naming another host), is refused, which
is CSRF protection enough for a lab device. Saving valid settings answers a confirmation page,
then ``on_saved`` runs (the device leaves factory mode) and the page closes: it exists in factory
mode only. Bad values get the form back with an error beside each field, naming it.
"""

from __future__ import annotations

import asyncio
import html
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from emulators.kantech.config_form import (
    FIELDS,
    LABELS,
    FactorySettings,
    FormError,
    check_form,
    parse_body,
)
from protolab.http_api import ApiServer
from protolab.logs import get_logger

log = get_logger("kantech.config_page")

_STYLE = ("body{font-family:sans-serif;max-width:40em;margin:2em auto}label{display:block;"
          "margin-top:1em}input{width:100%}.error{color:#b00}")


class ConfigPage:
    """``await ConfigPage(...).start(host, port)``; ``close()``; ``closed`` once saved."""

    def __init__(self, name: str, current: dict[str, str],
                 on_saved: Callable[[FactorySettings], Awaitable[None]],
                 default_gateway_port: int = 18801,
                 check: Callable[[FactorySettings], dict[str, str]] | None = None) -> None:
        """``check`` adds the lab's own rules (an address another device has) to the form's."""
        self.name, self.current, self.on_saved = name, dict(current), on_saved
        self.check = check
        self.default_gateway_port = default_gateway_port
        self.token = secrets.token_urlsafe(18)
        self.server: ApiServer | None = None
        self.saved: FactorySettings | None = None
        self._closing: asyncio.Task[None] | None = None

    @property
    def address(self) -> tuple[str, int]:
        assert self.server is not None
        return self.server.address

    async def start(self, host: str, port: int) -> ApiServer:
        app = web.Application(client_max_size=8192)
        app.add_routes([web.get("/", self._get), web.post("/", self._post)])
        self.server = await ApiServer.start(app, host, port, what=f"{self.name} config page")
        log.info("factory-default configuration page", device=self.name, url=self.server.url)
        return self.server

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()
            self.server = None

    async def _get(self, request: web.Request) -> web.Response:
        return self._page(self.current, {})

    async def _post(self, request: web.Request) -> web.Response:
        if self.saved is not None:
            return _html("Saved", "<p>This device has left factory-default mode.</p>", 409)
        origin = request.headers.get("Origin")
        if origin not in (None, "null") and origin.split("//", 1)[-1] != request.host:
            return _html("Refused", "<p>A form from another site cannot change this device."
                         "</p>", 403)
        try:
            fields = parse_body(await request.read())
        except FormError as exc:
            return _html("Bad form", f"<p>{html.escape(str(exc))}</p>", 400)
        if not secrets.compare_digest(fields.get("token", ""), self.token):
            return _html("Refused", "<p>The form is stale or forged: reload the page.</p>", 403)
        result = check_form(fields, self.default_gateway_port)
        if not isinstance(result, dict) and self.check is not None:
            result = self.check(result) or result
        if isinstance(result, dict):
            log.warning("configuration refused", device=self.name,
                        errors={f: f"{f}: expected {e}" for f, e in result.items()})
            return self._page({f: fields.get(f, "") for f in FIELDS}, result, status=400)
        self.saved = result
        self._closing = asyncio.ensure_future(self._leave(result))
        return _html("Saved", f"<p id=\"saved\">Saved. {html.escape(self.name)} leaves "
                     "factory-default mode and reports to "
                     f"{html.escape(result.gateway[0])}:{result.gateway[1]}; this page closes."
                     "</p>", 200)

    async def _leave(self, settings: FactorySettings) -> None:
        await asyncio.sleep(0.05)  # the confirmation leaves first
        try:
            await self.on_saved(settings)
        except Exception as exc:  # the page is gone either way; say why the device is not up
            log.exception("leaving factory mode failed", device=self.name, error=str(exc))
        await self.close()

    def _page(self, values: dict[str, Any], errors: dict[str, str],
              status: int = 200) -> web.Response:
        rows = []
        for field in FIELDS:
            kind = "password" if field == "key" else "text"
            value = "" if field == "key" else html.escape(str(values.get(field, "")), quote=True)
            error = errors.get(field)
            note = (f'<div class="error" id="error-{field}">{html.escape(LABELS[field])}: '
                    f"expected {html.escape(error)}</div>") if error else ""
            rows.append(f'<label for="{field}">{html.escape(LABELS[field])}</label>'
                        f'<input id="{field}" name="{field}" type="{kind}" value="{value}">'
                        f"{note}")
        summary = (f'<p class="error" id="errors">{len(errors)} field(s) to correct: '
                   f"{', '.join(html.escape(LABELS[f]) for f in errors)}</p>") if errors else ""
        body = (f"<p>{html.escape(self.name)} is in factory-default mode.</p>{summary}"
                f'<form method="post" action="/"><input type="hidden" name="token" '
                f'value="{self.token}">{"".join(rows)}'
                '<p><button id="save" type="submit">Save</button></p></form>')
        return _html("Configuration", body, status)


def _html(title: str, body: str, status: int) -> web.Response:
    page = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{title}</h1>{body}</body></html>")
    return web.Response(text=page, status=status, content_type="text/html",
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                 "Content-Security-Policy": "default-src 'self'; "
                                 "style-src 'unsafe-inline'"})
