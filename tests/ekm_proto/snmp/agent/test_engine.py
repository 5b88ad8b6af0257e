"""The sans-IO engine: requests built by pysnmp, answers read back by pysnmp, RFC semantics checked
against the fixture tree (not against the engine's own output)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ekm_proto.snmp.agent.engine import SecurityConfig, SnmpEngine
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.snmp.message import CommunityMessage, Pdu, encode_community_message
from ekm_proto.snmp.types import NO_SUCH_INSTANCE, NO_SUCH_OBJECT, Oid, SnmpType, SnmpValue
from tests.ekm_proto.snmp import pysnmp_ref
from tests.ekm_proto.snmp.agent_setup import (
    ADDRESSES,
    BIG_COUNTER,
    LIFE_COUNT,
    SECURITY,
    SUPPLY_LEVEL,
    SYS_DESCR,
    printer_items,
)

NULL: SnmpValue = (SnmpType.NULL, None)
ITEMS = printer_items()
GET, GET_NEXT, RESPONSE, SET, TRAP, BULK, INFORM, TRAP2, REPORT = (
    0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8)
NO_SUCH_NAME, TOO_BIG, GEN_ERR, NO_ACCESS, NOT_WRITABLE = 2, 1, 5, 6, 17


def make_engine(directory: StaticDirectory, **options: int) -> SnmpEngine:
    return SnmpEngine(directory, SECURITY, **options)  # type: ignore[arg-type]


def request(tag: int, oids: Sequence[Oid], *, version: int = 1, community: bytes = b"public",
            request_id: int = 4711, non_repeaters: int = 0, max_repetitions: int = 0,
            values: list[SnmpValue] | None = None) -> bytes:
    varbinds = [(oid, values[i] if values else NULL) for i, oid in enumerate(oids)]
    return pysnmp_ref.encode_community(version, community, tag, request_id, varbinds,
                                       non_repeaters, max_repetitions)


def ask(engine: SnmpEngine, data: bytes, address: str = ADDRESSES[0]) -> pysnmp_ref.RefPdu:
    result = engine.handle(data, address, 100.0)
    assert result is not None, f"dropped: {dict(engine.stats.dropped)}"
    _version, _community, pdu = pysnmp_ref.decode_community(result[0])
    assert pdu.tag == RESPONSE
    return pdu


@pytest.fixture
def engine(directory: StaticDirectory) -> SnmpEngine:
    return make_engine(directory)


def test_get_values_and_exceptions(engine: SnmpEngine) -> None:
    missing_instance = (*SUPPLY_LEVEL, 9)
    missing_object = (1, 3, 6, 1, 2, 1, 99, 1, 0)
    pdu = ask(engine, request(GET, [SYS_DESCR, missing_instance, missing_object, BIG_COUNTER]))
    assert (pdu.request_id, pdu.error_status, pdu.error_index) == (4711, 0, 0)
    assert pdu.varbinds == [(SYS_DESCR, (SnmpType.OCTET_STRING, b"HP Color LaserJet M577")),
                            (missing_instance, NO_SUCH_INSTANCE), (missing_object, NO_SUCH_OBJECT),
                            (BIG_COUNTER, (SnmpType.COUNTER64, 2**40 + 5))]
    assert engine.stats.answered == 1 and engine.stats.received == 1


def test_getnext_walk_is_lexicographic_and_ends(engine: SnmpEngine) -> None:
    oid: Oid = (1, 3)
    seen = []
    for _ in range(len(ITEMS) + 2):
        pdu = ask(engine, request(GET_NEXT, [oid]))
        (oid, value), = pdu.varbinds
        if value[0] == SnmpType.END_OF_MIB_VIEW:
            break
        seen.append((oid, value))
    assert seen == ITEMS
    assert oid == ITEMS[-1][0]  # endOfMibView names the OID asked about


def test_getnext_from_between_and_before_everything(engine: SnmpEngine) -> None:
    pdu = ask(engine, request(GET_NEXT, [(0, 0), (*SUPPLY_LEVEL, 1, 5), (2, 5)]))
    assert pdu.varbinds == [ITEMS[0], ITEMS[[o for o, _ in ITEMS].index((*SUPPLY_LEVEL, 2))],
                            ((2, 5), (SnmpType.END_OF_MIB_VIEW, None))]


def test_getbulk_non_repeaters_and_repeaters(engine: SnmpEngine) -> None:
    oids = [o for o, _ in ITEMS]
    pdu = ask(engine, request(BULK, [(1, 3), SYS_DESCR, LIFE_COUNT], non_repeaters=1,
                              max_repetitions=3))
    after_descr, after_life = oids.index(SYS_DESCR) + 1, oids.index(LIFE_COUNT) + 1
    expected = [ITEMS[0]]
    for step in range(3):
        expected += [ITEMS[after_descr + step], ITEMS[after_life + step]]
    assert pdu.varbinds == expected


def test_getbulk_stops_after_a_repetition_that_is_all_end_of_view(engine: SnmpEngine) -> None:
    last, before_last = ITEMS[-1][0], ITEMS[-2][0]
    pdu = ask(engine, request(BULK, [before_last, last], max_repetitions=50))
    end = (SnmpType.END_OF_MIB_VIEW, None)
    assert pdu.varbinds == [ITEMS[-1], (last, end), (last, end), (last, end)]


@pytest.mark.parametrize(("non_repeaters", "max_repetitions", "count"), [
    (-5, 2, 2), (0, -1, 0), (9, 9, 1), (0, 0, 0), (0, 2**31 - 1, 1 + len(ITEMS)),
])
def test_getbulk_odd_counts(engine: SnmpEngine, non_repeaters: int, max_repetitions: int,
                            count: int) -> None:
    if non_repeaters < 0 or max_repetitions < 0:  # pysnmp refuses to encode them: patch ours
        data = encode_community_message(CommunityMessage(1, b"public", Pdu(
            BULK, 1, non_repeaters, max_repetitions, [((1, 3), NULL)])))
    else:
        data = request(BULK, [(1, 3)], non_repeaters=non_repeaters,
                       max_repetitions=max_repetitions)
    assert len(ask(engine, data).varbinds) == count


def test_getbulk_is_cut_to_the_size_limit() -> None:
    view = StaticMibView([((1, 3, 6, 1, 9, i), (SnmpType.INTEGER, i)) for i in range(200)])
    directory = StaticDirectory({ADDRESSES[0]: StaticAgent(view, b"\x80\x00\x00\x01\x04bulk")})
    small = make_engine(directory, max_message_size=484)
    full = ask(make_engine(directory), request(BULK, [(1, 3)], max_repetitions=100)).varbinds
    assert len(full) == 100
    result = small.handle(request(BULK, [(1, 3)], max_repetitions=100), ADDRESSES[0], 0.0)
    assert result is not None and len(result[0]) <= 484
    cut = pysnmp_ref.decode_community(result[0])[2].varbinds
    assert 0 < len(cut) < len(full) and cut == full[:len(cut)]


def test_getbulk_respects_the_varbind_cap(directory: StaticDirectory) -> None:
    capped = SnmpEngine(directory, SECURITY, max_bulk_varbinds=3)
    assert len(ask(capped, request(BULK, [(1, 3)], max_repetitions=100)).varbinds) == 3
    assert len(ask(capped, request(BULK, [(1, 3), (1, 3)], max_repetitions=100)).varbinds) == 3


def huge_directory() -> StaticDirectory:
    view = StaticMibView([((1, 3, 6, 1, 9, i), (SnmpType.OCTET_STRING, b"x" * 400))
                          for i in range(3)])
    return StaticDirectory({ADDRESSES[0]: StaticAgent(view, b"\x80\x00\x00\x01\x04big")})


def test_too_big_get_v2c_has_no_varbinds() -> None:
    engine = SnmpEngine(huge_directory(), SECURITY, max_message_size=600)
    pdu = ask(engine, request(GET, [(1, 3, 6, 1, 9, 0), (1, 3, 6, 1, 9, 1)]))
    assert (pdu.error_status, pdu.error_index, pdu.varbinds) == (TOO_BIG, 0, [])
    pdu = ask(engine, request(GET, [(1, 3, 6, 1, 9, 0)]))
    assert pdu.error_status == 0 and len(pdu.varbinds) == 1


def test_too_big_v1_echoes_the_request() -> None:
    engine = SnmpEngine(huge_directory(), SECURITY, max_message_size=600)
    oids = [(1, 3, 6, 1, 9, 0), (1, 3, 6, 1, 9, 1)]
    pdu = ask(engine, request(GET_NEXT, oids, version=0))
    assert (pdu.error_status, pdu.error_index) == (TOO_BIG, 0)
    assert pdu.varbinds == [(oid, NULL) for oid in oids]


def test_v1_get_missing_is_no_such_name_with_index(engine: SnmpEngine) -> None:
    oids = [SYS_DESCR, (*SUPPLY_LEVEL, 9), LIFE_COUNT]
    pdu = ask(engine, request(GET, oids, version=0))
    assert (pdu.error_status, pdu.error_index) == (NO_SUCH_NAME, 2)
    assert pdu.varbinds == [(oid, NULL) for oid in oids]


def test_v1_get_counter64_is_no_such_name(engine: SnmpEngine) -> None:
    pdu = ask(engine, request(GET, [SYS_DESCR, BIG_COUNTER], version=0))
    assert (pdu.error_status, pdu.error_index) == (NO_SUCH_NAME, 2)


def test_v1_getnext_skips_counter64(engine: SnmpEngine) -> None:
    oids = [o for o, _ in ITEMS]
    before = oids[oids.index(BIG_COUNTER) - 1]
    pdu = ask(engine, request(GET_NEXT, [before], version=0))
    assert pdu.varbinds == [ITEMS[oids.index(BIG_COUNTER) + 1]]


def test_v1_getnext_at_the_end_is_no_such_name(engine: SnmpEngine) -> None:
    pdu = ask(engine, request(GET_NEXT, [SYS_DESCR, ITEMS[-1][0]], version=0))
    assert (pdu.error_status, pdu.error_index) == (NO_SUCH_NAME, 2)


@pytest.mark.parametrize(("version", "status"), [(0, NO_SUCH_NAME), (1, NO_ACCESS)])
def test_set_with_a_read_community_is_refused(engine: SnmpEngine, version: int,
                                              status: int) -> None:
    """snmpd answers a read-only community's SET with noAccess (v1: noSuchName) at index 1."""
    values = [(SnmpType.OCTET_STRING, b"new name"), (SnmpType.INTEGER, 5)]
    pdu = ask(engine, request(SET, [SYS_DESCR, LIFE_COUNT], version=version, values=values))
    assert (pdu.error_status, pdu.error_index) == (status, 1)
    assert pdu.varbinds == [(SYS_DESCR, values[0]), (LIFE_COUNT, values[1])]


