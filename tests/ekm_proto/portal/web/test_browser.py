"""The web interface in headless Chromium over a portal fed by emulated printers: every page
opened, its values checked against the emulator's control API, log-in and log-out, a viewer
refused a rule change, a form without its CSRF token refused. Screenshots of the main pages are
kept (tests/browser.py says where)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from ekm_proto.portal.intake import Intake
from ekm_proto.portal.rules import load_rules
from ekm_proto.portal.store import PortalStore
from emulators.printers.profiles import load_profiles
from protolab.clock import ManualClock
from tests.browser import screenshots_dir, text_of
from tests.ekm_proto.monitor.lab import Printers, serve_printers
from tests.ekm_proto.portal.web import printer_feed as feed
from tests.ekm_proto.portal.web.web_lab import PASSWORDS, WebLab, add_operators, start_web_lab

DAY = 86400.0
MONTHS = 4
PROFILES = ("hp-pagewide-785f", "kyocera-ecosys-m6026cdn", "samsung-clx-8380nd")
ZONES = ("London", "London", "Bristol")
CLEARED_AFTER = 553.0  # 9m 13s, as in the overview


@dataclass
class FedLab:
    printers: Printers
    web: WebLab
    truth: list[dict[str, Any]]  # each printer's control-API detail when last read
    jam: dict[str, Any]
    cover: dict[str, Any]


@pytest.fixture
async def fed(tmp_path: Path) -> AsyncIterator[FedLab]:
    profiles = load_profiles()
    printers = await serve_printers([profiles[p] for p in PROFILES], len(PROFILES), "127.47.0.1")
    store = PortalStore(tmp_path / "portal.db")
    web = None
    try:
        now = printers.clock.wall()
        (tmp_path / "drop").mkdir()
        (tmp_path / "rules.toml").write_text(
            '[destinations.service]\nkind = "file"\nfolder = "drop"\n\n'
            '[[rules]]\ncategories = ["jam"]\ndestinations = ["record", "service"]\n')
        intake = Intake(store, load_rules(tmp_path / "rules.toml"))
        truth: list[dict[str, Any]] = []
        for month in range(MONTHS):  # a reading a month, the last one now
            at = now - (MONTHS - 1 - month) * 31 * DAY
            records = []
            for slot in range(len(PROFILES)):
                await printers.control("POST", f"/printers/{slot}/print",
                                       {"pages": 40 * (month + 1) + 7 * slot, "colour": True})
                detail = await printers.control("GET", f"/printers/{slot}")
                if month == 0:
                    records.append(feed.asset(detail, ZONES[slot], at))
                records.append(feed.meters(detail, at))
                truth = [*truth[:slot], detail, *truth[slot + 1:]]
            feed.ship(intake, records, at)
        await printers.control("POST", "/printers/0/supplies/1", {"level": 61})
        feed.ship(intake, [feed.supplies(await printers.control("GET", "/printers/0"),
                                         now - 20 * DAY)], now)
        await printers.control("POST", "/printers/0/supplies/1", {"level": 33})
        jam = (await printers.control("POST", "/printers/0/alerts", {"code": "jam"}))["alert"]
        cover = (await printers.control("POST", "/printers/1/alerts",
                                        {"code": "coverOpen"}))["alert"]
        await printers.control("DELETE", f"/printers/1/alerts/{cover['index']}")
        truth[0] = await printers.control("GET", "/printers/0")
        opened = feed.epoch(cover["raised_at"])
        feed.ship(intake, [feed.supplies(truth[0], now), feed.alert(truth[0], jam),
                           feed.alert(truth[1], cover),
                           feed.alert(truth[1], cover, cleared_at=opened + CLEARED_AFTER)], now)
        clock = ManualClock(0.0, wall_start=now)
        add_operators(store, now)
        web = await start_web_lab(store, clock, tmp_path)
        yield FedLab(printers, web, truth, jam, cover)
    finally:
        if web is not None:
            await web.close()
        store.close()
        await printers.close()


class Page:
    """The browser, driven from the test's loop (each call in a thread: the server is on this
    loop), with the page's tables read as text."""

    def __init__(self, driver: Any, base: str) -> None:
        self.driver, self.base = driver, base
        self.shots = screenshots_dir("portal-web")

    async def open(self, path: str) -> None:
        await asyncio.to_thread(self.driver.get, self.base + path)

    async def run(self, action: Any, *args: Any) -> Any:
        return await asyncio.to_thread(action, *args)

    async def text(self, element_id: str) -> str:
        return str(await asyncio.to_thread(text_of, self.driver, element_id))

    async def rows(self, table_id: str) -> list[list[str]]:
        def read() -> list[list[str]]:
            table = self.driver.find_element(By.ID, table_id)
            found = [[c.text for c in row.find_elements(By.TAG_NAME, "td")]
                     for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
            return [row for row in found if row]
        await self.text(table_id)
        return await asyncio.to_thread(read)

    async def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        await asyncio.to_thread(self.driver.save_screenshot, str(path))
        assert path.stat().st_size > 5000, f"{path} looks empty"
        return path

    async def log_in(self, name: str) -> None:
        def fill() -> None:
            self.driver.find_element(By.ID, "name").send_keys(name)
            self.driver.find_element(By.ID, "password").send_keys(PASSWORDS[name])
            self.driver.find_element(By.ID, "login").click()
        await self.open("/login")
        await self.run(fill)
        assert (await self.text("operator")).startswith(name)

    async def log_out(self) -> None:
        await self.run(lambda: self.driver.find_element(By.ID, "logout").click())
        await self.text("login-form")

    async def post_form(self, action: str, fields: dict[str, str]) -> str:
        """A form the page does not offer, built in the page and submitted: what a forged or
        stale form does. The page the server answers with, as text."""
        script = ("const f = document.createElement('form'); f.method = 'post';"
                  "f.action = arguments[0];"
                  "for (const [k, v] of Object.entries(arguments[1])) {"
                  "const i = document.createElement('input'); i.type = 'hidden'; i.name = k;"
                  "i.value = v; f.appendChild(i); }"
                  "document.body.appendChild(f); f.submit();")
        await self.run(self.driver.execute_script, script, action, fields)
        return await self.text("error")


async def test_every_page_in_chromium(fed: FedLab, browser: Any) -> None:
    page = Page(browser, fed.web.url)
    hp, kyocera, _ = fed.truth
    await page.open("/")
    assert await page.text("login-form")  # the root shows the log-in form
    await page.shot("login")
    await page.log_in("ada")

    await page.open("/customers")
    sites = await page.rows("sites")
    assert [r[:3] for r in sites] == [["Local Test2", "Bristol", "1"],
                                      ["Local Test2", "London", "2"]]
    assert sites[1][4] == "1"  # the jam is open in London
    await page.shot("customers")

    await page.open("/assets?sort=ip")
    assets = await page.rows("assets")
    assert [r[5] for r in assets] == [p["serial"] for p in fed.truth]  # by IP address
    for row, printer in zip(assets, fed.truth, strict=True):
        assert row[3:9] == [printer["vendor"], printer["model"], printer["serial"],
                            f"EQ-{printer['id']}", printer["mac"].replace(":", "").upper(),
                            printer["address"]]
        assert row[9] == f"{printer['engine_cycles']:,}"
    await page.shot("assets")

    await page.open(f"/devices/{hp['serial']}")
    counts = dict(r for r in await page.rows("page-counts") if len(r) == 2)
    c = hp["counters"]
    assert counts["Mono Small"] == f"{c['mono_small']:,}"
    assert counts["Colour Large"] == f"{c['colour_large']:,}"
    assert counts["Total Pages"] == f"{c['total']:,}"
    assert counts["Colour (A4-equivalent)"] == f"{c['a4_colour']:,}"
    raw = {r[0]: r[1] for r in await page.rows("raw-counters")}
    assert raw["Colour A4"] == f"{c['colour_small']:,}" and raw["Scans"] == f"{c['scans']:,}"
    bars = await page.run(lambda: browser.find_elements(By.CSS_SELECTOR, "#usage-chart g.bar"))
    assert len(bars) == MONTHS
    [opened] = await page.rows("open-alerts")
    assert opened[2:6] == ["Jam", "Critical", "Untrained", fed.jam["description"]]
    supplies = await page.rows("consumables")
    first = hp["supplies"][0]
    assert supplies[0][0] == f"{first['index']} {first['description']}"
    assert supplies[0][4] == f"{round(first['remaining_percent'])}%"
    assert len(supplies) == len(hp["supplies"])
    await page.shot("device")

    await page.open(f"/devices/{kyocera['serial']}")
    [cleared] = await page.rows("cleared-alerts")
    assert cleared[2] == "Cover" and cleared[5] == fed.cover["description"]
    assert cleared[7] == "9m 13s"
    assert await page.rows("open-alerts") == [["None."]]

    await page.open("/agents")
    [agent] = await page.rows("agents")
    assert agent[:4] == [feed.AGENT, feed.AGENT_NAME, feed.CUSTOMER, str(len(fed.truth))]
    await page.shot("agents")
    await page.open("/requests")
    await page.text("requests")
    await page.shot("requests")

    await page.open("/rules")
    assert (await page.rows("rules"))[0][1] == "jam"

    def change_rules() -> None:
        box = browser.find_element(By.ID, "rules-text")
        box.send_keys('\n[[rules]]\ncategories = ["cover"]\ndestinations = ["service"]\n')
        browser.find_element(By.ID, "save-rules").click()
    await page.run(change_rules)
    assert "saved" in await page.text("saved")
    assert [r[1] for r in await page.rows("rules")] == ["jam", "cover"]
    await page.shot("rules")

    # a form without its CSRF token is refused, and changes nothing
    assert "did not come from this portal" in await page.post_form("/rules", {"rules": ""})
    assert "cover" in fed.web.rules_file.read_text()

    await page.open("/assets")
    await page.log_out()
    await page.open("/assets")
    assert await page.text("login-form")  # logged out: back to the log-in form

    await page.log_in("vic")
    await page.open("/rules")
    assert "administrator" in await page.text("viewer-note")
    assert not await page.run(lambda: browser.find_elements(By.ID, "rules-form"))
    token = await page.run(lambda: browser.find_element(
        By.CSS_SELECTOR, "input[name=csrf_token]").get_attribute("value"))
    before = fed.web.rules_file.read_text()
    refused = await page.post_form("/rules", {"csrf_token": token, "rules": "# emptied"})
    assert "Only an administrator" in refused
    assert fed.web.rules_file.read_text() == before
    await page.log_out()
