"""A plan as text a person reads, or as one JSON object; measured figures go beside each line.

``measured`` maps a line's ``key`` to what was counted on the wire for it, split as the issue
asks: payload, protocol overhead (framing, encryption padding) and transport overhead (UDP/IP or
TCP/IP headers). The difference shown is measured payload minus planned bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tools.bandwidth.planner import SECTIONS, Plan, PlanLine
from tools.bandwidth.text_table import format_table, thousands


@dataclass(frozen=True, slots=True)
class Measured:
    payload: int
    protocol_overhead: int
    transport_overhead: int

    @property
    def total(self) -> int:
        return self.payload + self.protocol_overhead + self.transport_overhead


def plan_json(plan: Plan, measured: Mapping[str, Measured] | None = None) -> dict[str, Any]:
    site = plan.site
    out: dict[str, Any] = {
        **plan.totals,
        "polling_range_bytes_per_second": list(plan.polling_range),
        "site": {"name": site.name, "gateway": site.gateway,
                 "controller_model": site.controller_model,
                 **{k: site.count(k) for k in ("workstations", "tcpip_sites", "sites",
                                               "controllers", "doors", "relays", "inputs",
                                               "outputs", "access_levels", "schedules", "cards",
                                               "holidays", "floors")}},
        "items": [_item(line, measured) for line in plan.lines],
        "notes": list(plan.notes),
    }
    if site.reference is not None:
        out["reference"] = {
            "source": site.reference.source, "notes": list(site.reference.notes),
            "figures": {name: {"reference": value, "planned": plan.totals[name],
                               "difference": plan.totals[name] - value}
                        for name, value in site.reference.figures.items()},
        }
    return out


def _item(line: PlanLine, measured: Mapping[str, Measured] | None) -> dict[str, Any]:
    item: dict[str, Any] = {"section": line.section, "key": line.key, "table": line.table,
                            "component": line.component, "count": line.count,
                            "bytes_each": line.bytes_each, "bytes": line.bytes}
    if line.note:
        item["note"] = line.note
    found = (measured or {}).get(line.key)
    if found is not None:
        item["measured"] = {"payload": found.payload,
                            "protocol_overhead": found.protocol_overhead,
                            "transport_overhead": found.transport_overhead,
                            "total": found.total, "difference": found.payload - line.bytes}
    return item


def plan_text(plan: Plan, measured: Mapping[str, Measured] | None = None) -> str:
    site = plan.site
    out = [f"Site {site.name or '(unnamed)'}: {site.gateway} gateway, {site.sites} sites "
           f"({site.tcpip_sites} TCP/IP), {site.controllers} {site.controller_model} "
           f"controllers, {site.workstations} workstations"]
    for section, title in SECTIONS.items():
        lines = plan.section(section)
        out += ["", title]
        if not lines:
            out.append("  (nothing)")
            continue
        out += _section_table(lines, measured)
        out.append(f"  total: {thousands(plan.total(section))}")
    low, high = plan.polling_range
    out.append(f"  table 10 range for {site.tcpip_sites} TCP/IP sites: {thousands(low)} to "
               f"{thousands(high)} bytes per second")
    if site.reference is not None:
        out += ["", f"Compared with {site.reference.source}"]
        rows = [[name, thousands(value), thousands(plan.totals[name]),
                 f"{plan.totals[name] - value:+,}"]
                for name, value in site.reference.figures.items()]
        out += format_table(("figure", "reference", "planned", "difference"), rows,
                            (False, True, True, True))
        out += [f"  - {note}" for note in site.reference.notes]
    if plan.notes:
        out += ["", "Notes"] + [f"  - {note}" for note in plan.notes]
    return "\n".join(out) + "\n"


def _section_table(lines: tuple[PlanLine, ...],
                   measured: Mapping[str, Measured] | None) -> list[str]:
    show = measured is not None and any(line.key in measured for line in lines)
    headers = ["table", "component", "count", "bytes each", "bytes"]
    numeric = [False, False, True, True, True]
    if show:
        headers += ["measured", "protocol", "transport", "difference"]
        numeric += [True, True, True, True]
    headers.append("note")
    numeric.append(False)
    rows = []
    for line in lines:
        row = [line.table, line.component, thousands(line.count), thousands(line.bytes_each),
               thousands(line.bytes)]
        if show:
            found = (measured or {}).get(line.key)
            row += ([thousands(found.payload), thousands(found.protocol_overhead),
                     thousands(found.transport_overhead), f"{found.payload - line.bytes:+,}"]
                    if found else ["-", "-", "-", "-"])
        row.append(line.note)
        rows.append(row)
    return format_table(headers, rows, numeric)
