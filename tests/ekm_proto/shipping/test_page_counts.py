"""The roll-up of raw page counters into the counts a contract bills (the overview's figures)."""

from __future__ import annotations

import pytest

from ekm_proto.page_counts import RollUp, classify, roll_up


def test_the_overviews_example_comes_out_exactly() -> None:
    raw = [("Mono A4", 75, None), ("Colour A4", 48, None), ("Colour A3", 9, None),
           ("Scans colour US Letter", 1, None), ("Scans colour A4", 6, None),
           ("Scans colour A3", 8, None)]
    rollup = roll_up(raw)
    assert rollup.table() == {
        "Mono Small": 75, "Colour Small": 48, "Total Small": 123, "Mono Large": 0,
        "Colour Large": 9, "Mono (A4-equivalent)": 75, "Colour (A4-equivalent)": 66,
        "Total (A4-equivalent)": 141, "Mono Pages": 75, "Colour Pages": 57, "Total Pages": 132,
        "Engine Cycles": 132}


@pytest.mark.parametrize(("name", "expected"), [
    ("Mono A4", "mono-small"), ("Colour A3", "colour-large"), ("Scans colour US Letter", "scans"),
    ("printed pages, black", "mono"), ("printed pages, full colour", "colour"),
    ("total printed pages", "total"), ("engine service count (A4 equivalent)", "a4-total"),
    ("colour printed (large)", "colour-large"), ("mono printed (small)", "mono-small"),
    ("monochrome pages", "mono"), ("page count", "total"), ("scanned pages", "scans"),
    ("total engine impressions", "total"), ("Colour Letter", "colour-small"),
    ("fax lines", "other"),
])
def test_counter_names_as_vendors_spell_them(name: str, expected: str) -> None:
    assert classify(name) == expected


def test_a_mono_printer_with_one_total_counts_it_as_mono_small() -> None:
    assert roll_up([("page count", 1200, None), ("scanned pages", 50, None)]) == RollUp(
        1200, 0, 0, 0, 1200)


def test_mono_and_colour_without_sizes_count_as_small_and_the_total_is_the_engine() -> None:
    rollup = roll_up([("total printed", 1000, None), ("mono printed", 700, None),
                      ("colour printed", 300, None)])
    assert (rollup.mono_small, rollup.colour_small, rollup.total_a4, rollup.engine_cycles) == (
        700, 300, 1000, 1000)


def test_a_class_given_by_the_agent_wins_over_the_name() -> None:
    assert roll_up([("counter 7", 40, "colour-large")]).colour_a4 == 80


def test_sized_mono_with_unsized_colour_keeps_both() -> None:
    rollup = roll_up([("Mono A4", 10, None), ("Mono A3", 2, None), ("colour pages", 5, None)])
    assert (rollup.mono_a4, rollup.colour_small, rollup.total_pages) == (14, 5, 17)
