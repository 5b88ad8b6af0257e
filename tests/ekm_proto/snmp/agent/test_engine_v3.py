"""SNMPv3 through the sans-IO engine: every user type end to end, and every way a request can fail.

Requests come from ekm_proto.snmp.manager.encoding (which shares the key code with the agent); what makes
these tests independent is that answers are read with pysnmp's decoder and privacy is undone with
pysnmp's ciphers where it matters. The byte-for-byte comparison with snmpd lives in
test_snmp_agent_snmpd.py, real managers in test_snmp_server.py."""

from __future__ import annotations

import pytest
from pyasn1.type import univ

from ekm_proto.snmp import usm
from ekm_proto.snmp.agent.engine import SnmpEngine
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory
from ekm_proto.snmp.manager.encoding import decode_v3_response, encode_v3_request
from ekm_proto.snmp.message import Pdu
from ekm_proto.snmp.types import SnmpType, SnmpValue
from tests.ekm_proto.snmp import pysnmp_ref
from tests.ekm_proto.snmp.agent_setup import ADDRESSES, PASSWORDS, SECURITY, SYS_DESCR, USERS, engine_id

NULL: SnmpValue = (SnmpType.NULL, None)
DESCR: SnmpValue = (SnmpType.OCTET_STRING, b"HP Color LaserJet M577")
NOW = 1000.0  # fixture agents started at 0 with boots 3: engine time 1000
USM = (1, 3, 6, 1, 6, 3, 15, 1, 1)


@pytest.fixture
def engine(directory: StaticDirectory) -> SnmpEngine:
    for agent in directory.agents.values():
        assert isinstance(agent, StaticAgent)
        agent.started = 0.0
    return SnmpEngine(directory, SECURITY)


def keys(name: str) -> usm.UserKeys:
    return usm.UserKeys(next(u for u in USERS if u.name == name))


def get(user: usm.UserKeys | None, *, engine: bytes = engine_id(1), boots: int = 3,
        time: int = 1000, msg_id: int = 77, **options: object) -> bytes:
    pdu = Pdu(0xA0, 555, 0, 0, [(SYS_DESCR, NULL)])
    return encode_v3_request(user, engine, boots, time, pdu, msg_id=msg_id, salt=99,
                             **options)  # type: ignore[arg-type]


def report_of(data: bytes) -> tuple[pysnmp_ref.RefV3, pysnmp_ref.RefPdu]:
    ref = pysnmp_ref.decode_v3(data)
    assert ref.scoped is not None, "reports are never encrypted"
    return ref, pysnmp_ref.read_scoped(ref.scoped)[2]


def handle(engine: SnmpEngine, data: bytes, address: str = ADDRESSES[0]) -> bytes | None:
    result = engine.handle(data, address, NOW)
    return None if result is None else result[0]


def test_discovery_reports_engine_id_boots_and_time(engine: SnmpEngine) -> None:
    answer = handle(engine, get(None, engine=b"", boots=0, time=0, user_name=b""))
    assert answer is not None
    ref, pdu = report_of(answer)
    assert (ref.msg_id, ref.flags, ref.max_size) == (77, 0, 65507)
    assert bytes(ref.usm["msgAuthoritativeEngineId"]) == engine_id(1)
    assert (int(ref.usm["msgAuthoritativeEngineBoots"]),
            int(ref.usm["msgAuthoritativeEngineTime"])) == (3, 1000)
    assert (pdu.tag, pdu.request_id) == (0xA8, 555)
    assert pdu.varbinds == [((*USM, 4, 0), (SnmpType.COUNTER32, 1))]
    assert engine.stats.reports == 1 and engine.stats.usm == {"unknownEngineIDs": 1}


@pytest.mark.parametrize("name", [u.name for u in USERS])
def test_every_user_gets_an_answer(engine: SnmpEngine, name: str) -> None:
    user = keys(name)
    data = get(user if user.auth else None, user_name=user.name)
    answer = handle(engine, data)
    assert answer is not None, dict(engine.stats.dropped)
    ref = pysnmp_ref.decode_v3(answer)
    assert ref.flags == user.level  # same security level back, reportable flag cleared
    if user.priv is usm.AES128:
        from pysnmp.proto.secmod.rfc3826.priv import aes as pysnmp_aes

        assert user.auth is not None
        priv_key = usm.localize_key(usm.password_to_key(PASSWORDS["priv"].encode(), user.auth),
                                    engine_id(1), user.auth)[:16]
        plaintext = bytes(pysnmp_aes.Aes().decrypt_data(
            univ.OctetString(priv_key), (3, 1000, univ.OctetString(
                bytes(ref.usm["msgPrivacyParameters"]))), univ.OctetString(ref.encrypted)))
        context_engine, _context, pdu = pysnmp_ref.decode_scoped(plaintext)
    else:
        _message, _params, scoped = decode_v3_response(answer, user if user.auth else None)
        context_engine, pdu = scoped.context_engine_id, pysnmp_ref.RefPdu(
            scoped.pdu.type, scoped.pdu.request_id, scoped.pdu.error_status,
            scoped.pdu.error_index, scoped.pdu.varbinds)
    assert context_engine == engine_id(1)
    assert (pdu.tag, pdu.request_id, pdu.error_status) == (0xA2, 555, 0)
    assert pdu.varbinds == [(SYS_DESCR, DESCR)]


