"""``set interval`` from a chat survives a restart of the agent (its database is the memory), but
not a change of the configured interval made since: the configuration is then the newer word."""

from __future__ import annotations

from pathlib import Path

from ekm_proto.monitor.interval_overrides import restore_intervals, set_interval
from ekm_proto.monitor.schedule import LoopSchedule
from ekm_proto.monitor.store import MonitorStore

CONFIGURED = {"alert": (900.0, 3600.0), "identity": (86400.0, 86400.0),
              "meter": (3600.0, 14400.0), "consumables": (3600.0, 14400.0),
              "tray": (3600.0, 14400.0)}


def _start(db: Path, **changed: tuple[float, float]) -> tuple[MonitorStore, LoopSchedule,
                                                             dict[str, tuple[float, float]]]:
    """An agent's start: its store, its schedule from the configuration, the overrides applied."""
    store = MonitorStore(db)
    schedule = LoopSchedule(intervals={**CONFIGURED, **changed})
    return store, schedule, restore_intervals(store, schedule)


def test_a_remote_interval_is_kept_across_a_restart(tmp_path: Path) -> None:
    store, schedule, configured = _start(tmp_path / "monitor.db")
    assert configured == CONFIGURED and schedule.intervals == CONFIGURED
    set_interval(store, schedule, configured["alert"], "alert", (300.0, 3600.0), 1000.0)
    assert schedule.intervals["alert"] == (300.0, 3600.0)
    store.close()

    store, schedule, configured = _start(tmp_path / "monitor.db")
    assert schedule.intervals["alert"] == (300.0, 3600.0)
    assert configured["alert"] == (900.0, 3600.0), "the configuration is still known"
    assert schedule.intervals["meter"] == CONFIGURED["meter"]
    store.close()


def test_a_configuration_changed_since_wins_and_the_override_is_forgotten(
        tmp_path: Path) -> None:
    store, schedule, configured = _start(tmp_path / "monitor.db")
    set_interval(store, schedule, configured["alert"], "alert", (300.0, 3600.0), 1000.0)
    store.close()

    store, schedule, _ = _start(tmp_path / "monitor.db", alert=(600.0, 3600.0))
    assert schedule.intervals["alert"] == (600.0, 3600.0)
    store.close()
    store, schedule, _ = _start(tmp_path / "monitor.db")  # back to the old configuration
    assert schedule.intervals["alert"] == (900.0, 3600.0), "the stale override was dropped"
    assert store.meta("interval.alert") is None
    store.close()


def test_a_damaged_override_is_dropped_not_fatal(tmp_path: Path) -> None:
    store, schedule, _ = _start(tmp_path / "monitor.db")
    store.connection.execute("INSERT INTO meta (key, value) VALUES ('interval.tray', '{oops')")
    store.close()
    store, schedule, _ = _start(tmp_path / "monitor.db")
    assert schedule.intervals["tray"] == CONFIGURED["tray"]
    assert store.meta("interval.tray") is None
    store.close()
