"""``--chart OUT.png``: the reload and idle budgets of a plan, one bar per component."""

from __future__ import annotations

from pathlib import Path

from protolab.errors import ConfigurationError
from tools.bandwidth.planner import SECTIONS, Plan

CHARTED = ("gateway_reload", "controller_reload_per_controller", "controller_reload_total",
           "idle")


def write_chart(plan: Plan, path: str | Path) -> None:
    """Draw the chart into a PNG file; ConfigurationError when the file cannot be written."""
    import matplotlib

    matplotlib.use("Agg")  # no display: a file is all we make
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(len(CHARTED), 1, figsize=(9, 3.2 * len(CHARTED)))
    try:
        for axis, section in zip(axes, CHARTED, strict=True):
            lines = [line for line in plan.section(section) if line.bytes]
            labels = [f"{line.component} ({line.count:,} x {line.bytes_each:,})"
                      for line in lines]
            values = [line.bytes for line in lines]
            axis.barh(labels, values, color="#3b6ea8")
            axis.invert_yaxis()
            unit = "bytes per second" if section == "idle" else "bytes"
            title = SECTIONS[section].split(" (")[0]
            axis.set_title(f"{title}: {plan.total(section):,} {unit}", fontsize=10)
            axis.set_xlabel(unit)
            axis.tick_params(labelsize=8)
            for index, value in enumerate(values):
                axis.annotate(f"{value:,}", (value, index), xytext=(3, 0),
                              textcoords="offset points", va="center", fontsize=7)
        name = plan.site.name or "site"
        figure.suptitle(f"Bandwidth budget: {name}", fontsize=12)
        figure.tight_layout()
        try:
            figure.savefig(path, format="png", dpi=100)
        except OSError as exc:
            raise ConfigurationError(f"--chart {path}: cannot write the chart: "
                                     f"{exc.strerror or exc}") from None
    finally:
        pyplot.close(figure)
