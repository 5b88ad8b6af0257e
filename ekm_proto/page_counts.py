"""Rolling a printer's raw page counters up into the counts a service contract bills.

Vendors agree on no list of counters: an A4 mono printer has one, an A3 colour MFP hundreds. The
roll-up reduces whatever a model reports to four numbers (mono and colour, small and large), from
which every figure the EKM overview shows follows: A4-equivalent (a large page is two small
ones), pages, totals. Scans are not pages. The same function runs on the agent, which ships the
roll-up beside the raw counters, and on the portal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

COUNTER_CLASSES = ("mono", "colour", "mono-small", "mono-large", "colour-small", "colour-large",
                   "total", "a4-total", "scans", "other")

_SCAN = re.compile(r"\bscan", re.I)
_A4_TOTAL = re.compile(r"a4[- ]?equivalent|a4 eq", re.I)
_COLOUR = re.compile(r"colou?r|\bcmy|full[- ]colou?r", re.I)
_MONO = re.compile(r"\bmono|black|\bb/?w\b|\bbk\b", re.I)
_LARGE = re.compile(r"\bA3\b|large|ledger|tabloid|11x17|\bB4\b", re.I)
_SMALL = re.compile(r"\bA4\b|\bA5\b|letter|legal|small|\bB5\b", re.I)
_TOTAL = re.compile(r"total|page ?count|engine|impressions|printed|pages|life", re.I)


def classify(name: str) -> str:
    """The class of a counter from its name as a vendor spells it ("Mono A4", "printed pages,
    full colour", "Scans colour A3" ...): one of ``COUNTER_CLASSES``."""
    if _SCAN.search(name):
        return "scans"
    if _A4_TOTAL.search(name):
        return "a4-total"
    colour = "colour" if _COLOUR.search(name) else "mono" if _MONO.search(name) else None
    size = "large" if _LARGE.search(name) else "small" if _SMALL.search(name) else None
    if colour is not None:
        return f"{colour}-{size}" if size else colour
    if _TOTAL.search(name):
        return "total"
    return "other"


@dataclass(frozen=True, slots=True)
class RollUp:
    """The normalised counts of one reading (the overview's "Latest Page Counts")."""

    mono_small: int
    colour_small: int
    mono_large: int
    colour_large: int
    engine_cycles: int | None = None

    @property
    def total_small(self) -> int:
        return self.mono_small + self.colour_small

    @property
    def mono_a4(self) -> int:
        return self.mono_small + 2 * self.mono_large

    @property
    def colour_a4(self) -> int:
        return self.colour_small + 2 * self.colour_large

    @property
    def total_a4(self) -> int:
        return self.mono_a4 + self.colour_a4

    @property
    def mono_pages(self) -> int:
        return self.mono_small + self.mono_large

    @property
    def colour_pages(self) -> int:
        return self.colour_small + self.colour_large

    @property
    def total_pages(self) -> int:
        return self.mono_pages + self.colour_pages

    def table(self) -> dict[str, int | None]:
        """The overview's rows, by the names it shows."""
        return {"Mono Small": self.mono_small, "Colour Small": self.colour_small,
                "Total Small": self.total_small, "Mono Large": self.mono_large,
                "Colour Large": self.colour_large, "Mono (A4-equivalent)": self.mono_a4,
                "Colour (A4-equivalent)": self.colour_a4, "Total (A4-equivalent)": self.total_a4,
                "Mono Pages": self.mono_pages, "Colour Pages": self.colour_pages,
                "Total Pages": self.total_pages, "Engine Cycles": self.engine_cycles}


def roll_up(counters: Iterable[tuple[str, int, str | None]]) -> RollUp:
    """The roll-up of (name, value, class or None) counters, using the most detailed counters
    the model has: per size and colour, else mono and colour (counted small), else a total
    (counted mono: a printer that only counts pages in total cannot say which were colour)."""
    sums: dict[str, int] = {}
    for name, value, given in counters:
        kind = given or classify(name)
        sums[kind] = sums.get(kind, 0) + value
    sized = ("mono-small", "mono-large", "colour-small", "colour-large")
    if any(k in sums for k in sized):
        mono_small, mono_large, colour_small, colour_large = (sums.get(k, 0) for k in sized)
        # a model with a size split for one colour and only a plain count for the other
        if "mono-small" not in sums and "mono-large" not in sums:
            mono_small = sums.get("mono", 0)
        if "colour-small" not in sums and "colour-large" not in sums:
            colour_small = sums.get("colour", 0)
    elif "mono" in sums or "colour" in sums:
        mono_small, colour_small, mono_large, colour_large = (
            sums.get("mono", 0), sums.get("colour", 0), 0, 0)
    else:
        mono_small, colour_small, mono_large, colour_large = sums.get("total", 0), 0, 0, 0
    engine = sums.get("total")
    if engine is None:
        engine = mono_small + colour_small + mono_large + colour_large
    return RollUp(mono_small, colour_small, mono_large, colour_large, engine)
