"""Printers over time: jobs arriving by office hours, people refilling trays and replacing supplies.

Time is advanced lazily: a printer is brought up to ``now`` when someone looks at it (an SNMP request,
the control API), by replaying the job arrivals and scheduled events in between. Arrivals are a
Poisson process whose rate follows the working week (08-18 Mon-Fri heavier), drawn from the printer's
own 64-bit generator, so a fleet of 100,000 costs nothing while nobody asks.
"""

from __future__ import annotations

import math

from emulators.printers.alerts import JAM_LOCATIONS
from emulators.printers.printer_state import (
    EVENT_CLEAR,
    EVENT_REFILL,
    EVENT_REPLACE,
    F_SWITCHED_OFF,
    PrinterState,
)
from emulators.printers.random64 import Rng
from emulators.printers.usage_rates import (
    HOUR,
    UsageModel,
    next_office_time,
    next_power_change,
    power_on_since,
)


def advance(state: PrinterState, now: float, offset: float = 0.0, simulate: bool = True) -> None:
    """Bring a printer from its last update to ``now``: jobs, scheduled fixes, power cycles."""
    if now < state.last_time:
        return
    usage: UsageModel = state.model.usage
    rng = Rng(state.rng)
    if simulate and state.next_job == math.inf:
        state.next_job = usage.next_arrival(state.last_time, rng, offset)
    while True:
        event_at = state.events[0][0] if state.events else math.inf
        job_at = state.next_job if simulate else math.inf
        at = min(event_at, job_at)
        if at > now:
            break
        if event_at <= job_at:
            assert state.events is not None
            _, action, arg = state.events.pop(0)
            if not state.events:
                state.events = None
            state.run_event(action, arg, at)
        else:
            if _power_check(state, at, offset):
                _run_job(state, usage, at, rng, offset)
                schedule_fixes(state, at, rng, offset)
            state.next_job = usage.next_arrival(at, rng, offset)
    _power_check(state, now, offset)
    state.last_time = now
    state.rng = rng.state
    state.next_due = min(state.events[0][0] if state.events else math.inf,
                         state.next_job if simulate else math.inf, state.next_power)


def _power_check(state: PrinterState, t: float, offset: float) -> bool:
    """Apply a power cycle if a powered period began since the last boot; False while off.
    Keeps the switched-off flag and the time of the next transition, so a printer is only looked
    at again when something can have changed."""
    mode = state.model.profile.power.switched_off
    if mode == "never":
        return True
    state.next_power = next_power_change(mode, t + offset) - offset
    since = power_on_since(mode, t + offset)
    if since is None:
        state.flags |= F_SWITCHED_OFF
        return False
    state.flags &= ~F_SWITCHED_OFF
    if since - offset > state.boot_time:
        state.reboot(since - offset)
    return True


def _run_job(state: PrinterState, usage: UsageModel, t: float, rng: Rng, offset: float) -> None:
    spec = usage.profile.usage
    if usage.scan_share and rng.chance(usage.scan_share):
        state.scan_pages(t, rng.geometric(spec.mean_job_pages), rng.chance(spec.scan_colour_fraction))
        return
    pages = rng.geometric(spec.mean_job_pages)
    colour = rng.chance(spec.colour_fraction)
    large = rng.chance(spec.a3_fraction)
    duplex = pages > 1 and rng.chance(spec.duplex_fraction)
    printed = state.print_pages(t, pages, colour, large, duplex)
    if not printed:
        return
    if rng.chance(1.0 - (1.0 - usage.jam_per_page) ** printed):
        location = list(JAM_LOCATIONS)[rng.randint(0, len(JAM_LOCATIONS) - 1)]
        alert = state.raise_alert("jam", 1, state.busy_until, location)
        mean = spec.jam_clear_minutes * 60
    elif rng.chance(usage.fuser_per_page * printed):
        alert = state.raise_alert("fuser_fault", 1, state.busy_until)
        mean = spec.field_service_hours * HOUR
    else:
        return
    state.schedule(_office(alert.raised_at + rng.exponential(mean), offset), EVENT_CLEAR,
                   alert.index)


def schedule_fixes(state: PrinterState, t: float, rng: Rng, offset: float = 0.0) -> None:
    """Have the simulated office deal with what printing used up: empty trays and spent supplies,
    each after a delay and during working hours (jams and faults are scheduled when they occur;
    conditions set through the control API stay until the API clears them)."""
    spec = state.model.profile.usage
    for position, sheets in enumerate(state.trays):
        if sheets <= 0 and not state.pending(EVENT_REFILL, position):
            delay = rng.exponential(spec.tray_refill_minutes * 60)
            state.schedule(_office(t + delay, offset), EVENT_REFILL, position)
    for position, level in enumerate(state.levels):
        if level <= 0.0 and not state.pending(EVENT_REPLACE, position):
            delay = rng.exponential(spec.supply_replace_hours * HOUR)
            state.schedule(_office(t + delay, offset), EVENT_REPLACE, position)


def _office(t: float, offset: float) -> float:
    return next_office_time(t + offset) - offset
