"""The trap port without sockets: who is heard (monitored addresses with the agent's own
credentials), what is answered (Informs, SNMPv3 discovery) and what is counted and ignored."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ekm_proto.monitor.credentials import community, v3_user
from ekm_proto.monitor.trap_intake import PRINTER_V2_ALERT, TrapIntake
from ekm_proto.snmp.manager.events import Response
from ekm_proto.snmp.manager.session import SnmpManager
from ekm_proto.snmp.manager.targets import RetryPolicy, Target, get, inform
from ekm_proto.snmp.message import PduType, decode_community_message
from ekm_proto.snmp.notifications import (
    COLD_START,
    LINK_DOWN,
    Notification,
    encode_notification,
    encode_trap_v1,
    to_v1,
)
from ekm_proto.snmp.types import SnmpType, parse_oid
from ekm_proto.snmp.usm import UserKeys, UsmUser

PRINTER = ("127.60.0.5", 161)
STRANGER = ("127.60.9.9", 161)
CODE = parse_oid("1.3.6.1.2.1.43.18.1.1.7.1.3")
ALERT = Notification(PRINTER_V2_ALERT, 4200, [(CODE, (SnmpType.INTEGER, 501))])
USER = v3_user("monitor", auth_key="auth-pass-1", priv_key="priv-pass-1")


def intake() -> TrapIntake:
    return TrapIntake([community("public", 1), community("legacy", 2, "v1"), USER],
                      lambda address: address == PRINTER[0], engine_id=bytes.fromhex(
                          "80000000050102030405060708"), boots=3)


def test_a_monitored_printer_s_traps_ask_for_a_read_in_every_version() -> None:
    traps = intake()
    v2c = traps.receive(encode_notification(b"public", ALERT), PRINTER, 1.0)
    v1 = traps.receive(encode_trap_v1(b"legacy", to_v1(Notification(LINK_DOWN, 5),
                                                        bytes([127, 60, 0, 5]))), PRINTER, 2.0)
    assert (v2c.device, v2c.reply, v1.device, v1.reply) == (PRINTER[0], None, PRINTER[0], None)
    stats = traps.stats
    assert (stats.received, stats.accepted, stats.ignored) == (2, 2, 0)
    assert stats.kinds == {"printerV2Alert": 1, "linkDown": 1}


def test_a_v2c_inform_is_answered_with_its_response() -> None:
    traps = intake()
    outcome = traps.receive(encode_notification(b"public", Notification(COLD_START, 9),
                                                inform=True, request_id=4711), PRINTER, 1.0)
    assert outcome.device == PRINTER[0] and outcome.reply is not None
    answer = decode_community_message(outcome.reply)
    assert (answer.pdu.type, answer.pdu.request_id, answer.community) == (
        PduType.RESPONSE, 4711, b"public")
    assert answer.pdu.varbinds == Notification(COLD_START, 9).v2_varbinds()
    assert traps.stats.answered == 1 and traps.stats.kinds == {"coldStart": 1}


def _v3_exchange(traps: TrapIntake, user: UsmUser, sender: tuple[str, int]) -> list[object]:
    """An SNMPv3 inform from a printer's manager state machine (discovery first), joined to the
    intake without sockets; the manager's events."""
    manager = SnmpManager(first_request_id=10)
    manager.submit(Target.v3("127.0.0.1", 162, user=UserKeys(user),
                             retry=RetryPolicy(1.0, 0)), inform(ALERT.v2_varbinds()), 0.0)
    for _ in range(4):
        for data, _address, _handle in manager.datagrams_to_send():
            outcome = traps.receive(data, sender, 1.0)
            if outcome.reply is not None:
                manager.receive(outcome.reply, ("127.0.0.1", 162), 1.0)
    manager.handle_timer(5.0)
    events: list[object] = []
    while (event := manager.next_event()) is not None:
        events.append(event)
    return events


def test_a_v3_inform_is_discovered_answered_and_read() -> None:
    traps = intake()
    assert USER.user is not None
    [event] = _v3_exchange(traps, USER.user, PRINTER)
    assert isinstance(event, Response) and event.varbinds == ALERT.v2_varbinds()
    assert traps.stats.accepted == 1 and traps.stats.answered == 1
    assert traps.stats.bad_credentials == 0 and traps.stats.malformed == 0


def test_strangers_and_wrong_credentials_are_counted_and_ignored() -> None:
    traps = intake()
    stranger = traps.receive(encode_notification(b"public", ALERT, inform=True), STRANGER, 1.0)
    wrong = traps.receive(encode_notification(b"private", ALERT, inform=True), PRINTER, 1.0)
    v1_as_v2c = traps.receive(encode_trap_v1(b"nobody", to_v1(ALERT, bytes(4))), PRINTER, 1.0)
    [failed] = _v3_exchange(traps, UsmUser("monitor", "SHA", "not-the-key", "AES",
                                           "priv-pass-1"), PRINTER)
    [unknown] = _v3_exchange(traps, UsmUser("mallory", "SHA", "auth-pass-1"), PRINTER)
    assert not isinstance(failed, Response) and not isinstance(unknown, Response)
    assert all(o.device is None and o.reply is None for o in (stranger, wrong, v1_as_v2c))
    assert (stranger.ignored, wrong.ignored) == ("unknown-source", "bad-credentials")
    stats = traps.stats
    assert (stats.unknown_source, stats.bad_credentials, stats.accepted) == (1, 4, 0)


def test_requests_to_the_trap_port_get_silence() -> None:
    traps = intake()
    manager = SnmpManager()
    manager.submit(Target.v2c("127.0.0.1", 162, "public"), get(parse_oid("1.3.6.1.2.1.1.1.0")),
                   0.0)
    [(data, _address, _handle)] = manager.datagrams_to_send()
    outcome = traps.receive(data, PRINTER, 1.0)
    assert (outcome.reply, outcome.device, outcome.ignored) == (None, None,
                                                                "not-a-notification")
    assert traps.stats.malformed == 1


@settings(max_examples=300)
@given(st.binary(max_size=200), st.booleans())
def test_whatever_arrives_is_counted_never_raised(data: bytes, known: bool) -> None:
    traps = intake()
    outcome = traps.receive(data, PRINTER if known else STRANGER, 1.0)
    assert outcome.device is None and outcome.reply is None
    assert traps.stats.received == 1 and traps.stats.ignored == 1
