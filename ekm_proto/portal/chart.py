"""The overview's "Monthly Usage History": a bar chart per device, mono and colour pages per
month (stacked), written as PNG."""

from __future__ import annotations

from pathlib import Path

from ekm_proto.portal.errors import NoSuchDevice, PortalError
from ekm_proto.portal.reports import meters_by_month
from ekm_proto.portal.store import PortalStore


def usage_chart(store: PortalStore, serial: str, out: str | Path) -> int:
    """Write the chart; how many months it shows. NoSuchDevice when there is nothing to draw."""
    device = store.device(serial)
    rows = meters_by_month(store, serial, device["agent"]) if device else []
    if not rows:
        known = "known" if device else "unknown"
        raise NoSuchDevice(f"no meter readings for {serial} ({known} device): nothing to chart")
    import matplotlib

    matplotlib.use("Agg")  # no display: a file is all we make
    from matplotlib import pyplot

    months = [r["month"] for r in rows]
    mono = [r["mono_pages"] for r in rows]
    colour = [r["colour_pages"] for r in rows]
    device = store.device(serial) or {}
    figure, axes = pyplot.subplots(figsize=(8, 4), dpi=100)
    try:
        axes.bar(months, mono, label="Mono", color="#4d4d4d")
        axes.bar(months, colour, bottom=mono, label="Colour", color="#2a9df4")
        title = f"{device.get('manufacturer') or ''} {device.get('model') or ''} {serial}"
        axes.set_title("Monthly Usage History: " + " ".join(title.split()))
        axes.set_ylabel("pages")
        axes.legend()
        axes.tick_params(axis="x", labelrotation=45)
        figure.tight_layout()
        try:
            figure.savefig(out, format="png")
        except OSError as exc:
            raise PortalError(f"--out {out}: cannot write the chart: {exc.strerror or exc}") \
                from None
    finally:
        pyplot.close(figure)
    return len(rows)
