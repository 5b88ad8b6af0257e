"""The site file the planner reads: what a system holds, as totals (TOML).

```toml
name = "two sites of ten controllers"   # optional
gateway = "multi-site"                 # or "global"
workstations = 2
tcpip_sites = 2                        # sites polled over TCP/IP (idle and polling bandwidth)
sites = 2                              # every site (site records, multi-site card rows)
controllers = 20
controller_model = "KT-400"            # sizes of card and schedule records (table 7)
doors = 40
cards = 200
schedules = 12
access_levels = 20

[reference]                            # optional: figures to compare the plan with
source = "white paper, example of data reloads"
gateway_reload_total = 248078
```

A missing count is 0; an unknown key is an error naming the file, the table and the keys that
would have been accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from protolab.config_file import ConfigTable, load_toml

GATEWAYS = ("multi-site", "global")
#: controller models and the table 7 record sizes they take (card, schedule)
CONTROLLER_MODELS = ("KT-100", "KT-200", "KT-300", "KT-400", "KT-1", "KTES")
COUNTS = ("workstations", "tcpip_sites", "sites", "controllers")
COMPONENTS = ("doors", "relays", "inputs", "outputs", "access_levels", "schedules", "cards",
              "holidays", "floors")
#: components each controller holds only its own share of
SHARED_OUT = ("doors", "relays", "inputs", "outputs")
#: the totals a ``[reference]`` table may give, the same names as the plan's JSON
REFERENCE_FIGURES = ("gateway_reload_total", "controller_reload_per_controller",
                     "controller_reload_total", "idle_bytes_per_second",
                     "polling_bytes_per_second")
MAX_COUNT = 10_000_000


@dataclass(frozen=True, slots=True)
class Reference:
    """Figures from elsewhere (the paper, a measurement) the plan is set beside."""

    source: str
    figures: dict[str, int]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Site:
    name: str = ""
    gateway: str = "multi-site"
    controller_model: str = "KT-400"
    workstations: int = 0
    tcpip_sites: int = 0
    sites: int = 0
    controllers: int = 0
    doors: int = 0
    relays: int = 0
    inputs: int = 0
    outputs: int = 0
    access_levels: int = 0
    schedules: int = 0
    cards: int = 0
    holidays: int = 0
    floors: int = 0
    reference: Reference | None = field(default=None)

    def count(self, name: str) -> int:
        value: int = getattr(self, name)
        return value


def load_site(path: str | Path) -> Site:
    """Read and check a site file; ConfigurationError (file, table, key, expected) otherwise."""
    raw = load_toml(path, "site file")
    return site_from_table(ConfigTable(raw.data, raw.source, dashes=True))


def site_from_table(table: ConfigTable) -> Site:
    """A site from a parsed table (``tcpip-sites`` and ``tcpip_sites`` are the same key)."""
    name = table.string("name", "")
    gateway = table.choice("gateway", GATEWAYS, "multi-site")
    model = table.choice("controller_model", CONTROLLER_MODELS, "KT-400")
    counts = {key: table.integer(key, 0, 0, MAX_COUNT) for key in (*COUNTS, *COMPONENTS)}
    reference = _reference(table.sub("reference")) if "reference" in table else None
    table.check_unknown(("reference",))
    if counts["controllers"] == 0:
        held = [f"{counts[key]} {key}" for key in SHARED_OUT if counts[key]]
        if held:
            raise table.error("controllers", f"at least 1 controller to hold the "
                                             f"{', '.join(held)}")
    return Site(name, gateway, model, reference=reference, **counts)


def _reference(table: ConfigTable) -> Reference:
    source = table.string("source", "reference")
    figures = {key: table.integer(key, lo=0, hi=2**62) for key in REFERENCE_FIGURES
               if key in table}
    notes = tuple(table.string_list("notes"))
    table.check_unknown(REFERENCE_FIGURES)
    return Reference(source, figures, notes)
