"""Column walks (several columns side by side, as snmptable reads a table) as a state machine:
joined to the agent engine without sockets, and fed by hand."""

from __future__ import annotations

import pytest

from ekm_proto.errors import SnmpWalkError
from ekm_proto.snmp.agent.engine import SnmpEngine
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.snmp.manager.columns import ColumnWalk
from ekm_proto.snmp.manager.session import SnmpManager
from ekm_proto.snmp.manager.targets import Target
from ekm_proto.snmp.types import END_OF_MIB_VIEW, Oid, SnmpType, SnmpValue
from tests.ekm_proto.snmp.agent_setup import SECURITY
from tests.ekm_proto.snmp.manager.joined import Joined

SUPPLIES: Oid = (1, 3, 6, 1, 2, 1, 43, 11, 1, 1)
COLORANTS: Oid = (1, 3, 6, 1, 2, 1, 43, 12, 1, 1)
DESCRIPTION, LEVEL, COLORANT = (*SUPPLIES, 6), (*SUPPLIES, 9), (*COLORANTS, 4)


def tree() -> list[tuple[Oid, SnmpValue]]:
    items: list[tuple[Oid, SnmpValue]] = [((1, 3, 6, 1, 2, 1, 1, 5, 0),
                                           (SnmpType.OCTET_STRING, b"printer"))]
    for supply in range(1, 8):
        items.append(((*SUPPLIES, 5, 1, supply), (SnmpType.INTEGER, 3)))
        items.append(((*DESCRIPTION, 1, supply), (SnmpType.OCTET_STRING, b"supply %d" % supply)))
        items.append(((*LEVEL, 1, supply), (SnmpType.INTEGER, 10 * supply)))
    for colorant, name in enumerate((b"black", b"cyan", b"magenta"), start=1):
        items.append(((*COLORANT, 1, colorant), (SnmpType.OCTET_STRING, name)))
    return sorted(items)


def read(walk: ColumnWalk, target: Target) -> int:
    joined = Joined(SnmpManager(first_request_id=1), SnmpEngine(StaticDirectory(
        {target.host: StaticAgent(StaticMibView(tree()), b"\x80\x00\x00\x01\x01")}), SECURITY))
    requests = joined.drive(target, walk)
    stats = joined.manager.stats
    assert stats.sent_bytes == sum(map(len, joined.sent))
    assert stats.received_bytes == sum(map(len, joined.answers))
    return requests


@pytest.mark.parametrize(("version", "repetitions", "requests"), [
    ("v2c", 10, 1), ("v2c", 3, 3), ("v1", 10, 8)])
def test_columns_of_two_tables_are_read_side_by_side(version: str, repetitions: int,
                                                     requests: int) -> None:
    target = (Target.v2c if version == "v2c" else Target.v1)("127.30.0.1", 161, "public")
    walk = ColumnWalk([DESCRIPTION, LEVEL, COLORANT], bulk=version == "v2c",
                      max_repetitions=repetitions)
    assert read(walk, target) == requests
    assert walk.done
    assert walk.cells[LEVEL] == {(1, s): (SnmpType.INTEGER, 10 * s) for s in range(1, 8)}
    assert walk.cells[COLORANT][(1, 2)] == (SnmpType.OCTET_STRING, b"cyan")
    assert len(walk.cells[DESCRIPTION]) == 7 and len(walk.cells[COLORANT]) == 3
    assert walk.rows()[(1, 3)] == {6: (SnmpType.OCTET_STRING, b"supply 3"),
                                   4: (SnmpType.OCTET_STRING, b"magenta"),
                                   9: (SnmpType.INTEGER, 30)}


def test_a_column_that_does_not_move_forward_is_an_error() -> None:
    walk = ColumnWalk([LEVEL], target="127.30.0.1:161")
    walk.feed([((*LEVEL, 1, 2), (SnmpType.INTEGER, 1))])
    with pytest.raises(SnmpWalkError, match="not increasing"):
        walk.feed([((*LEVEL, 1, 1), (SnmpType.INTEGER, 1))])


def test_end_of_view_and_empty_answers_end_the_walk() -> None:
    walk = ColumnWalk([LEVEL, COLORANT])
    walk.feed([((*LEVEL, 1, 1), (SnmpType.INTEGER, 5)), ((9, 9), END_OF_MIB_VIEW)])
    assert not walk.done and walk.next_operation() is not None
    walk.feed([])
    assert walk.done and walk.next_operation() is None
