"""Web-only counters: the agent's own page parsers (known answers, fuzzed), and the meter loop
reading the emulated printers' embedded web servers, the control API as the truth."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from typing import Any

import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from ekm_proto.monitor import queries
from ekm_proto.monitor.counter_catalog import MEANINGS
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.web_counters import (
    MODELS,
    WebPageError,
    count,
    parse_html_counters,
    parse_json_counters,
    read_counters,
    web_source,
)
from ekm_proto.monitor.web_reader import WebCounterFetcher
from emulators.printers.profiles import Profile
from protolab.clock import SystemClock
from protolab.ports import free_port

USAGE_PAGE = """<!DOCTYPE html><html><head><title>Usage Page</title></head><body>
<table id="summary"><tr class="counter"><td class="name">Decoy</td><td class="value">1</td></tr>
</table>
<table id="counters"><tr><th>Counter</th><th>Count</th></tr>
<tr class="counter"><td class="name">Total impressions</td><td class="value">1,234,567</td></tr>
<tr class="counter" data-web-only="true"><td class="name">Duplex
   Sheets</td><td class="value"> 8 910 </td></tr>
<tr class="counter" data-web-only="true"><td class="name">Jobs Printed</td>
<td class="value">--</td></tr>
<tr class="counter"><td class="name">Fish &amp; Chips</td><td class="value">12</td></tr>
</table></body></html>"""


def test_an_html_usage_page_gives_its_counters_table_only() -> None:
    assert parse_html_counters(USAGE_PAGE) == {
        "Total impressions": 1234567, "Duplex Sheets": 8910, "Jobs Printed": None,
        "Fish & Chips": 12}


def test_syncthru_json_counters() -> None:
    page = json.dumps({"GXI_BILLING_TOTAL_IMP_CNT": 5, "counters": [
        {"name": "Total Sheets", "value": 40, "web_only": True},
        {"name": "Print Jobs", "value": "7"}, {"value": 3}, "junk"]})
    assert parse_json_counters(page) == {"Total Sheets": 40, "Print Jobs": None}
    source = web_source("Samsung CLX-8380 Series")
    assert source is not None
    assert [(c.name, v) for c, v in read_counters(source, page)] == [
        ("Total Duplex Sheets", None), ("Total Sheets", 40), ("Print Jobs", None)]


@pytest.mark.parametrize("page", ["", "<html><body>no table</body></html>", "<table id=x>"])
def test_a_page_without_the_counters_table_is_a_typed_error(page: str) -> None:
    with pytest.raises(WebPageError):
        parse_html_counters(page)


@pytest.mark.parametrize("page", ["", "[]", "{\"counters\": 5}", "{" * 100_000, "nan"])
def test_json_without_a_counters_list_is_a_typed_error(page: str) -> None:
    with pytest.raises(WebPageError):
        parse_json_counters(page)


def test_which_models_keep_counters_on_their_pages() -> None:
    assert web_source("HP Color LaserJet MFP M577") is not None
    assert web_source("ECOSYS M6026cdn") is not None
    assert web_source("HP LaserJet Enterprise M750") is None
    assert (count("12,345"), count(" 7 "), count("--"), count("-3"), count("٣")) == (
        12345, 7, None, None, None)


_NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20
                 ).filter(lambda s: s.split() == [s] or " ".join(s.split()) == s.strip())


@given(st.dictionaries(_NAMES.map(lambda s: " ".join(s.split())).filter(bool),
                       st.integers(0, 2**40), max_size=8))
def test_any_table_we_lay_out_reads_back(counters: dict[str, int]) -> None:
    rows = "".join(f"<tr class=\"counter\"><td class=\"name\">{escape(name)}</td>"
                   f"<td class=\"value\">{value:,}</td></tr>" for name, value in counters.items())
    assert parse_html_counters(f"<table id=\"counters\">{rows}</table>") == counters


@given(st.text(max_size=400))
def test_any_text_reads_or_is_a_typed_error(page: str) -> None:
    for parse in (parse_html_counters, parse_json_counters):
        try:
            found = parse(page)
        except WebPageError:
            continue
        assert all(v is None or v >= 0 for v in found.values())


def test_a_cell_left_open_stays_in_its_row() -> None:
    # found by the agent_text fuzz target: text after a new row's <tr> went to the old row's
    # cell, which the new row does not have (KeyError out of the parser)
    page = ('<table id="counters"><tr class="counter"><td class="value">1'
            '<tr class="counter">stray text<td class="name">Scans</td><td class="value">7</td>'
            '</tr></table>')
    assert parse_html_counters(page) == {"Scans": 7}


async def test_a_page_in_a_charset_python_does_not_know_is_still_read() -> None:
    page = ('<table id="counters"><tr class="counter"><td class="name">Total Sheets</td>'
            '<td class="value">1,234</td></tr></table>')

    async def usage(request: web.Request) -> web.Response:
        return web.Response(body=page.encode(), headers={
            "Content-Type": "text/html; charset=x-printer-roman8"})

    app = web.Application()
    app.router.add_get("/hp/device/InternalPages/Index", usage)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port("127.0.0.1")
    await web.TCPSite(runner, "127.0.0.1", port).start()
    fetcher = WebCounterFetcher(SystemClock(), port=port)
    try:
        device = Device(1, "127.0.0.1", 161, "public", "CN1", "", "HP",
                        "HP Color LaserJet MFP M577", "", "", 0.0)
        found = {c.name: v for c, v in await fetcher.counters(device)}
    finally:
        await fetcher.close()
        await runner.cleanup()
    assert found["Total Sheets"] == 1234 and fetcher.failures == 0


async def test_the_meter_loop_reads_web_only_counters_from_the_printers_pages(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    models = ["hp-color-laserjet-m577", "samsung-clx-8380nd", "kyocera-ecosys-m6026cdn",
              "hp-laserjet-m757"]
    printers, agent = await lab([profiles[m] for m in models], 4, "127.45.0.1",
                                printer_options={"web": True})
    fleet = printers.fleet
    by_serial = {s.serial: s for s in fleet.printers}
    agent.start()
    await agent.settle()

    def stored() -> dict[tuple[str, str], dict[str, Any]]:
        return {(m["serial"], m["name"]): m for m in queries.meters(agent.store.connection)}

    before = stored()
    truth = {}
    for slot, state in enumerate(fleet.printers):
        await printers.control("POST", f"/printers/{slot}/print",
                               {"pages": 12, "duplex": True})
        truth[state.serial] = (await printers.control("GET", f"/printers/{slot}"))["counters"]
    await agent.advance(20 * 60)
    after = stored()
    web = {key: m for key, m in after.items() if m["oid"].startswith("web:")}
    assert {by_serial[serial].model.profile.name for serial, _ in web} == set(models[:3])
    expected = {"Total Sheets": "sheets", "Total sheets": "sheets", "Jobs Printed": "jobs",
                "Print Jobs": "jobs", "Duplex Sheets": "duplex_sheets",
                "Total Duplex Sheets": "duplex_sheets", "Duplex (2-sided) sheets": "duplex_sheets"}
    for (serial, name), meter in web.items():
        assert meter["value"] == truth[serial][expected[name]], (serial, name)
        assert meter["value"] > before[serial, name]["value"]  # the print moved it
        assert meter["meaning"] == expected[name]
    assert len(web) == 3 + 3 + 2
    assert agent.agent.web.failures == 0 and agent.agent.web.pages >= 6
    rejected = queries.rejections(agent.store.connection)
    assert not [r for r in rejected if r["name"] in expected]
    # an M577 asleep after its job keeps no SNMP meters; its web page still counts, and the
    # empty answer is still power save (read again within the day), not a broken counter
    assert {r["reason"] for r in rejected} <= {"no counters answered (device in power save?)"}


def test_every_web_counter_has_a_meaning_the_catalog_lists() -> None:
    assert {c.meaning for _, source in MODELS for c in source.counters} <= set(MEANINGS)
