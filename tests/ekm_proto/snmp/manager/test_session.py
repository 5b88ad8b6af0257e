"""The manager's state machine with no sockets: time passed in, datagrams handed to the agent
engine (the other sans-IO end) or dropped on purpose."""

from __future__ import annotations

import pytest

from ekm_proto.errors import SnmpAuthError, SnmpReportError, SnmpTimeout
from ekm_proto.snmp.agent.static_view import StaticAgent
from ekm_proto.snmp.manager.encoding import encode_community_request, encode_v3_request
from ekm_proto.snmp.manager.events import Failure, Response
from ekm_proto.snmp.manager.session import SnmpManager
from ekm_proto.snmp.manager.targets import Community, RetryPolicy, Target, get, get_bulk, get_next
from ekm_proto.snmp.message import (
    CommunityMessage,
    Pdu,
    PduType,
    ScopedPdu,
    SnmpVersion,
    decode_community_message,
    decode_v3_message,
    encode_community_message,
)
from ekm_proto.snmp.types import (
    END_OF_MIB_VIEW,
    NO_SUCH_INSTANCE,
    NO_SUCH_NAME,
    NO_SUCH_OBJECT,
    SnmpType,
)
from ekm_proto.snmp.usm import (
    NOT_IN_TIME_WINDOWS,
    UserKeys,
    UsmParameters,
    UsmUser,
    decode_usm_parameters,
)
from protolab.errors import ConfigurationError
from tests.ekm_proto.snmp.agent_setup import (
    ADDRESSES,
    BIG_COUNTER,
    LIFE_COUNT,
    PASSWORDS,
    SYS_DESCR,
    USERS,
    engine_id,
)
from tests.ekm_proto.snmp.manager.joined import Joined

HOST = ADDRESSES[0]
RETRY = RetryPolicy(timeout=1.0, retries=2, backoff=2.0, max_timeout=8.0)
SHA_AES = UserKeys(USERS[0])
MISSING = (1, 3, 6, 1, 2, 1, 1, 9, 0)


def v2c(host: str = HOST, retry: RetryPolicy = RETRY, community: str = "public") -> Target:
    return Target.v2c(host, 161, community, retry=retry)


def response_to(data: bytes, varbinds: list[tuple[tuple[int, ...], tuple[SnmpType, object]]]
                ) -> bytes:
    """The answer an agent would give to a v2c request (built here, not by the engine)."""
    request = decode_community_message(data)
    return encode_community_message(CommunityMessage(request.version, request.community, Pdu(
        PduType.RESPONSE, request.pdu.request_id, 0, 0, varbinds)))


def test_retries_back_off_then_fail_naming_the_target() -> None:
    manager = SnmpManager(first_request_id=1)
    manager.submit(v2c(), get(SYS_DESCR), now=100.0)
    first = manager.datagrams_to_send()
    assert [t.address for t in first] == [(HOST, 161)]
    assert manager.next_deadline() == 101.0
    manager.handle_timer(100.99)
    assert manager.datagrams_to_send() == []
    manager.handle_timer(101.0)
    again = manager.datagrams_to_send()
    assert [t.data for t in again] == [first[0].data]  # same request, same id
    assert manager.next_deadline() == 103.0  # waited 1 s, now 2 s
    manager.handle_timer(103.0)
    assert len(manager.datagrams_to_send()) == 1 and manager.next_deadline() == 107.0
    manager.handle_timer(106.9)
    assert manager.next_event() is None
    manager.handle_timer(107.0)
    event = manager.next_event()
    assert isinstance(event, Failure) and isinstance(event.error, SnmpTimeout)
    assert event.error.target == f"{HOST}:161"
    assert f"{HOST}:161 (SNMPv2c): no answer to GET after 3 attempt(s) over 7.0 s" in str(
        event.error)
    assert manager.next_deadline() is None and manager.in_flight == 0
    assert (manager.stats.sent, manager.stats.retransmitted, manager.stats.timeouts) == (3, 2, 1)


def test_backoff_is_capped() -> None:
    assert RetryPolicy(timeout=1.0, retries=5, backoff=3.0, max_timeout=10.0).schedule() == (
        1.0, 3.0, 9.0, 10.0, 10.0, 10.0)
    with pytest.raises(ConfigurationError, match="max_timeout >= timeout"):
        RetryPolicy(timeout=5.0, max_timeout=2.0)


