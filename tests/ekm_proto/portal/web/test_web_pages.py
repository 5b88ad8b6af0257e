"""The pages over HTTP on a small known fleet: what each shows, paging and sorting of the asset
list, and its refusals of bad parameters."""

from __future__ import annotations

import re

from ekm_proto.portal.intake import Intake
from ekm_proto.portal.rules import PortalRules
from ekm_proto.portal.store import PortalStore, web_reads
from tests.ekm_proto.portal.intake_helpers import AGENT, batch
from tests.ekm_proto.portal.web.web_lab import WebLab
from tests.ekm_proto.xmpp_lab import JULY_13_2020, asset


def cells(page: str, table: str) -> list[list[str]]:
    """The text of each row of the table with id ``table`` (tags stripped)."""
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    found = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r,
                                                                     re.S)] for r in rows]
    return [row for row in found if row]  # not the heading


async def test_the_device_page_shows_the_overviews_tables(lab: WebLab) -> None:
    async with await lab.logged_in("vic") as client, client.get("/devices/MXCK751Y") as response:
        page = await response.text()
    assert response.status == 200
    counts = dict(row for row in cells(page, "page-counts") if len(row) == 2)
    # the overview's own example: 75 mono A4, 48 colour A4, 9 colour A3
    assert (counts["Mono Small"], counts["Colour Small"], counts["Colour Large"]) == ("75", "48",
                                                                                    "9")
    assert (counts["Colour (A4-equivalent)"], counts["Total (A4-equivalent)"],
            counts["Total Pages"], counts["Last Updated"]) == ("66", "141", "132",
                                                               "13-Jul-2020 00:00:00")
    assert ["Colour A3", "9", "13-Jul-2020 00:00:00"] in cells(page, "raw-counters")
    opened = cells(page, "open-alerts")
    assert len(opened) == 1 and opened[0][0] == "12-Jul-2020 23:00:00"
    assert opened[0][2:5] == ["Jam", "Critical", "Untrained"]
    cleared = cells(page, "cleared-alerts")
    assert cleared[0][6:] == ["12-Jul-2020 22:09:13", "9m 13s"]
    supply = cells(page, "consumables")[0]
    assert supply[0] == "1 Black Cartridge" and supply[4] == "33%"
    bars = re.findall(r'data-month="([^"]+)" data-mono="(\d+)" data-colour="(\d+)"', page)
    assert [b[0] for b in bars] == ["2020-05", "2020-06", "2020-07"]
    assert sum(int(b[1]) for b in bars) == 75 - 25  # the first reading stands for the start


async def test_the_asset_list_pages_and_sorts(lab: WebLab) -> None:
    async with await lab.logged_in("vic") as client:
        async with client.get("/assets") as response:
            rows = cells(await response.text(), "assets")
        assert [r[1] for r in rows] == ["LWC4706687", "MXCK751Y"]
        assert rows[0][2:9] == ["Bristol", "Kyocera", "ECOSYS M6026cdn", "LWC4706687",
                                "A-LWC4706687", "00C0E3F8CDD0", "192.0.2.88"]
        async with client.get("/assets?sort=zone&order=desc&per=25") as response:
            assert [r[2] for r in cells(await response.text(), "assets")] == ["London",
                                                                              "Bristol"]
        async with client.get("/assets?per=25&page=2") as response:
            page = await response.text()
            assert "page 1 of 1" in page  # past the end shows the last page
        async with client.get("/assets?customer=Local+Test2&site=Bristol") as response:
            assert [r[1] for r in cells(await response.text(), "assets")] == ["LWC4706687"]
        for bad in ("sort=password_hash", "order=up", "page=0", "per=7", "page=x"):
            async with client.get(f"/assets?{bad}") as response:
                assert response.status == 400, bad


async def test_customers_agents_requests_and_unknown_devices(lab: WebLab) -> None:
    async with await lab.logged_in("vic") as client:
        async with client.get("/") as response:
            sites = cells(await response.text(), "sites")
        assert [r[:5] for r in sites] == [["Local Test2", "Bristol", "1", "0", "0"],
                                          ["Local Test2", "London", "1", "0", "1"]]
        async with client.get("/agents") as response:
            agents = cells(await response.text(), "agents")
        assert agents[0][:4] == ["agent@xmpp.test", "site-a", "Local Test2", "2"]
        async with client.get("/requests") as response:
            assert response.status == 200
        async with client.get("/devices/NOPE") as response:
            assert response.status == 404 and "NOPE" in await response.text()


def test_addresses_sort_as_addresses_not_text(store: PortalStore) -> None:
    """10.0.0.9 before 10.0.0.10, IPv4 before IPv6 before names, in either direction."""
    addresses = ["10.0.0.10", "printer-7.example", "10.0.0.9", "::1", "9.200.1.1",
                 "2001:db8::2", "192.0.2.99"]
    Intake(store, PortalRules()).take(AGENT, "b8", batch(*(
        (f"ip{i}", asset(f"IP{i:04d}", address=a)) for i, a in enumerate(addresses))),
        JULY_13_2020)

    def ips(descending: bool) -> list[str | None]:
        return [r["address"] for r in web_reads.asset_page(store, sort="ip", descending=descending,
                                                           offset=0, limit=20)
                if r["serial"].startswith("IP")]
    expected = ["9.200.1.1", "10.0.0.9", "10.0.0.10", "192.0.2.99", "::1", "2001:db8::2",
                "printer-7.example"]
    assert ips(False) == expected
    assert ips(True) == expected[::-1]


def test_empty_values_sort_last_either_way_and_filter_as_none(store: PortalStore) -> None:
    Intake(store, PortalRules()).take(AGENT, "b9", batch(
        ("z1", asset("AAA0001", zone=None)),  # type: ignore[arg-type]
        ("z2", asset("ZZZ0001", zone="Aberdeen"))), JULY_13_2020)

    def zones(descending: bool) -> list[str | None]:
        return [r["zone"] for r in web_reads.asset_page(store, sort="zone", descending=descending,
                                                        offset=0, limit=10)]
    assert zones(False) == ["Aberdeen", "Bristol", "London", None]
    assert zones(True) == ["London", "Bristol", "Aberdeen", None]
    assert [r["serial"] for r in web_reads.asset_page(
        store, sort="device", descending=False, offset=0, limit=10, site="")] == ["AAA0001"]
    assert web_reads.asset_count(store, "Local Test2", "") == 1
    assert [r["serial"] for r in web_reads.asset_page(
        store, sort="serial", descending=True, offset=1, limit=2)] == ["MXCK751Y", "LWC4706687"]