def test_second_community_and_versions(engine: SnmpEngine) -> None:
    for version in (0, 1):
        assert ask(engine, request(GET, [SYS_DESCR], version=version, community=b"monitor"))


@pytest.mark.parametrize(("data", "reason"), [
    (request(GET, [SYS_DESCR], community=b"private"), "bad-community"),
    (request(GET, [SYS_DESCR], community=b"publi"), "bad-community"),
    (request(BULK, [SYS_DESCR], max_repetitions=3).replace(b"\x02\x01\x01", b"\x02\x01\x00", 1),
     "unexpected-pdu"),  # GETBULK inside an SNMPv1 message
    (request(RESPONSE, [SYS_DESCR]), "unexpected-pdu"),
    (request(REPORT, [SYS_DESCR]), "unexpected-pdu"),
    (request(TRAP2, [SYS_DESCR]), "unexpected-pdu"),
    (request(INFORM, [SYS_DESCR]), "unexpected-pdu"),
    (b"", "truncated"), (b"\x30", "truncated"), (b"GET / HTTP/1.0\r\n\r\n", "unexpected-tag"),
    (b"\x30\x84\xff\xff\xff\xff\x02\x01\x01", "truncated"),
    (b"\x30\x03\x02\x01\x02", "bad-version"),
    (request(GET, [SYS_DESCR])[:-1], "truncated"),
    (request(GET, [SYS_DESCR]) + b"\x00", "trailing-bytes"),
])
def test_drops_are_counted_by_reason(engine: SnmpEngine, data: bytes, reason: str) -> None:
    assert engine.handle(data, ADDRESSES[0], 0.0) is None
    assert engine.stats.dropped == {reason: 1}
    assert engine.stats.answered == 0
    assert ask(engine, request(GET, [SYS_DESCR]))  # and valid traffic is still answered


