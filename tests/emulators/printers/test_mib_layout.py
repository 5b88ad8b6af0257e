"""Walk-order properties of the shared layouts, for every profile and printers in any state."""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ekm_proto.snmp.ber import varbind_tlv
from ekm_proto.snmp.types import NO_SUCH_INSTANCE, NO_SUCH_OBJECT, Oid, SnmpValue
from emulators.printers.alerts import KINDS
from emulators.printers.catalog import compile_profile
from emulators.printers.fleet import PrinterAgent, PrinterFleet
from emulators.printers.printer_state import PrinterState
from emulators.printers.profiles import load_profiles
from protolab.clock import ManualClock
from tests.emulators.printers.fleets import MONDAY_9AM

MODELS = {name: compile_profile(p) for name, p in load_profiles().items()}
PREFIXES: list[Oid] = [(1, 3, 6, 1, 2, 1, 1), (1, 3, 6, 1, 2, 1, 2, 2, 1), (1, 3, 6, 1, 2, 1, 4, 20),
                       (1, 3, 6, 1, 2, 1, 25, 3), (1, 3, 6, 1, 2, 1, 43, 11, 1, 1),
                       (1, 3, 6, 1, 2, 1, 43, 18, 1, 1), (1, 3, 6, 1, 4, 1), (1, 3), (2,), ()]
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _agent(name: str, alerts: list[tuple[str, int]], seed: int) -> PrinterAgent:
    fleet = PrinterFleet([MODELS[name]], 1, "127.30.0.9", ManualClock(), start_epoch=MONDAY_9AM,
                         seed=seed, simulate=False)
    state = fleet.printers[0]
    for kind, group_index in alerts:
        state.raise_alert(kind, group_index, MONDAY_9AM)
    return fleet.view_of(state)


def _walk(agent: PrinterAgent) -> list[tuple[Oid, SnmpValue]]:
    out, oid = [], ()
    while (found := agent.get_next(oid)) is not None:
        out.append(found)
        oid = found[0]
    return out


printer_states = st.tuples(
    st.sampled_from(sorted(MODELS)),
    st.lists(st.tuples(st.sampled_from(sorted(KINDS)), st.integers(1, 4)), max_size=5),
    st.integers(0, 2**32))
oids = st.builds(lambda prefix, tail: prefix + tuple(tail), st.sampled_from(PREFIXES),
                 st.lists(st.integers(0, 130), max_size=6))


@SETTINGS
@given(printer_states)
def test_walk_visits_every_oid_once_in_increasing_order(case: tuple[str, list[tuple[str, int]],
                                                                    int]) -> None:
    agent = _agent(*case)
    walked = _walk(agent)
    keys = [oid for oid, _ in walked]
    assert all(a < b for a, b in pairwise(keys))  # strictly increasing
    assert len(keys) >= len(agent.state.layout) - 20  # power-save may hide a few counters
    for oid, value in walked:
        assert agent.get(oid) == value
    alerts = len(agent.state.alerts or ())
    if "prtAlertTable" in agent.state.model.profile.quirks.missing:
        alerts = 0
    assert sum(1 for k in keys if k[:10] == (1, 3, 6, 1, 2, 1, 43, 18, 1, 1)) == 9 * alerts


@SETTINGS
@given(printer_states, oids)
def test_get_next_is_the_first_served_oid_after_any_oid(
        case: tuple[str, list[tuple[str, int]], int], probe: Oid) -> None:
    agent = _agent(*case)
    walked = _walk(agent)
    keys = [oid for oid, _ in walked]
    i = bisect_right(keys, probe)
    assert agent.get_next(probe) == (walked[i] if i < len(walked) else None)
    value = agent.get(probe)
    if probe in keys:
        assert value == walked[keys.index(probe)][1]
    else:
        assert value in (NO_SUCH_OBJECT, NO_SUCH_INSTANCE)


def test_no_such_object_versus_no_such_instance() -> None:
    agent = _agent("hp-color-laserjet-m577", [], 0)
    assert agent.get((1, 3, 6, 1, 2, 1, 1, 5, 1)) == NO_SUCH_INSTANCE  # sysName exists, .1 not
    assert agent.get((1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 99)) == NO_SUCH_INSTANCE
    assert agent.get((1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 99, 1, 1)) == NO_SUCH_OBJECT
    assert agent.get((1, 3, 6, 1, 2, 1, 99)) == NO_SUCH_OBJECT
    assert agent.get(()) == NO_SUCH_OBJECT
    assert agent.get_next((3,)) is None


@pytest.mark.parametrize("name", ["hp-pagewide-785f", "lexmark-optra-t614n"])
def test_walk_is_get_next_over_and_over(name: str) -> None:
    """GETBULK asks the layout for many encoded successors at once: the same as one GETNEXT at
    a time, across constant cells, live cells, regions (alerts) and hidden counters."""
    profile = load_profiles()[name]
    state = PrinterState(compile_profile(profile), 0, "127.30.0.1", MONDAY_9AM)
    state.raise_alert("jam", 1, MONDAY_9AM)
    state.raise_alert("cover_open", 1, MONDAY_9AM)
    layout, now = state.layout, MONDAY_9AM + 3600  # asleep: some counters hide
    oids = [o for o, _ in walk_layout(layout, state, now)]
    for start in [(1, 3), *oids[::7], (1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 2)]:
        expected, oid = [], start
        while len(expected) < 25 and (found := layout.get_next(state, oid, now)) is not None:
            expected.append(varbind_tlv(found[0], *found[1]))
            oid = found[0]
        assert layout.walk_encoded(state, start, now, 25) == (expected, oid), start


def walk_layout(layout, state, now):  # type: ignore[no-untyped-def]
    oid, found = (1, 3), []
    while (item := layout.get_next(state, oid, now)) is not None:
        found.append(item)
        oid = item[0]
    return found