def test_each_agent_has_its_own_engine_id(engine: SnmpEngine) -> None:
    answer = handle(engine, get(keys("sha-aes")), ADDRESSES[1])
    assert answer is not None
    ref, pdu = report_of(answer)
    assert bytes(ref.usm["msgAuthoritativeEngineId"]) == engine_id(2)
    assert pdu.varbinds[0][0] == (*USM, 4, 0) and pdu.request_id == 0


@pytest.mark.parametrize(("boots", "time", "agent_boots"), [
    (3, 1151, 3), (3, 849, 3), (2, 1000, 3), (4, 1000, 3), (2**31 - 1, 1000, 2**31 - 1)])
def test_not_in_time_window_is_an_authenticated_report(directory: StaticDirectory, boots: int,
                                                       time: int, agent_boots: int) -> None:
    agent = directory.agents[ADDRESSES[0]]
    assert isinstance(agent, StaticAgent)
    agent.started, agent.boots = 0.0, agent_boots
    engine = SnmpEngine(directory, SECURITY)
    user = keys("sha256-aes")
    answer = handle(engine, get(user, boots=boots, time=time))
    assert answer is not None
    message, params, scoped = decode_v3_response(answer, user)  # verifies the MAC
    assert message.flags == 0x01 and (params.boots, params.time) == (agent_boots, 1000)
    assert scoped.pdu.type == 0xA8 and scoped.pdu.request_id == 0
    assert scoped.pdu.varbinds[0][0] == (*USM, 2, 0)


def test_in_time_window_edges_are_answered(engine: SnmpEngine) -> None:
    for time in (850, 1150):
        answer = handle(engine, get(keys("sha-aes"), time=time))
        assert answer is not None and pysnmp_ref.decode_v3(answer).flags == 0x03


@pytest.mark.parametrize(("data", "usm_stat", "request_id"), [
    (lambda: get(keys("sha-aes"), user_name=b"mallory"), 3, 0),
    (lambda: get(None, user_name=b"mallory"), 3, 555),
    (lambda: get(None, user_name=b"sha-aes", level=1), 5, 555),  # auth flag, no MAC
    (lambda: get(usm.UserKeys(usm.UsmUser("sha-aes", "SHA", "wrong-password", "AES",
                                          PASSWORDS["priv"]))), 5, 0),
    (lambda: get(usm.UserKeys(usm.UsmUser("sha-aes", "SHA-256", PASSWORDS["auth"], "AES",
                                          PASSWORDS["priv"]))), 5, 0),  # MAC of another length
    (lambda: get(usm.UserKeys(usm.UsmUser("sha512-auth", "SHA-512", PASSWORDS["auth"], "AES",
                                          PASSWORDS["priv"]))), 1, 0),
    (lambda: get(keys("sha-aes"), user_name=b"nobody-noauth", level=1), 1, 555),
])
def test_usm_failures_are_reported_like_snmpd(engine: SnmpEngine, data: object, usm_stat: int,
                                              request_id: int) -> None:
    answer = handle(engine, data())  # type: ignore[operator]
    assert answer is not None
    ref, pdu = report_of(answer)
    assert ref.flags == 0 and bytes(ref.usm["msgAuthenticationParameters"]) == b""
    assert (pdu.tag, pdu.request_id) == (0xA8, request_id)
    assert pdu.varbinds == [((*USM, usm_stat, 0), (SnmpType.COUNTER32, 1))]


def test_no_report_without_the_reportable_flag(engine: SnmpEngine) -> None:
    assert handle(engine, get(keys("sha-aes"), user_name=b"mallory", reportable=False)) is None
    assert engine.stats.usm == {"unknownUserNames": 1}
    assert engine.stats.dropped == {"not-reportable": 1} and engine.stats.reports == 0


def test_bad_privacy_parameters_are_a_decryption_error(engine: SnmpEngine) -> None:
    from ekm_proto.snmp.ber import encode_tlv
    from ekm_proto.snmp.message import v3_envelope

    user = keys("sha-aes")
    hmac_key, _cipher = user.localized(engine_id(1))
    security, mac_offset = usm.encode_usm_parameters(engine_id(1), 3, 1000, b"sha-aes", 12,
                                                     b"7octets")  # RFC 3826 wants 8
    whole, start = v3_envelope(77, 65507, 0x07, security, encode_tlv(0x04, b"\x11" * 40))
    signed = bytearray(whole)
    signed[start + mac_offset:start + mac_offset + 12] = hmac_key.mac(signed)
    answer = handle(engine, bytes(signed))
    assert answer is not None
    _ref, pdu = report_of(answer)
    assert pdu.varbinds == [((*USM, 6, 0), (SnmpType.COUNTER32, 1))]