def test_no_agent_at_the_address_drops(engine: SnmpEngine, directory: StaticDirectory) -> None:
    directory.agents[ADDRESSES[1]] = None
    for address in (ADDRESSES[1], "127.30.9.9"):
        assert engine.handle(request(GET, [SYS_DESCR]), address, 0.0) is None
    assert engine.stats.dropped == {"no-agent": 2}


def test_response_delay_is_returned_and_counted(view: StaticMibView) -> None:
    slow = StaticDirectory({ADDRESSES[0]: StaticAgent(view, b"\x80\x00\x00\x01\x04slow",
                                                      delay=0.75)})
    engine = SnmpEngine(slow, SECURITY)
    result = engine.handle(request(GET, [SYS_DESCR]), ADDRESSES[0], 0.0)
    assert result is not None and result[1] == 0.75 and engine.stats.delayed == 1


class BrokenView:
    def __init__(self, broken: Oid, answer: SnmpValue | None = None) -> None:
        self.table = StaticMibView(ITEMS)
        self.broken = broken
        self.answer = answer

    def get(self, oid: Oid) -> SnmpValue:
        if oid == self.broken:
            if self.answer is not None:
                return self.answer
            raise RuntimeError("the printer model tripped")
        return self.table.get(oid)

    def get_next(self, oid: Oid) -> tuple[Oid, SnmpValue] | None:
        found = self.table.get_next(oid)
        if found is not None and found[0] == self.broken:
            if self.answer is not None:
                return found[0], self.answer
            raise RuntimeError("the printer model tripped")
        return found


