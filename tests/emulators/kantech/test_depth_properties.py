"""Any valid records, any clock, any sequence of people in front of the controller: the model
never crashes or hangs, its deadlines only move forward, and every event it queues fits the
wire."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulators.kantech.errors import ModelInputError
from kantech_proto.codes import ManualOperation
from kantech_proto.controller_status import STATUS_SIZE
from kantech_proto.messages import StatusQuery, StatusReply
from kantech_proto.records_access import AccessLevel, CardFlag, CardKt400, Day, Interval, ScheduleKt400
from kantech_proto.records_actions import ActionFlag, ActionScheduler, InputGroup, RelayGroup
from kantech_proto.records_elevator import (
    FloorAssignation,
    FloorButton,
    FloorDefinition,
    FloorFlag,
    FloorGroup,
    FloorGroupMask,
)
from kantech_proto.records_hardware import (
    DoorFlag,
    DoorRecord,
    InputRecord,
    NormalState,
    OutputFlag,
    OutputRecord,
    OutputTrigger,
    ReaderMode,
    RelayFlag,
    RelayRecord,
    Supervision,
)
from kantech_proto.records_system import GlobalSystem, SystemOption

from .loaded_controller import ask, events, loaded

small = st.integers(0, 6)
minute = st.integers(0, 1439)


def flags(kind):
    return st.builds(lambda bits: kind(bits), st.integers(0, sum(int(m) for m in kind)))


schedules = st.builds(
    lambda sid, spans: ScheduleKt400(sid, tuple(Interval(a, b, Day(d), h) for a, b, d, h in spans)),
    st.integers(3, 6), st.lists(st.tuples(minute, st.integers(0, 1440), st.integers(0, 0x7F),
                                          st.integers(0, 255)), max_size=3))
doors = st.builds(
    lambda door, fl, u, sched, pin, dis, lock, mode, exit_reader: DoorRecord(
        door, fl, unlock_time=u, open_time=60, pre_alarm_time=0, unlock_schedule=sched,
        pin_schedule=pin, disabled_schedule=dis, interlock_door=lock, reader_mode=mode,
        exit_reader=exit_reader),
    st.integers(1, 4), flags(DoorFlag), st.integers(0, 20), small, small, small, small,
    st.sampled_from(ReaderMode), st.integers(0, 2))
relays = st.builds(RelayRecord, st.integers(1, 6), flags(RelayFlag), small, st.integers(0, 9),
                   st.integers(0, 18))
inputs = st.builds(InputRecord, st.integers(1, 18), st.sampled_from(NormalState),
                   st.sampled_from(Supervision), st.just(0), st.just(50), st.just(0),
                   st.just(30), small, small, st.integers(0, 6), st.integers(0, 18))
outputs = st.builds(OutputRecord, st.integers(1, 18), flags(OutputFlag), small,
                    st.integers(0, 9), st.just(0), st.just(0), flags(OutputTrigger), small, small)


@st.composite
def actions(draw):
    operation = draw(st.sampled_from(ManualOperation))
    bits = draw(st.integers(0, 3))
    if operation > 3 and draw(st.booleans()):
        bits |= ActionFlag.GROUPS
    if operation in (4, 5, 6) and draw(st.booleans()):
        bits |= ActionFlag.OUTPUTS
    return ActionScheduler(draw(st.integers(1, 4)), operation, draw(st.integers(1, 20)),
                           draw(st.integers(1, 255)), draw(st.integers(0, 30)), draw(minute),
                           draw(st.integers(0, 240)), draw(minute), Day(draw(st.integers(0, 0x7F))),
                           draw(st.integers(0, 255)), None, None, draw(small), ActionFlag(bits))


elevator = st.one_of(
    st.builds(FloorGroup, st.integers(1, 3), st.lists(small, max_size=8).map(tuple)),
    st.builds(FloorGroupMask, st.integers(1, 3), st.frozensets(st.integers(1, 256))),
    st.builds(FloorDefinition, st.integers(1, 9), st.just(0), small, flags(FloorFlag)),
    st.builds(FloorAssignation, st.lists(st.builds(FloorButton, st.integers(0, 9)),
                                         max_size=9).map(tuple)),
    st.builds(RelayGroup, st.integers(1, 20), st.frozensets(st.integers(1, 16))),
    st.builds(InputGroup, st.integers(1, 20), st.frozensets(st.integers(1, 16))))
cards = st.builds(lambda n, pin, fl, level, group: CardKt400(
    n, pin=pin, flags=CardFlag.VALID | CardFlag(fl), access_levels=(level,) * 4, floor_group=group),
    st.integers(1, 5), st.sampled_from(["", "1234", "9999"]), st.integers(0, 0x3FE),
    st.integers(0, 2), st.integers(0, 3))
system = st.builds(lambda opts, reset, attempts: GlobalSystem(
    1, options=SystemOption(opts), passback_reset=reset, pin_attempts=attempts),
    st.integers(0, 0x1F), minute, st.integers(0, 3))
records = st.lists(st.one_of(schedules, doors, relays, inputs, outputs, actions(), elevator,
                             cards, system, st.builds(AccessLevel, st.integers(2, 3),
                                                      st.lists(small, max_size=4).map(tuple))),
                   max_size=25)
#: what every generated site has, so the random parts meet schedules that start and end
BASE = (ScheduleKt400(1, (Interval(8 * 60, 18 * 60, Day(0x7F)),)),
        ScheduleKt400(2, (Interval(22 * 60, 6 * 60, Day(0x7F)),)),
        AccessLevel(1, (1, 1, 1, 1)), AccessLevel(2, (2, 1, 2, 1)),
        CardKt400(1, pin="1234", access_levels=(1, 1, 1, 1), floor_group=1))
steps = st.lists(st.tuples(st.sampled_from(["card", "pin", "open", "close", "rex", "input",
                                            "line", "reboot", "wait"]),
                           st.integers(1, 4), st.integers(1, 5), st.integers(0, 7200)),
                 max_size=25)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=records, start=st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2030, 12, 31)),
       steps=steps)
def test_any_site_and_any_day_run_without_surprises(records, start, steps):
    ctl = loaded(*BASE, *records, when=start.replace(microsecond=0))
    now = 0.0
    for action, door, value, wait in steps:
        now += wait
        try:
            if action == "card":
                ctl.present_card(door, value, "1234" if value % 2 else None, now=now,
                                 exit=value == 3, floor=value if value < 3 else None)
            elif action == "pin":
                ctl.present_pin(door, "1234", now=now)
            elif action in ("open", "close", "rex"):
                getattr(ctl, {"rex": "press_rex"}.get(action, f"{action}_door"))(door, now)
            elif action == "input":
                ctl.set_input(door * 4, bool(value % 2), now)
            elif action == "line":
                ctl.set_input_line(door * 4 + 1, ("normal", "open", "short")[value % 3], now)
            elif action == "reboot":
                ctl.reboot(now)
            else:
                ctl.advance(now)
        except ModelInputError:
            pass  # something the hardware cannot do: refused, named
        ctl.advance(now)  # everything due by now has happened ...
        due = ctl.next_deadline()
        assert due is None or due > now  # ... and what is left lies ahead
        events(ctl)
    ctl.advance(now + 2 * 86400)  # two more days of schedules and actions
    events(ctl)
    due = ctl.next_deadline()
    assert due is None or due > now + 2 * 86400
    reply = ask(ctl, StatusQuery(), now + 2 * 86400)
    assert isinstance(reply, StatusReply) and len(reply.status.encode()) == STATUS_SIZE
