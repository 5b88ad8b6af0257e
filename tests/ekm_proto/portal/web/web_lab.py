"""The portal's web interface on loopback for tests: a store, operators, the server, and an
HTTP client that logs in the way a browser does (form, CSRF field, cookies)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from ekm_proto.portal.rules import load_rules
from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.web.accounts import add_operator
from ekm_proto.portal.web.app import create_app
from ekm_proto.portal.web.rules_editor import RulesEditor
from ekm_proto.portal.web.server import serve
from protolab.clock import Clock
from protolab.http_api import ApiServer

PASSWORDS = {"ada": "ada-admin-pass", "vic": "vic-viewer-pass"}
RULES_TOML = """\
[destinations.service]
kind = "file"
folder = "drop"

[[rules]]
categories = ["jam"]
destinations = ["record", "service"]
"""
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_operators(store: PortalStore, now: float) -> None:
    add_operator(store, "ada", "admin", PASSWORDS["ada"], now)
    add_operator(store, "vic", "viewer", PASSWORDS["vic"], now)


def csrf_of(page: str) -> str:
    found = _CSRF.search(page)
    assert found, "the page has no CSRF field"
    return html.unescape(found.group(1))


@dataclass
class WebLab:
    store: PortalStore
    server: ApiServer
    editor: RulesEditor
    rules_file: Path

    @property
    def url(self) -> str:
        return self.server.url

    def client(self) -> aiohttp.ClientSession:
        """A client that keeps this server's (Secure) cookies, as a browser on loopback does."""
        jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[self.url])
        return aiohttp.ClientSession(self.url, cookie_jar=jar)

    async def logged_in(self, name: str) -> aiohttp.ClientSession:
        client = self.client()
        async with client.get("/login") as page:
            token = csrf_of(await page.text())
        async with client.post("/login", data={"name": name, "password": PASSWORDS[name],
                                               "csrf_token": token},
                               allow_redirects=False) as response:
            assert response.status == 303, await response.text()
        return client

    async def close(self) -> None:
        await self.server.close()


async def start_web_lab(store: PortalStore, clock: Clock, folder: Path,
                        applied: list[object] | None = None) -> WebLab:
    rules_file = folder / "rules.toml"
    rules_file.write_text(RULES_TOML)
    (folder / "drop").mkdir(exist_ok=True)
    editor = RulesEditor(rules_file, load_rules(rules_file),
                         apply=None if applied is None else applied.append)
    server = await serve(create_app(store, clock, editor), "127.0.0.1", 0)
    return WebLab(store, server, editor, rules_file)