@pytest.mark.parametrize("answer", [None, (SnmpType.COUNTER32, -1), (SnmpType.INTEGER, "7"),
                                    (0x47, 1)])
@pytest.mark.parametrize("tag", [GET, GET_NEXT, BULK])
def test_a_broken_view_gives_gen_err(answer: SnmpValue | None, tag: int) -> None:
    view = BrokenView(LIFE_COUNT, answer)
    engine = SnmpEngine(StaticDirectory({ADDRESSES[0]: StaticAgent(view, b"\x80\x00\x00\x01\x04x")}),
                        SECURITY)
    oids = [o for o, _ in ITEMS]
    ask_for = LIFE_COUNT if tag == GET else oids[oids.index(LIFE_COUNT) - 1]
    pdu = ask(engine, request(tag, [SYS_DESCR, ask_for], max_repetitions=3))
    assert (pdu.error_status, pdu.error_index) == (GEN_ERR, 2)
    assert engine.stats.view_errors == 1


def test_a_view_that_does_not_advance_cannot_hang_v1() -> None:
    class Stuck:
        def get(self, oid: Oid) -> SnmpValue:
            return NO_SUCH_OBJECT

        def get_next(self, oid: Oid) -> tuple[Oid, SnmpValue]:
            return (1, 3, 6), (SnmpType.COUNTER64, 1)

    engine = SnmpEngine(StaticDirectory({ADDRESSES[0]: StaticAgent(Stuck(), b"\x80\x00\x00\x01\x04s")}),
                        SECURITY)
    pdu = ask(engine, request(GET_NEXT, [(1, 3, 6)], version=0))
    assert pdu.error_status == GEN_ERR
    pdu = ask(engine, request(BULK, [(1, 3, 6)], max_repetitions=10**6))
    assert len(pdu.varbinds) <= engine.max_bulk_varbinds