def test_answers_match_by_id_and_address_and_duplicates_are_ignored() -> None:
    manager = SnmpManager(first_request_id=7)
    one = manager.submit(v2c(ADDRESSES[0]), get(SYS_DESCR), 0.0)
    two = manager.submit(v2c(ADDRESSES[1]), get(LIFE_COUNT), 0.0)
    first, second = manager.datagrams_to_send()
    answer_two = response_to(second.data, [(LIFE_COUNT, (SnmpType.COUNTER32, 5))])
    manager.receive(answer_two, (ADDRESSES[0], 161), 0.1)  # right id, wrong address
    assert manager.next_event() is None and manager.stats.unmatched == 1
    manager.receive(answer_two, (ADDRESSES[1], 161), 0.2)
    manager.receive(answer_two, (ADDRESSES[1], 161), 0.3)  # duplicate
    manager.receive(response_to(first.data, [(SYS_DESCR, (SnmpType.OCTET_STRING, b"x"))]),
                    (ADDRESSES[0], 161), 0.4)
    events = [manager.next_event(), manager.next_event()]
    assert [(e.handle, type(e)) for e in events if e] == [(two, Response), (one, Response)]
    assert isinstance(events[0], Response) and events[0].varbinds == [
        (LIFE_COUNT, (SnmpType.COUNTER32, 5))]
    assert manager.stats.unmatched == 2 and manager.in_flight == 0


def test_an_answer_to_an_earlier_attempt_completes_the_request_and_late_ones_are_ignored() -> None:
    manager = SnmpManager(first_request_id=50)
    manager.submit(v2c(), get(SYS_DESCR), 0.0)
    sent = manager.datagrams_to_send()[0].data
    manager.handle_timer(1.0)  # retransmitted
    assert len(manager.datagrams_to_send()) == 1
    answer = response_to(sent, [(SYS_DESCR, (SnmpType.OCTET_STRING, b"late but fine"))])
    manager.receive(answer, (HOST, 161), 1.5)
    event = manager.next_event()
    assert isinstance(event, Response) and event.varbinds[0][1][1] == b"late but fine"
    manager.handle_timer(50.0)  # nothing left to retransmit or fail
    assert manager.datagrams_to_send() == [] and manager.next_event() is None
    manager.receive(answer, (HOST, 161), 51.0)  # the answer to the retransmission, very late
    assert manager.next_event() is None and manager.stats.unmatched == 1


def test_answers_that_cannot_answer_the_request_are_ignored() -> None:
    manager = SnmpManager(first_request_id=1)
    manager.submit(v2c(), get(SYS_DESCR, LIFE_COUNT), 0.0)
    sent = manager.datagrams_to_send()[0].data
    text = (SnmpType.OCTET_STRING, b"x")
    for wrong in ([(SYS_DESCR, text)], [(SYS_DESCR, text), (MISSING, text)]):  # count, names
        manager.receive(response_to(sent, wrong), (HOST, 161), 0.1)
    assert manager.next_event() is None and manager.stats.malformed == 2
    manager.receive(response_to(sent, [(SYS_DESCR, text), (LIFE_COUNT, text)]), (HOST, 161), 0.2)
    assert isinstance(manager.next_event(), Response)


def test_timed_out_requests_ignore_their_late_answers() -> None:
    manager = SnmpManager(first_request_id=1)
    manager.submit(v2c(retry=RetryPolicy(timeout=0.5, retries=0)), get(SYS_DESCR), 0.0)
    sent = manager.datagrams_to_send()[0].data
    manager.handle_timer(0.5)
    assert isinstance(manager.next_event(), Failure)
    manager.receive(response_to(sent, [(SYS_DESCR, (SnmpType.OCTET_STRING, b"x"))]),
                    (HOST, 161), 0.6)
    assert manager.next_event() is None and manager.stats.unmatched == 1


def test_request_ids_wrap_and_skip_ids_in_use() -> None:
    manager = SnmpManager(first_request_id=0x7FFFFFFE)
    for _ in range(3):
        manager.submit(v2c(), get(SYS_DESCR), 0.0)
    ids = [decode_community_message(t.data).pdu.request_id for t in manager.datagrams_to_send()]
    assert ids == [0x7FFFFFFE, 0x7FFFFFFF, 1]


