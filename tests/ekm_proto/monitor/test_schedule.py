"""Loop schedules as pure functions: working hours in the agent's time zone, intervals in and out
of them, a long pass followed at once, a long night rest cut short by the morning."""

from __future__ import annotations

import datetime

import pytest

from ekm_proto.durations import display_date, format_duration, format_span
from ekm_proto.monitor.schedule import LoopSchedule, WorkingHours, parse_clock_time, zone
from protolab.errors import ConfigurationError

LONDON = zone("Europe/London")


def at(text: str, tz: datetime.tzinfo = datetime.UTC) -> float:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=tz).timestamp()


def test_working_hours_follow_the_agents_time_zone() -> None:
    hours = WorkingHours(tz=LONDON)
    assert hours.is_working(at("2026-07-06T08:30", LONDON))  # Monday, summer time
    assert hours.is_working(at("2026-07-06T07:30"))  # 07:30 UTC is 08:30 in London
    assert not hours.is_working(at("2026-07-06T06:30"))  # 07:30 in London
    assert not hours.is_working(at("2026-07-04T10:00", LONDON))  # Saturday
    assert not hours.is_working(at("2026-07-06T18:00", LONDON))  # end is exclusive
    assert hours.next_start(at("2026-07-03T18:30", LONDON)) == at("2026-07-06T08:00", LONDON)
    assert hours.day_of(at("2026-07-06T23:30")) == "2026-07-07"  # 00:30 in London


@pytest.mark.parametrize(("loop", "working", "off"), [
    ("alert", 3, 15), ("identity", 10, 60), ("meter", 20, 240), ("consumables", 60, 240),
    ("tray", 480, 480)])
def test_the_overviews_default_intervals(loop: str, working: int, off: int) -> None:
    schedule = LoopSchedule()
    assert schedule.interval(loop, at("2026-03-02T10:00")) == working * 60
    assert schedule.interval(loop, at("2026-03-02T20:00")) == off * 60
    assert schedule.interval(loop, at("2026-03-07T10:00")) == off * 60  # Saturday


def test_a_pass_longer_than_its_interval_is_followed_at_once() -> None:
    schedule = LoopSchedule()
    started = at("2026-03-02T10:00")
    assert schedule.next_pass_at("alert", started, started + 60) == started + 180
    assert schedule.next_pass_at("alert", started, started + 500) == started + 500


def test_the_morning_cuts_a_night_interval_short() -> None:
    schedule = LoopSchedule()
    started = at("2026-03-03T07:00")  # meter: 240 minutes at night would wait until 11:00
    assert schedule.next_pass_at("meter", started, started + 30) == at("2026-03-03T08:00")
    evening = at("2026-03-02T17:50")  # 17:50 + 20 min = 18:10, then night intervals
    assert schedule.next_pass_at("meter", evening, evening + 10) == at("2026-03-02T18:10")


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="08:00"):
        parse_clock_time("8h", "start")
    with pytest.raises(ConfigurationError, match="start before the end"):
        WorkingHours(start=18 * 60, end=8 * 60)
    with pytest.raises(ConfigurationError, match="IANA"):
        zone("Mars/Olympus")
    with pytest.raises(ConfigurationError, match="alert loop interval"):
        LoopSchedule(intervals={"alert": (0, 1)})


@pytest.mark.parametrize(("seconds", "text"), [
    (553, "9m 13s"), (182, "3m 2s"), (144000, "1d 16h"), (3 * 86400 + 3 * 3600 + 59, "3d 3h"),
    (2 * 86400 + 22 * 3600, "2d 22h"), (5400, "1h 30m"), (42, "42s"), (-5, "0s")])
def test_durations_as_the_overview_writes_them(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_spans_and_dates() -> None:
    assert format_span(86400) == "24 hours" and format_span(90000, long=False) == "25 hrs"
    assert format_span(600) == "10 minutes" and format_span(60, long=False) == "1 min"
    assert display_date(at("2020-07-13T14:22:43")) == "13-Jul-2020 14:22:43"
