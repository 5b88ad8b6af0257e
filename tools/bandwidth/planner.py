"""A site's bandwidth budget from the paper's tables: gateway reload, controller reload, idle
and polling, each as itemised lines (table, component, count, bytes each).

Every line has a stable ``key`` (``section.component``) so figures measured on the wire can be
set beside it later (``plan_render`` shows them when given); the planner itself never measures.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from tools.bandwidth.site import SHARED_OUT, Site
from tools.bandwidth.tables_polling import (
    IDLE_PER_GATEWAY,
    IDLE_PER_WORKSTATION,
    POLLING_RANGE,
    TABLE_10,
    TABLE_10_ROW,
)
from tools.bandwidth.tables_reload import (
    MULTI_SITE_CARD_BASE,
    MULTI_SITE_CARD_PER_SITE,
    TABLE_7,
    TABLE_8,
    TABLE_9,
)

SECTIONS = {
    "gateway_reload": "Gateway reload",
    "controller_reload_per_controller": "Controller reload, per controller",
    "controller_reload_total": "Controller reload, all controllers",
    "idle": "Idle mode (bytes per second)",
    "polling": "Polling gateway/controllers (bytes per second)",
}
SHORT_MODELS = ("KT-100", "KT-200", "KT-300")


@dataclass(frozen=True, slots=True)
class PlanLine:
    section: str
    table: str
    component: str
    count: int
    bytes_each: int
    note: str = ""

    @property
    def bytes(self) -> int:
        return self.count * self.bytes_each

    @property
    def key(self) -> str:
        return f"{self.section}.{re.sub(r'[^a-z0-9]+', '_', self.component.lower()).strip('_')}"


@dataclass(frozen=True, slots=True)
class Plan:
    site: Site
    lines: tuple[PlanLine, ...]
    notes: tuple[str, ...]
    #: the largest share of each shared-out component one controller receives
    shares: dict[str, int]
    polling_range: tuple[int, int]

    def section(self, name: str) -> tuple[PlanLine, ...]:
        return tuple(line for line in self.lines if line.section == name)

    def total(self, name: str) -> int:
        return sum(line.bytes for line in self.section(name))

    @property
    def totals(self) -> dict[str, int]:
        """The headline figures, under the names ``--json`` and ``[reference]`` use."""
        return {
            "gateway_reload_total": self.total("gateway_reload"),
            "controller_reload_per_controller": self.total("controller_reload_per_controller"),
            "controller_reload_total": self.total("controller_reload_total"),
            "idle_bytes_per_second": self.total("idle"),
            "polling_bytes_per_second": self.total("polling"),
        }


def plan_site(site: Site) -> Plan:
    notes: list[str] = []
    lines = [*_gateway_reload(site, notes), *_controller_reload(site, notes),
             *_idle(site), *_polling(site)]
    if site.sites and site.tcpip_sites > site.sites:
        notes.append(f"tcpip_sites ({site.tcpip_sites}) is more than sites ({site.sites}).")
    shares = {name: _largest_share(site.count(name), site.controllers) for name in SHARED_OUT}
    for name in SHARED_OUT:
        total = site.count(name)
        if site.controllers and total % site.controllers:
            notes.append(f"{total} {name} over {site.controllers} controllers: up to "
                         f"{shares[name]} on one; per-controller lines take that largest share.")
    slowest, fastest = POLLING_RANGE[TABLE_10_ROW[site.gateway]]
    return Plan(site, tuple(lines), tuple(notes), shares,
                (slowest * site.tcpip_sites, fastest * site.tcpip_sites))


def _largest_share(total: int, controllers: int) -> int:
    return math.ceil(total / controllers) if controllers else 0


def _gateway_reload(site: Site, notes: list[str]) -> list[PlanLine]:
    if site.gateway == "global":
        t, n = TABLE_9, "9"
        rows = [("General information", 1, "General information"),
                ("Loops (sites)", site.sites, "Information for 1 loop")]
        card_bytes, card_note = t.bytes_of("Information for 1 card"), ""
        notes.append("Table 9 prints 'access level' twice (16396 and 262153 bytes) and 'floor' "
                     "twice (12 and 10); the planner uses the first of each.")
    else:
        t, n = TABLE_8, "8"
        rows = [("General information", 1, "General information"),
                ("Sites", site.sites, "Information for 1 site")]
        card_bytes = MULTI_SITE_CARD_BASE + MULTI_SITE_CARD_PER_SITE * site.sites
        card_note = f"35 + 34 x {site.sites} sites"
    rows += [("Controllers", site.controllers, "Information for 1 controller"),
             ("Doors", site.doors, "Information for 1 door"),
             ("Relays", site.relays, "Information for 1 relay"),
             ("Inputs", site.inputs, "Information for 1 input"),
             ("Outputs", site.outputs, "Information for 1 auxiliary output"),
             ("Access levels", site.access_levels, "Information for 1 access level"),
             ("Schedules", site.schedules, "Information for 1 schedule"),
             ("Holidays", site.holidays, "Information for 1 holiday"),
             ("Floors", site.floors, "Information for 1 floor")]
    lines = [PlanLine("gateway_reload", n, name, count, t.bytes_of(label))
             for name, count, label in rows]
    lines.append(PlanLine("gateway_reload", n, "Cards", site.cards, card_bytes, card_note))
    return lines


def _model_rows(model: str) -> tuple[str, str]:
    if model in SHORT_MODELS:
        return "Per card - KT-100/KT-200/KT-300", "Per schedule - KT-100/KT-200/KT-300"
    return "Per card - KT-400/KT-1", "Per schedule - KT-400/KT-1/KTES"


def _controller_reload(site: Site, notes: list[str]) -> list[PlanLine]:
    if not site.controllers:
        notes.append("No controllers: nothing to reload to controllers.")
        return []
    card_row, schedule_row = _model_rows(site.controller_model)
    card_note = TABLE_7.row(card_row).note
    if site.controller_model == "KTES":
        card_note = "table 7 lists no KTES card; the KT-400/KT-1 size is used"
    site_wide = [
        ("Global system information", 1, "Global system information", ""),
        ("Controller", 1, "Controller", ""),
        ("Date/Time", 1, "Date/Time", ""),
        ("Cards", site.cards, card_row, card_note),
        ("Schedules", site.schedules, schedule_row, ""),
        ("Access levels", site.access_levels, "Access level (reload)", ""),
        ("Holidays", 1 if site.holidays else 0, "All holiday",
         f"{site.holidays} holidays in one record" if site.holidays else ""),
        ("Floors", site.floors, "Per floor definition",
         "sent to every controller: an upper bound" if site.floors else ""),
    ]
    own = [(name.capitalize(), name, f"Per {name[:-1]}") for name in SHARED_OUT]
    per: list[PlanLine] = []
    total: list[PlanLine] = []
    for name, count, label, note in site_wide:
        each = TABLE_7.bytes_of(label)
        per.append(PlanLine("controller_reload_per_controller", "7", name, count, each, note))
        total.append(PlanLine("controller_reload_total", "7", name, count * site.controllers,
                              each, f"{count} x {site.controllers} controllers" if count else ""))
        if name == "Date/Time":
            for title, key, row in own:
                each = TABLE_7.bytes_of(row)
                share = _largest_share(site.count(key), site.controllers)
                per.append(PlanLine("controller_reload_per_controller", "7", title, share, each))
                total.append(PlanLine("controller_reload_total", "7", title, site.count(key),
                                      each, "each controller its own"))
    return per + total


def _idle(site: Site) -> list[PlanLine]:
    per_site = TABLE_10.bytes_of(TABLE_10_ROW[site.gateway])
    return [PlanLine("idle", "10", "TCP/IP sites", site.tcpip_sites, per_site),
            PlanLine("idle", "idle", "Gateway", 1, IDLE_PER_GATEWAY),
            PlanLine("idle", "idle", "Workstations", site.workstations, IDLE_PER_WORKSTATION)]


def _polling(site: Site) -> list[PlanLine]:
    row = TABLE_10_ROW[site.gateway]
    return [PlanLine("polling", "10", "TCP/IP sites", site.tcpip_sites, TABLE_10.bytes_of(row),
                     f"table 10 default, {row}")]