def test_a_wrong_community_is_answered_by_nobody(joined: Joined) -> None:
    joined.manager.submit(v2c(community="privat", retry=RetryPolicy(0.2, 1)), get(SYS_DESCR), 0)
    joined.deliver(0.0)
    joined.manager.handle_timer(0.2)
    joined.deliver(0.2)
    joined.manager.handle_timer(0.59)
    assert joined.events() == []
    joined.manager.handle_timer(0.61)  # 0.2 s, then 0.4 s
    (event,) = joined.events()
    assert isinstance(event, Failure) and isinstance(event.error, SnmpTimeout)
    assert "wrong community" in str(event.error) and joined.engine.stats.dropped[
        "bad-community"] == 2


@pytest.mark.parametrize("version", [SnmpVersion.V1, SnmpVersion.V2C])
def test_exception_values_come_back_as_values(joined: Joined, version: SnmpVersion) -> None:
    target = Target(HOST, 161, Community(b"public", version))
    instance = (*SYS_DESCR[:-1], 7)
    joined.manager.submit(target, get(SYS_DESCR, MISSING, instance, LIFE_COUNT), 0.0)
    joined.settle(0.0)
    (event,) = joined.events()
    assert isinstance(event, Response) and event.error_status == 0
    names = [name for name, _ in event.varbinds]
    assert names == [SYS_DESCR, MISSING, instance, LIFE_COUNT]
    values = [value for _, value in event.varbinds]
    if version == SnmpVersion.V1:  # the agent refuses one varbind per answer; re-sent without
        assert values[1:3] == [NO_SUCH_NAME, NO_SUCH_NAME] and len(joined.sent) == 3
    else:
        assert values[1:3] == [NO_SUCH_OBJECT, NO_SUCH_INSTANCE] and len(joined.sent) == 1
    assert values[0] == (SnmpType.OCTET_STRING, b"HP Color LaserJet M577")
    assert values[3] == (SnmpType.COUNTER32, 123_456)


def test_v1_getnext_past_the_end_is_end_of_mib_view(joined: Joined) -> None:
    joined.manager.submit(Target.v1(HOST, 161, retry=RETRY), get_next(BIG_COUNTER, (1, 3)), 0)
    joined.settle(0.0)
    (event,) = joined.events()
    assert isinstance(event, Response)
    after_counter64 = (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 2, 0)  # an Opaque, v1 can carry it
    assert event.varbinds[0][0] == after_counter64
    assert event.varbinds[1] == ((1, 3, 6, 1, 2, 1, 1, 1, 0),
                                 (SnmpType.OCTET_STRING, b"HP Color LaserJet M577"))
    joined.manager.submit(Target.v1(HOST, 161, retry=RETRY), get_next(after_counter64), 0)
    joined.settle(0.0)
    (end,) = joined.events()
    assert isinstance(end, Response) and end.varbinds == [(after_counter64, END_OF_MIB_VIEW)]


def test_getbulk(joined: Joined) -> None:
    joined.manager.submit(v2c(), get_bulk([SYS_DESCR, (1, 3, 6, 1, 2, 1, 43)], 1, 3), 0.0)
    joined.settle(0.0)
    (event,) = joined.events()
    assert isinstance(event, Response)
    assert [name[-3:] for name, _ in event.varbinds] == [(1, 2, 0), (4, 1, 1), (9, 1, 1),
                                                          (9, 1, 2)]


# ---------------------------------------------------------------------------------- SNMPv3

def v3(user: UserKeys = SHA_AES, host: str = HOST) -> Target:
    return Target.v3(host, 161, user=user, retry=RETRY)


def _usm_of(data: bytes) -> tuple[int, UsmParameters]:
    message = decode_v3_message(data)
    start = message.security_parameters_start
    end = start + len(message.security_parameters)
    return message.flags, decode_usm_parameters(data, start, end)


def _agent(joined: Joined) -> StaticAgent:
    agent = joined.engine.directory.lookup(HOST)
    assert isinstance(agent, StaticAgent)
    return agent


