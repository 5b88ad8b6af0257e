"""The SNMPv3 fast path (UsmProcessor.fast and its one-OID answers) answers and counts exactly as
the general path does, for any request a manager may send: every user, GET/GETNEXT/GETBULK, any
msgID, salt and time in or out of the window. The general engine here has both fast stages
switched off; answers are compared after verifying and decrypting them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ekm_proto.snmp import usm
from ekm_proto.snmp.agent.engine import SnmpEngine
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.snmp.manager.encoding import decode_v3_response, encode_v3_request
from ekm_proto.snmp.message import Pdu
from ekm_proto.snmp.types import NULL, Oid
from tests.ekm_proto.snmp.agent_setup import ADDRESSES, SECURITY, USERS, engine_id, printer_items

NOW = 1000.0  # agents started at 0 with boots 3: engine time 1000
VIEW = StaticMibView(printer_items())
OIDS: list[Oid] = [oid for oid, _ in printer_items()] + [(1, 3), (1, 3, 6, 1, 2, 1, 1, 9, 0),
                                                         (2, 5)]
KEYS = {user.name: usm.UserKeys(user) for user in USERS if user.auth is not None}


def _engine(general: bool) -> tuple[SnmpEngine, StaticAgent]:
    agent = StaticAgent(VIEW, engine_id(1), boots=3)
    agent.started = 0.0
    engine = SnmpEngine(StaticDirectory({ADDRESSES[0]: agent}), SECURITY)
    if general:
        engine.usm.fast = lambda *_args: None  # type: ignore[method-assign]
        engine.usm._fast_scoped = lambda *_args: None  # type: ignore[method-assign]
    return engine, agent


FAST, FAST_AGENT = _engine(False)
GENERAL, GENERAL_AGENT = _engine(True)


@settings(max_examples=400, deadline=None)
@given(user_name=st.sampled_from(sorted(KEYS)), tag=st.sampled_from([0xA0, 0xA1, 0xA5]),
       oid=st.sampled_from(OIDS), msg_id=st.integers(0, 2**31 - 1),
       request_id=st.integers(-2**31, 2**31 - 1), salt=st.integers(0, 2**64 - 1),
       time_offset=st.sampled_from([0, -150, 150, -151, 151, 5]),
       boots=st.sampled_from([3, 3, 3, 2]), reportable=st.booleans())
def test_fast_and_general_paths_agree(user_name: str, tag: int, oid: Oid, msg_id: int,
                                      request_id: int, salt: int, time_offset: int, boots: int,
                                      reportable: bool) -> None:
    user = KEYS[user_name]
    pdu = Pdu(tag, request_id, 0, 3 if tag == 0xA5 else 0, [(oid, NULL)])
    data = encode_v3_request(user, engine_id(1), boots, int(NOW) + time_offset, pdu,
                             msg_id=msg_id, salt=salt, reportable=reportable)
    fast = FAST.handle(data, ADDRESSES[0], NOW)
    general = GENERAL.handle(data, ADDRESSES[0], NOW)
    assert (fast is None) == (general is None)
    if fast is not None and general is not None:
        (message, params, scoped), (g_message, g_params, g_scoped) = (
            decode_v3_response(answer, user) for answer in (fast[0], general[0]))
        assert scoped == g_scoped
        assert (message.msg_id, message.flags, message.max_size) == (
            g_message.msg_id, g_message.flags, g_message.max_size)
        assert params[:4] == g_params[:4]  # engine ID, boots, time, user name
        assert len(params.auth_parameters) == len(g_params.auth_parameters)
        assert len(params.priv_parameters) == len(g_params.priv_parameters)
        assert fast[1] == general[1]
    assert FAST.stats.snapshot() == GENERAL.stats.snapshot()
    assert list(FAST_AGENT.counters) == list(GENERAL_AGENT.counters)


def test_the_fast_path_takes_what_it_is_for() -> None:
    """Without this the comparison above could pass with a fast path that never answers."""
    engine, _agent = _engine(False)
    for user_name in ("sha-aes", "sha224-aes", "sha256-aes"):
        get, bulk = (encode_v3_request(KEYS[user_name], engine_id(1), 3, 1000,
                                       Pdu(tag, 1, 0, 3 if tag == 0xA5 else 0,
                                           [(OIDS[0], NULL)]), msg_id=1, salt=1)
                     for tag in (0xA0, 0xA5))
        assert isinstance(engine.usm.fast(get, ADDRESSES[0], NOW), tuple)  # answered
        assert isinstance(engine.usm.fast(bulk, ADDRESSES[0], NOW), bytes)  # decrypted only
    auth_only = encode_v3_request(KEYS["sha512-auth"], engine_id(1), 3, 1000,
                                  Pdu(0xA0, 1, 0, 0, [(OIDS[0], NULL)]), msg_id=1)
    assert engine.usm.fast(auth_only, ADDRESSES[0], NOW) is None
