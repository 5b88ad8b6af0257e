"""Walks as a state machine: driven against the agent engine without sockets, and fed by hand."""

from __future__ import annotations

import pytest

from ekm_proto.errors import SnmpWalkError
from ekm_proto.snmp.manager.targets import RetryPolicy, Target
from ekm_proto.snmp.manager.walk import Walk
from ekm_proto.snmp.message import PduType, decode_community_message
from ekm_proto.snmp.types import END_OF_MIB_VIEW, NO_SUCH_NAME, Oid, SnmpType, VarBind
from tests.ekm_proto.snmp.agent_setup import ADDRESSES, BIG_COUNTER, printer_items
from tests.ekm_proto.snmp.manager.joined import Joined

ITEMS = printer_items()
PRINTER_MIB: Oid = (1, 3, 6, 1, 2, 1, 43)
RETRY = RetryPolicy(timeout=1.0, retries=0)


def run(joined: Joined, target: Target, walk: Walk) -> int:
    return joined.drive(target, walk)


def under(root: Oid) -> list[VarBind]:
    return [(oid, value) for oid, value in ITEMS if oid[:len(root)] == root]


@pytest.mark.parametrize(("bulk", "repetitions", "requests"), [
    (True, 2, 3), (True, 25, 1), (False, 25, 6)])
def test_walk_stops_at_the_end_of_the_subtree(joined: Joined, bulk: bool, repetitions: int,
                                              requests: int) -> None:
    walk = Walk(PRINTER_MIB, bulk=bulk, max_repetitions=repetitions)
    assert run(joined, Target.v2c(ADDRESSES[0], retry=RETRY), walk) == requests
    assert walk.rows == under(PRINTER_MIB) and len(walk.rows) == 5 and walk.done
    kind = PduType.GET_BULK if bulk else PduType.GET_NEXT
    assert {decode_community_message(data).pdu.type for data in joined.sent} == {kind}


def test_walk_to_the_end_of_the_mib(joined: Joined) -> None:
    walk = Walk((1, 3, 6, 1, 4, 1), max_repetitions=10)
    run(joined, Target.v2c(ADDRESSES[1], retry=RETRY), walk)
    assert walk.rows == under((1, 3, 6, 1, 4, 1))  # then endOfMibView


def test_v1_walk_ends_at_no_such_name_and_skips_counter64(joined: Joined) -> None:
    walk = Walk((1, 3, 6, 1, 4, 1, 11), bulk=False)
    assert run(joined, Target.v1(ADDRESSES[2], retry=RETRY), walk) == 2
    assert [oid for oid, _ in walk.rows] == [(*BIG_COUNTER[:-2], 2, 0)]
    assert walk.rows[0][1][0] == SnmpType.OPAQUE


def test_walk_state_machine_by_hand() -> None:
    walk = Walk((1, 3, 6, 1, 2, 1, 1), bulk=True, max_repetitions=3, target="127.30.0.9:161")
    first = walk.next_operation()
    assert first is not None and first.pdu_type == PduType.GET_BULK
    assert first.oids == ((1, 3, 6, 1, 2, 1, 1),) and first.max_repetitions == 3
    text = (SnmpType.OCTET_STRING, b"x")
    assert walk.feed([((1, 3, 6, 1, 2, 1, 1, 1, 0), text), ((1, 3, 6, 1, 2, 1, 1, 5, 0), text)]
                     ) == [((1, 3, 6, 1, 2, 1, 1, 1, 0), text), ((1, 3, 6, 1, 2, 1, 1, 5, 0), text)]
    following = walk.next_operation()
    assert following is not None and following.oids == ((1, 3, 6, 1, 2, 1, 1, 5, 0),)
    assert walk.feed([((1, 3, 6, 1, 2, 1, 1, 6, 0), END_OF_MIB_VIEW)]) == []
    assert walk.done and walk.next_operation() is None
    ended = Walk((1, 3), bulk=False)
    ended.feed([((1, 3, 6), NO_SUCH_NAME)])
    assert ended.done and ended.rows == []


def test_an_agent_going_backwards_is_an_error_not_a_loop() -> None:
    walk = Walk((1, 3, 6, 1), bulk=False, target="127.30.0.9:161")
    walk.feed([((1, 3, 6, 1, 5), (SnmpType.INTEGER, 1))])
    with pytest.raises(SnmpWalkError, match=r"127\.30\.0\.9:161.*1\.3\.6\.1\.5.*not increasing"):
        walk.feed([((1, 3, 6, 1, 5), (SnmpType.INTEGER, 1))])