def test_discovery_then_cached_engine_id_boots_and_time(joined: Joined) -> None:
    manager = joined.manager
    manager.submit(v3(), get(SYS_DESCR), 10.0)
    joined.settle(10.0)
    (event,) = joined.events()
    assert isinstance(event, Response)
    assert event.varbinds == [(SYS_DESCR, (SnmpType.OCTET_STRING, b"HP Color LaserJet M577"))]
    probe, request = joined.sent
    flags, params = _usm_of(probe)
    assert (flags, params.engine_id, params.user_name) == (0x04, b"", b"")  # RFC 3414 4
    probe_pdu = decode_v3_message(probe).data
    assert isinstance(probe_pdu, ScopedPdu) and probe_pdu.pdu.varbinds == []
    flags, params = _usm_of(request)
    assert (flags, params.engine_id, params.boots, params.time) == (0x07, engine_id(1), 3, 0)
    known = manager.engines.get((HOST, 161))
    assert known is not None and (known.engine_id, known.boots) == (engine_id(1), 3)
    manager.submit(v3(), get(LIFE_COUNT), 70.0)  # cached: no discovery, the clock estimated
    joined.settle(70.0)
    assert len(joined.sent) == 3 and _usm_of(joined.sent[2])[1].time == 60
    (event,) = joined.events()
    assert isinstance(event, Response) and event.varbinds[0][1] == (SnmpType.COUNTER32, 123_456)
    assert manager.stats.discoveries == 1


def test_requests_waiting_for_one_discovery_share_it(joined: Joined) -> None:
    handles = [joined.manager.submit(v3(), get(SYS_DESCR), 0.0) for _ in range(3)]
    assert len(joined.manager.datagrams_to_send()) == 1  # one probe for the three
    assert joined.manager.in_flight == 3
    joined.manager.handle_timer(1.0)  # the probe is retransmitted like any request
    joined.settle(1.0)
    assert sorted(e.handle for e in joined.events() if isinstance(e, Response)) == handles


def test_discovery_that_times_out_fails_every_waiting_request() -> None:
    manager = SnmpManager(first_request_id=1)
    target = Target.v3(HOST, 161, user=SHA_AES, retry=RetryPolicy(timeout=0.5, retries=0))
    manager.submit(target, get(SYS_DESCR), 0.0)
    manager.submit(target, get(LIFE_COUNT), 0.0)
    manager.handle_timer(0.5)
    errors = [manager.next_event(), manager.next_event()]
    assert all(isinstance(e, Failure) and isinstance(e.error, SnmpTimeout) for e in errors)
    assert "SNMPv3 engine discovery" in str(errors[0].error)  # type: ignore[union-attr]


def test_not_in_time_window_resynchronises_once(joined: Joined) -> None:
    agent = _agent(joined)
    agent.started = 0.0
    joined.manager.engines.learn((HOST, 161), engine_id(1), 3, 0, now=1000.0)  # 1000 s behind
    joined.manager.submit(v3(), get(SYS_DESCR), 1000.0)
    joined.settle(1000.0)
    (event,) = joined.events()
    assert isinstance(event, Response) and event.error_status == 0
    assert joined.engine.stats.usm["notInTimeWindows"] == 1 and len(joined.sent) == 2
    assert _usm_of(joined.answers[0])[0] & 0x01  # the report was authenticated
    known = joined.manager.engines.get((HOST, 161))
    assert known is not None and known.time_at(1000.0) == 1000


def test_an_unauthenticated_time_report_does_not_move_the_clock(joined: Joined) -> None:
    joined.manager.engines.learn((HOST, 161), engine_id(1), 3, 0, now=0.0)
    joined.manager.submit(v3(), get(SYS_DESCR), 0.0)
    (request,) = joined.manager.datagrams_to_send()
    msg_id = decode_v3_message(request.data).msg_id
    forged = encode_v3_request(None, engine_id(1), 9, 99999, Pdu(PduType.REPORT, 0, 0, 0, [
        (NOT_IN_TIME_WINDOWS, (SnmpType.COUNTER32, 1))]), msg_id=msg_id,
                               user_name=b"sha-aes", reportable=False)
    joined.manager.receive(forged, (HOST, 161), 0.1)
    assert joined.manager.stats.unverified == 1 and joined.manager.next_event() is None
    known = joined.manager.engines.get((HOST, 161))
    assert known is not None and (known.boots, known.time) == (3, 0)


def test_a_swapped_device_is_rediscovered(joined: Joined) -> None:
    joined.manager.engines.learn((HOST, 161), b"\x80\x00\x00\x0b\x04old-device", 8, 5000, 0.0)
    joined.manager.submit(v3(), get(SYS_DESCR), 0.0)
    joined.settle(0.0)
    (event,) = joined.events()
    assert isinstance(event, Response)
    assert joined.engine.stats.usm["unknownEngineIDs"] == 1
    known = joined.manager.engines.get((HOST, 161))
    assert known is not None and known.engine_id == engine_id(1)


