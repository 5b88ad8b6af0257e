"""Loop intervals set by a remote command (``set interval``), kept in the monitor's database so
a restart does not quietly undo what an operator asked for from the portal.

Each is stored with the configured interval it replaced: at start, an override is applied only
while the configuration still says what it said then. Whoever changes the configuration later
(flags, the TOML file) is the newer word, and the stale override is dropped.
"""

from __future__ import annotations

import json

from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.schedule import LoopSchedule
from ekm_proto.monitor.store import MonitorStore
from protolab.logs import get_logger

_log = get_logger("monitor.intervals")
_PREFIX = "interval."

Interval = tuple[float, float]


def set_interval(store: MonitorStore, schedule: LoopSchedule, configured: Interval, loop: str,
                 interval: Interval, now: float) -> None:
    """Apply and keep ``interval`` (seconds in working hours, out of them) for ``loop``;
    ``configured`` is what the settings gave it."""
    schedule.intervals[loop] = interval
    batch = Batch("commands", now)
    batch.meta(_PREFIX + loop, json.dumps({"configured": list(configured),
                                           "set": list(interval)}))
    store.commit([batch])


def restore_intervals(store: MonitorStore, schedule: LoopSchedule) -> dict[str, Interval]:
    """The configured intervals before any override (what ``set_interval`` keeps beside each),
    after applying the overrides still valid."""
    configured = dict(schedule.intervals)
    stale = Batch("commands", 0.0)
    for loop, base in configured.items():
        text = store.meta(_PREFIX + loop)
        if text is None:
            continue
        try:
            kept = json.loads(text)
            was, interval = tuple(map(float, kept["configured"])), tuple(map(float, kept["set"]))
        except (ValueError, KeyError, TypeError):
            was, interval = (), ()
        if was == tuple(base) and len(interval) == 2 and min(interval) > 0:
            schedule.intervals[loop] = (interval[0], interval[1])
            _log.info("monitor.interval-restored", loop=loop, working=interval[0],
                      off=interval[1], configured=list(base))
        else:
            stale.add("DELETE FROM meta WHERE key = ?", _PREFIX + loop)
            _log.info("monitor.interval-dropped", loop=loop, configured=list(base),
                      reason="the configured interval changed since it was set remotely")
    if stale.statements:
        store.commit([stale])
    return configured