def test_wrong_privacy_key_is_dropped_like_snmpd(engine: SnmpEngine) -> None:
    wrong = usm.UserKeys(usm.UsmUser("sha-aes", "SHA", PASSWORDS["auth"], "AES", "not-the-key"))
    assert handle(engine, get(wrong)) is None
    assert engine.stats.dropped == {"undecryptable": 1}


@pytest.mark.parametrize(("options", "reason"), [
    ({"context_name": b"printer"}, "unknown-context"),
    ({"level": 0x02}, "invalid-msg"),
])
def test_other_v3_drops(engine: SnmpEngine, options: dict[str, object], reason: str) -> None:
    user = keys("sha-aes") if "level" not in options else None
    assert handle(engine, get(user, user_name=b"sha-aes", **options)) is None  # type: ignore[arg-type]
    assert engine.stats.dropped == {reason: 1}


def test_unknown_security_model_is_dropped(engine: SnmpEngine) -> None:
    data = bytearray(get(None, user_name=b"nobody-noauth"))
    at = data.index(bytes.fromhex("040104020103"))  # msgFlags, msgSecurityModel 3
    data[at + 5] = 2
    assert handle(engine, bytes(data)) is None
    assert engine.stats.dropped == {"unknown-security-model": 1}


def test_context_engine_id_is_echoed_not_checked(engine: SnmpEngine) -> None:
    user = keys("sha512-auth")
    answer = handle(engine, get(user, context_engine_id=b"\x80\x00\x00\x02\x01\x09"))
    assert answer is not None
    _message, _params, scoped = decode_v3_response(answer, user)
    assert scoped.context_engine_id == b"\x80\x00\x00\x02\x01\x09"
    assert scoped.pdu.varbinds == [(SYS_DESCR, DESCR)]


def test_msg_max_size_of_the_manager_limits_getbulk(engine: SnmpEngine) -> None:
    user = keys("sha-aes")
    pdu = Pdu(0xA5, 9, 0, 200, [((1, 3), NULL)])
    data = encode_v3_request(user, engine_id(1), 3, 1000, pdu, msg_id=5, max_size=484)
    answer = handle(engine, data)
    assert answer is not None and len(answer) <= 484
    _message, _params, scoped = decode_v3_response(answer, user)
    assert 0 < len(scoped.pdu.varbinds) < 14


def test_a_report_pdu_sent_to_the_agent_is_dropped(engine: SnmpEngine) -> None:
    user = keys("sha-aes")
    pdu = Pdu(0xA8, 9, 0, 0, [(SYS_DESCR, NULL)])
    assert handle(engine, encode_v3_request(user, engine_id(1), 3, 1000, pdu, msg_id=5)) is None
    assert engine.stats.dropped == {"unexpected-pdu": 1}


class GeneralV3Only(SnmpEngine):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.usm._fast_scoped = lambda *_args: None  # type: ignore[method-assign]


@pytest.mark.parametrize("tag", [0xA0, 0xA1])
@pytest.mark.parametrize("user_name", ["sha-aes", "md5-des", "sha256-aes"])
def test_the_v3_fast_path_answers_like_the_general_path(directory: StaticDirectory, tag: int,
                                                        user_name: str) -> None:
    from tests.ekm_proto.snmp.agent_setup import printer_items

    for agent in directory.agents.values():
        assert isinstance(agent, StaticAgent)
        agent.started = 0.0
    fast, general = SnmpEngine(directory, SECURITY), GeneralV3Only(directory, SECURITY)
    user = keys(user_name)
    oids = [oid for oid, _ in printer_items()]
    for oid in [*oids, (1, 3, 6, 1, 2, 1, 1, 9, 0), (2, 5), (1, 3)]:
        pdu = Pdu(tag, 321, 0, 0, [(oid, NULL)])
        data = encode_v3_request(user, engine_id(1), 3, 1000, pdu, msg_id=8, salt=5)
        answers = [engine.handle(data, ADDRESSES[0], NOW) for engine in (fast, general)]
        assert answers[0] is not None and answers[1] is not None
        read = [decode_v3_response(answer[0], user) for answer in answers]  # type: ignore[index]
        assert read[0][2] == read[1][2]  # the same scopedPDU
        assert (read[0][0].msg_id, read[0][0].flags) == (read[1][0].msg_id, read[1][0].flags)
        assert read[0][1][:4] == read[1][1][:4]  # engine id, boots, time, user
        assert len(read[0][1].auth_parameters) == len(read[1][1].auth_parameters)
    assert fast.stats.snapshot() == general.stats.snapshot()