@pytest.mark.parametrize(("user", "report", "oid_arc"), [
    (UsmUser("nobody-here", "SHA", PASSWORDS["auth"], "AES", PASSWORDS["priv"]),
     "unknownUserNames", 3),
    (UsmUser("sha-aes", "SHA", "not-the-password", "AES", PASSWORDS["priv"]), "wrongDigests", 5),
    (UsmUser("sha512-auth", "SHA-512", PASSWORDS["auth"], "AES", PASSWORDS["priv"]),
     "unsupportedSecLevels", 1),
])
def test_refused_credentials_are_a_typed_error_naming_target_and_report(
        joined: Joined, user: UsmUser, report: str, oid_arc: int) -> None:
    joined.manager.submit(v3(UserKeys(user)), get(SYS_DESCR), 0.0)
    joined.settle(0.0)
    (event,) = joined.events()
    assert isinstance(event, Failure) and isinstance(event.error, SnmpAuthError)
    error = event.error
    assert (error.target, error.report, error.report_oid) == (
        f"{HOST}:161", report, (1, 3, 6, 1, 6, 3, 15, 1, 1, oid_arc, 0))
    assert f"usmStats{report[0].upper()}{report[1:]}" in str(error)
    assert f"user {user.name!r}" in str(error)


def test_answers_that_fail_verification_are_dropped_and_the_real_one_counts(
        joined: Joined) -> None:
    manager = joined.manager
    manager.submit(v3(), get(SYS_DESCR), 0.0)
    joined.deliver(0.0)  # discovery
    (request,) = manager.datagrams_to_send()
    genuine = joined.engine.handle(request.data, HOST, 0.0)
    assert genuine is not None
    tampered = bytearray(genuine[0])
    tampered[-1] ^= 0x01  # inside the encrypted scopedPDU: the MAC no longer matches
    manager.receive(bytes(tampered), (HOST, 161), 0.0)
    unauthenticated = encode_v3_request(None, engine_id(1), 3, 0, Pdu(
        PduType.RESPONSE, 1, 0, 0, [(SYS_DESCR, (SnmpType.OCTET_STRING, b"spoofed"))]),
        msg_id=decode_v3_message(request.data).msg_id, user_name=b"sha-aes", reportable=False)
    manager.receive(unauthenticated, (HOST, 161), 0.0)  # RFC 3412: not at the request's level
    assert manager.stats.unverified == 2 and manager.next_event() is None
    manager.receive(genuine[0], (HOST, 161), 0.0)
    event = manager.next_event()
    assert isinstance(event, Response) and event.varbinds[0][1][1] == b"HP Color LaserJet M577"


def test_other_reports_end_the_request_with_a_report_error() -> None:
    manager = SnmpManager(first_request_id=1)
    manager.engines.learn((HOST, 161), engine_id(1), 3, 0, 0.0)
    manager.submit(v3(), get(SYS_DESCR), 0.0)
    (request,) = manager.datagrams_to_send()
    report = encode_v3_request(None, engine_id(1), 3, 0, Pdu(PduType.REPORT, 0, 0, 0, [
        ((1, 3, 6, 1, 6, 3, 12, 1, 5, 0), (SnmpType.COUNTER32, 1))]),
        msg_id=decode_v3_message(request.data).msg_id, user_name=b"sha-aes", reportable=False)
    manager.receive(report, (HOST, 161), 0.0)
    event = manager.next_event()
    assert isinstance(event, Failure) and type(event.error) is SnmpReportError
    assert event.error.report == "snmpUnknownContexts" and "context" in str(event.error)


def test_garbage_is_counted_and_ignored() -> None:
    manager = SnmpManager(first_request_id=1)
    manager.submit(v2c(), get(SYS_DESCR), 0.0)
    for junk in (b"", b"\x30\x03\x02\x01\x05", b"\xff" * 40,
                 encode_community_request(Community(b"public"), Pdu(PduType.GET, 1))):
        manager.receive(junk, (HOST, 161), 0.0)
    assert manager.next_event() is None and manager.in_flight == 1
    assert manager.stats.undecodable == 3 and manager.stats.unmatched == 1  # a GET, not a reply
