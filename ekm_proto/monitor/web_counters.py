"""Counters some models show only on their embedded web page (the EKM overview's "device
monitoring where done via device web services"): which models, which page, which counters, and
the pure parsers of those pages (HTML usage tables, SyncThru's JSON). No I/O here: web_reader.py
fetches, these functions read text.

Like counter_catalog.py, this is the agent's own knowledge of the models it supports, matched on
the model name the printer gives (prtGeneralPrinterName); nothing is learnt from an emulator.
The HTML pages keep their counters as real embedded web servers of these models do, in a usage
table whose rows hold a name cell and a value cell (``table#counters``, ``tr.counter``,
``td.name``, ``td.value``); SyncThru's ``counters.json`` lists ``{"name", "value"}`` objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser

from ekm_proto.errors import EkmError

HTML, JSON = "html", "json"
_DIGITS = str.maketrans("", "", ", \u00a0'")  # thousands separators pages use


class WebPageError(EkmError):
    """A device's web page that does not hold the counters where this model keeps them."""


@dataclass(frozen=True, slots=True)
class WebCounter:
    """A counter as the page names it; ``meaning`` is what the portal rolls it up as."""

    name: str
    meaning: str


@dataclass(frozen=True, slots=True)
class WebSource:
    """Where one model keeps its web-only counters: the page (path and query) and its format."""

    path: str
    format: str
    counters: tuple[WebCounter, ...]


_HP_USAGE = "/hp/device/InternalPages/Index?id=UsagePage"
#: (text in the model name, where its web-only counters are), first match wins
MODELS: tuple[tuple[str, WebSource], ...] = (
    ("MFP M577", WebSource(_HP_USAGE, HTML, (
        WebCounter("Duplex Sheets", "duplex_sheets"), WebCounter("Total Sheets", "sheets"),
        WebCounter("Jobs Printed", "jobs")))),
    ("MFP 785", WebSource(_HP_USAGE, HTML, (
        WebCounter("Equivalent Impressions (A4)", "equivalent_a4"),
        WebCounter("Duplex Sheets", "duplex_sheets"), WebCounter("Jobs Printed", "jobs")))),
    ("M6026cdn", WebSource("/dvcinfo/dvccounter/DvcInfo_Counter.htm", HTML, (
        WebCounter("Duplex (2-sided) sheets", "duplex_sheets"),
        WebCounter("Total sheets", "sheets")))),
    ("CLX-8380", WebSource("/sws/app/information/counters/counters.json", JSON, (
        WebCounter("Total Duplex Sheets", "duplex_sheets"), WebCounter("Total Sheets", "sheets"),
        WebCounter("Print Jobs", "jobs")))),
)


def web_source(model: str) -> WebSource | None:
    """Where a model's web-only counters are, or None for a model that has none."""
    folded = model.casefold()
    return next((source for text, source in MODELS if text.casefold() in folded), None)


def count(text: str) -> int | None:
    """A counter as a page writes it ("12,345", "12 345"); None for anything else ("--")."""
    digits = text.strip().translate(_DIGITS)
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 20 else None


class _UsageTable(HTMLParser):
    """Collects (name, value) from the rows of ``table#counters``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = False
        self.rows: dict[str, str] = {}
        self._depth = 0  # nesting of tables inside the counters table (1: in it)
        self._row: dict[str, str] | None = None
        self._cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "table":
            if self._depth or attributes.get("id") == "counters":
                self._depth += 1
                self.found = True
        elif self._depth == 1 and tag == "tr":
            self._row = {} if "counter" in classes else None
            self._cell = None  # a cell left open in the row before stays there
        elif self._depth == 1 and tag == "td" and self._row is not None:
            self._cell = next((c for c in classes if c in ("name", "value")), None)
            if self._cell is not None:
                self._row[self._cell] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._depth:
            self._depth -= 1
        elif tag == "td":
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if "name" in self._row and "value" in self._row:
                self.rows.setdefault(" ".join(self._row["name"].split()), self._row["value"])
            self._row = self._cell = None

    def handle_data(self, data: str) -> None:
        if self._row is not None and self._cell is not None:
            self._row[self._cell] += data


def parse_html_counters(page: str) -> dict[str, int | None]:
    """Counter name -> value from an HTML usage page; WebPageError if it has no counters table."""
    table = _UsageTable()
    try:
        table.feed(page)
        table.close()
    except (AssertionError, ValueError) as exc:  # HTMLParser's own complaints
        raise WebPageError(f"expected an HTML page with table#counters: {exc}") from None
    if not table.found:
        raise WebPageError("expected an HTML page with table#counters, found none")
    return {name: count(value) for name, value in table.rows.items()}


def parse_json_counters(page: str) -> dict[str, int | None]:
    """Counter name -> value from a SyncThru ``counters.json``."""
    try:
        data = json.loads(page)
    except (ValueError, RecursionError) as exc:
        raise WebPageError(f"expected a JSON object with a counters list: {exc}") from None
    entries = data.get("counters") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise WebPageError("expected a JSON object with a counters list")
    found: dict[str, int | None] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            value = entry.get("value")
            ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**64
            found.setdefault(entry["name"], value if ok else None)
    return found


def read_counters(source: WebSource, page: str) -> list[tuple[WebCounter, int | None]]:
    """The model's web-only counters from its page (None: absent or unreadable on the page)."""
    found = parse_json_counters(page) if source.format == JSON else parse_html_counters(page)
    return [(counter, found.get(counter.name)) for counter in source.counters]
