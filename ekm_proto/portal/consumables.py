"""Consumables: days and pages left per supply, and when to ask for a new one (sans-IO).

The overview's two methods: a prediction of the days left before empty from the level's
history and the device's usage (request when below the lead time, 7 days by default), and the
level itself (request when below a threshold, 5% by default). History counts from the current
cartridge only (a level jumping up means one was fitted). Pages left use the pages the device
printed while the level fell: colour pages for a colour supply, all pages otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ekm_proto.page_counts import RollUp
from ekm_proto.portal.rules import ConsumableSettings

DAY = 86400.0
_COLOURS = ("cyan", "magenta", "yellow", "colour", "color")
#: the shortest history a prediction is made from
MIN_SPAN = 3600.0


@dataclass(frozen=True, slots=True)
class Prediction:
    days_left: float | None
    pages_left: int | None
    percent_per_day: float | None


UNKNOWN = Prediction(None, None, None)


def is_colour_supply(colour: str | None, description: str) -> bool:
    text = f"{colour or ''} {description}".lower()
    return any(word in text for word in _COLOURS)


def pages_of(rollup: RollUp, colour: bool) -> int:
    return rollup.colour_pages if colour else rollup.total_pages


def predict(history: Sequence[tuple[float, float]], pages_then: int | None,
            pages_now: int | None) -> Prediction:
    """From (time, percent) points of one cartridge, oldest first, and the pages counted at the
    first and last point (None when the device reports none)."""
    if len(history) < 2:
        return UNKNOWN
    (t0, p0), (t1, p1) = history[0], history[-1]
    span, used = t1 - t0, p0 - p1
    if span < MIN_SPAN or used <= 0:
        return UNKNOWN
    per_day = used / (span / DAY)
    days = p1 / per_day
    pages = None
    if pages_then is not None and pages_now is not None and pages_now > pages_then:
        pages = int(p1 * (pages_now - pages_then) / used)
    return Prediction(days, pages, per_day)


def request_reason(percent: float | None, prediction: Prediction,
                   settings: ConsumableSettings) -> str | None:
    """Why a new supply is needed now, or None."""
    if percent is not None and percent < settings.threshold_percent:
        return f"level {percent:.0f}% below {settings.threshold_percent:g}%"
    if prediction.days_left is not None and prediction.days_left < settings.lead_days:
        return (f"about {prediction.days_left:.1f} days left, under the lead time of "
                f"{settings.lead_days:g} days")
    return None


def format_days(prediction: Prediction) -> str:
    return "Unknown" if prediction.days_left is None else f"{prediction.days_left:,.0f}"


def format_pages(prediction: Prediction) -> str:
    return "Unknown" if prediction.pages_left is None else f"{prediction.pages_left:,}"
