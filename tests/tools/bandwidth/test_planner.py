"""The planner's figures against the paper's tables, worked out by hand from the paper."""

from __future__ import annotations

from pathlib import Path

import tools.bandwidth
from tools.bandwidth.plan_render import Measured, plan_json, plan_text
from tools.bandwidth.planner import plan_site
from tools.bandwidth.site import Site, load_site

EXAMPLE = Path(tools.bandwidth.__file__).parent / "examples" / "paper-example.toml"


def test_the_shipped_paper_example_gives_the_paper_s_gateway_total() -> None:
    plan = plan_site(load_site(EXAMPLE))
    # table 8 x the example's counts; cards are 35 + 34 x 2 sites = 103 bytes each
    assert plan.totals["gateway_reload_total"] == (
        14342 + 2 * 392 + 20 * 9040 + 40 * 342 + 2 * 22 + 8 * 66 + 2 * 52 + 20 * 780
        + 12 * 133 + 200 * (35 + 34 * 2)) == 248078


def test_controller_reload_sends_each_its_share_and_everything_site_wide() -> None:
    plan = plan_site(load_site(EXAMPLE))
    site_wide = 83 + 40 + 7 + 200 * 78 + 12 * 41 + 20 * 249  # KT-400 cards and schedules
    # 40 doors over 20 controllers: 2 each; 2 relays, 8 inputs, 2 outputs: at most 1 on one
    assert plan.totals["controller_reload_per_controller"] == site_wide + 2 * 27 + 6 + 14 + 15
    assert plan.totals["controller_reload_total"] == 20 * site_wide + 40 * 27 + 2 * 6 + 8 * 14 \
        + 2 * 15
    assert plan.shares == {"doors": 2, "relays": 1, "inputs": 1, "outputs": 1}
    assert any("2 relays over 20 controllers" in note for note in plan.notes)


def test_short_controllers_take_the_short_card_and_schedule_records() -> None:
    site = Site(controller_model="KT-300", controllers=2, doors=4, cards=10, schedules=3)
    per = plan_site(site).section("controller_reload_per_controller")
    by = {line.component: line for line in per}
    assert (by["Cards"].bytes_each, by["Schedules"].bytes_each) == (17, 21)
    assert "7-17" in by["Cards"].note or "17-byte" in by["Cards"].note
    assert plan_site(site).totals["controller_reload_per_controller"] == \
        83 + 40 + 7 + 2 * 27 + 10 * 17 + 3 * 21


def test_ktes_cards_use_the_kt400_size_and_say_so() -> None:
    plan = plan_site(Site(controller_model="KTES", controllers=1, cards=1))
    by = {x.component: x for x in plan.section("controller_reload_per_controller")}
    assert by["Cards"].bytes_each == 78 and "KTES" in by["Cards"].note


def test_holidays_go_as_one_record_and_floors_one_each() -> None:
    plan = plan_site(Site(controllers=3, holidays=12, floors=5))
    per = {x.component: x for x in plan.section("controller_reload_per_controller")}
    assert (per["Holidays"].count, per["Holidays"].bytes) == (1, 200)
    assert per["Floors"].bytes == 5 * 64
    gateway = {x.component: x for x in plan.section("gateway_reload")}
    assert gateway["Holidays"].bytes == 12 * 10255 and gateway["Floors"].bytes == 5 * 10


def test_a_global_gateway_reload_uses_table_9() -> None:
    site = Site(gateway="global", sites=3, tcpip_sites=3, controllers=4, doors=8, relays=4,
                inputs=16, outputs=4, access_levels=2, schedules=5, cards=100, holidays=3,
                floors=2)
    plan = plan_site(site)
    assert plan.totals["gateway_reload_total"] == (
        823 + 3 * 1024 + 4 * 6416 + 8 * 190 + 4 * 24 + 16 * 64 + 4 * 56 + 2 * 16396 + 5 * 129
        + 3 * 6 + 2 * 12 + 100 * 91)
    assert plan.totals["idle_bytes_per_second"] == 3 * 7400 + 26
    assert plan.totals["polling_bytes_per_second"] == 3 * 7400
    assert plan.polling_range == (3 * 3800, 3 * 7800)
    assert any("262153" in note for note in plan.notes)


def test_idle_and_polling_follow_table_10_and_the_idle_example() -> None:
    plan = plan_site(Site(workstations=2, tcpip_sites=4))
    assert plan.totals["idle_bytes_per_second"] == 4 * 1000 + 26 + 2 * 26
    assert plan.totals["polling_bytes_per_second"] == 4000
    assert plan.polling_range == (4 * 200, 4 * 7200)


def test_no_controllers_means_no_controller_reload() -> None:
    plan = plan_site(Site(sites=1, cards=10))
    assert plan.section("controller_reload_per_controller") == ()
    assert plan.totals["controller_reload_total"] == 0
    assert plan.totals["gateway_reload_total"] == 14342 + 392 + 10 * (35 + 34)


def test_json_has_the_promised_keys_and_items() -> None:
    out = plan_json(plan_site(load_site(EXAMPLE)))
    for key in ("gateway_reload_total", "controller_reload_per_controller",
                "controller_reload_total", "idle_bytes_per_second", "polling_bytes_per_second"):
        assert isinstance(out[key], int)
    for item in out["items"]:
        assert item["bytes"] == item["count"] * item["bytes_each"]
        assert {"table", "component", "count", "bytes_each", "bytes"} <= set(item)
    gateway = sum(i["bytes"] for i in out["items"] if i["section"] == "gateway_reload")
    assert gateway == out["gateway_reload_total"]
    reference = out["reference"]["figures"]["controller_reload_per_controller"]
    assert reference["reference"] == 2355
    assert reference["difference"] == out["controller_reload_per_controller"] - 2355


def test_measured_figures_go_beside_the_planned_line() -> None:
    plan = plan_site(load_site(EXAMPLE))
    doors = next(x for x in plan.lines if x.key == "gateway_reload.doors")
    measured = {doors.key: Measured(payload=13700, protocol_overhead=410, transport_overhead=84)}
    text = plan_text(plan, measured)
    row = next(line for line in text.splitlines() if line.strip().startswith("8") and
               "Doors" in line)
    assert "13,700" in row and "410" in row and "+20" in row
    item = next(i for i in plan_json(plan, measured)["items"] if i["key"] == doors.key)
    assert item["measured"] == {"payload": 13700, "protocol_overhead": 410,
                                "transport_overhead": 84, "total": 14194, "difference": 20}
    assert "measured" not in plan_text(plan)  # no column without measurements


def test_text_output_is_aligned_and_totals_each_section() -> None:
    text = plan_text(plan_site(load_site(EXAMPLE)))
    assert "total: 248,078" in text
    rows = [line for line in text.splitlines() if line.startswith("  8 ")]
    assert len({line.index("342") for line in rows if " 342 " in line}) == 1
    ends = {len(line.rstrip()) for line in rows if "Cards" not in line}
    assert len(ends) == 1  # the bytes column ends at the same place on every line