def test_engine_rejects_impossible_configuration(directory: StaticDirectory) -> None:
    from ekm_proto.snmp.usm import UsmUser
    from protolab.errors import ConfigurationError

    with pytest.raises(ConfigurationError):
        SnmpEngine(directory, max_message_size=100)
    with pytest.raises(ConfigurationError):
        SnmpEngine(directory, SecurityConfig(users=[UsmUser("a"), UsmUser("a")]))


class RecordingLogger:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str, dict[str, object]]] = []

    def debug(self, event: str, **fields: object) -> None:
        self.lines.append(("debug", event, fields))

    def warning(self, event: str, **fields: object) -> None:
        self.lines.append(("warning", event, fields))


def test_drops_are_logged_at_debug_level_with_a_rate_limit_per_reason(
        directory: StaticDirectory) -> None:
    from ekm_proto.snmp.stats import DropLog

    logger = RecordingLogger()
    engine = SnmpEngine(directory, SECURITY, drop_log=DropLog(interval=1.0, logger=logger))
    for _ in range(50):
        engine.handle(b"\x04\x00", ADDRESSES[2], 10.0, ("127.0.0.1", 5555))
    engine.handle(b"\x30\x03\x02\x01\x07", ADDRESSES[2], 10.5)  # another reason: own budget
    engine.handle(b"\x04\x00", ADDRESSES[2], 11.0, ("127.0.0.1", 5555))  # the clock passed in
    assert engine.stats.dropped == {"unexpected-tag": 51, "bad-version": 1}
    assert [(line[2]["reason"], line[2]["suppressed"]) for line in logger.lines] == [
        ("unexpected-tag", 0), ("bad-version", 0), ("unexpected-tag", 49)]
    level, event, fields = logger.lines[0]
    assert (level, event, fields["address"], fields["peer"]) == (
        "debug", "snmp.drop", ADDRESSES[2], ("127.0.0.1", 5555))
    assert "expected tag 0x30" in str(fields["detail"])


class GeneralPathOnly(SnmpEngine):
    def _fast_v2c(self, data: bytes, address: str) -> None:
        return None


OIDS_NEAR_THE_TREE = st.one_of(
    st.sampled_from([oid for oid, _ in ITEMS]),
    st.sampled_from([oid for oid, _ in ITEMS]).map(lambda oid: (*oid, 1)),
    st.sampled_from([oid for oid, _ in ITEMS]).map(lambda oid: oid[:-1]),
    st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=12).map(lambda arcs: (1, 3, *arcs)))


_FAST_DIRECTORY = StaticDirectory({ADDRESSES[0]: StaticAgent(StaticMibView(ITEMS),
                                                              b"\x80\x00\x00\x01\x04fast")})
_COMMUNITIES = SecurityConfig(communities=["public", "monitor"])
FAST_AND_GENERAL = (SnmpEngine(_FAST_DIRECTORY, _COMMUNITIES),
                    GeneralPathOnly(_FAST_DIRECTORY, _COMMUNITIES))


@settings(max_examples=300)
@given(tag=st.sampled_from([GET, GET_NEXT]), oid=OIDS_NEAR_THE_TREE,
       request_id=st.integers(-(2**31), 2**31 - 1), community=st.sampled_from([b"public",
                                                                                b"monitor",
                                                                                b"wrong"]))
def test_the_fast_path_answers_like_the_general_path(tag: int, oid: Oid, request_id: int,
                                                    community: bytes) -> None:
    fast, general = FAST_AND_GENERAL
    data = encode_community_message(CommunityMessage(1, community, Pdu(tag, request_id, 0, 0, [
        (oid, NULL)])))
    assert fast.handle(data, ADDRESSES[0], 0.0) == general.handle(data, ADDRESSES[0], 0.0)
    assert fast.stats.snapshot() == general.stats.snapshot()
