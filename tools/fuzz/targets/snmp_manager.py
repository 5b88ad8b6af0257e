"""Fuzz target: what a manager reads from the network (a monitor parses untrusted bytes too).

Every input is handed to a manager with requests outstanding to four targets (SNMPv2c, SNMPv1,
SNMPv3 authPriv with a known engine, SNMPv3 waiting for discovery) as if it came from each of
them. ``receive`` and ``handle_timer`` must never raise; every result must be for a request that
was made, at most once, and a Response's varbinds must be (OID, value) pairs. The custom mutator
decrypts SNMPv3 seeds, edits their PDU (type, ids, error status, report OIDs, varbinds) and
re-encrypts and re-signs it, so mutations get past HMAC and AES into the manager's logic.
"""

from __future__ import annotations

import random

from ekm_proto.errors import SnmpDecodeError
from ekm_proto.snmp.agent.engine import SecurityConfig, SnmpEngine
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.snmp.manager.encoding import decode_v3_response, encode_v3_request
from ekm_proto.snmp.manager.events import Response
from ekm_proto.snmp.manager.reports import REPORTS
from ekm_proto.snmp.manager.session import SnmpManager
from ekm_proto.snmp.manager.targets import RetryPolicy, Target, get, get_bulk, get_next
from ekm_proto.snmp.message import Pdu, PduType
from ekm_proto.snmp.types import SnmpType, VarBind
from ekm_proto.snmp.usm import UserKeys, UsmUser
from protolab.byte_edits import mutate_bytes

ENGINE_ID = bytes.fromhex("800007e5806d616e61676572")
NOW = 1000.0
USER = UsmUser("fuzz-manager", "SHA", "fuzz-auth-key", "AES", "fuzz-priv-key")
KEYS = UserKeys(USER)
RETRY = RetryPolicy(timeout=1.0, retries=1)
TARGETS = (Target.v2c("127.30.0.1", 161, retry=RETRY), Target.v1("127.30.0.2", 161, retry=RETRY),
           Target.v3("127.30.0.3", 161, user=KEYS, retry=RETRY),
           Target.v3("127.30.0.4", 161, user=KEYS, retry=RETRY))
SYS_DESCR = (1, 3, 6, 1, 2, 1, 1, 1, 0)
ITEMS = [(SYS_DESCR, (SnmpType.OCTET_STRING, b"fuzz printer")),
         ((1, 3, 6, 1, 2, 1, 1, 3, 0), (SnmpType.TIMETICKS, 12345)),
         ((1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4, 1, 1), (SnmpType.COUNTER32, 99)),
         ((1, 3, 6, 1, 4, 1, 11, 1), (SnmpType.COUNTER64, 2**40))]
OPERATIONS = (get(SYS_DESCR, (1, 3, 6, 1, 2, 1, 1, 9, 0)), get_next(SYS_DESCR, (1, 3, 6, 1, 4)),
              get_bulk([(1, 3, 6, 1, 2, 1, 43)], 0, 5), get(SYS_DESCR))


def _manager() -> tuple[SnmpManager, dict[int, Target]]:
    manager = SnmpManager(first_request_id=1000)
    manager.engines.learn(TARGETS[2].address, ENGINE_ID, 1, int(NOW), NOW)
    handles = {manager.submit(target, operation, NOW): target
               for target, operation in zip(TARGETS, OPERATIONS, strict=True)}
    return manager, handles


def TestOneInput(data: bytes) -> None:
    manager, handles = _manager()
    manager.datagrams_to_send()
    for target in TARGETS:
        manager.receive(data, target.address, NOW)
    manager.handle_timer(NOW + 10.0)  # whatever is left: retransmitted, then failed
    manager.handle_timer(NOW + 30.0)
    seen: set[int] = set()
    while (event := manager.next_event()) is not None:
        assert event.handle in handles and event.handle not in seen, "one result per request"
        seen.add(event.handle)
        if isinstance(event, Response):
            assert all(len(vb) == 2 and isinstance(vb[0], tuple) for vb in event.varbinds)
    assert seen == set(handles), "every request ends, answered or failed"
    assert manager.in_flight == 0


def seeds() -> list[bytes]:
    """What an agent engine answers to each first request: a v2c Response, a v1 noSuchName
    error, an authPriv Response and the discovery Report."""
    agents = {target.host: StaticAgent(StaticMibView(ITEMS), ENGINE_ID, boots=1, started=0.0)
              for target in TARGETS}
    engine = SnmpEngine(StaticDirectory(dict(agents)), SecurityConfig(["public"], [USER]))
    manager, _handles = _manager()
    answers = []
    for data, (host, _port), _handle in manager.datagrams_to_send():
        result = engine.handle(data, host, NOW)
        if result is not None:
            answers.append(result[0])
    return answers


def mutate(data: bytes, seed: int) -> bytes:
    """A decrypted SNMPv3 answer's PDU edited, then encrypted and signed again."""
    rng = random.Random(seed)
    try:
        message, params, scoped = decode_v3_response(data, KEYS)
    except SnmpDecodeError:
        return mutate_bytes(data, rng)
    pdu = scoped.pdu
    varbinds: list[VarBind] = list(pdu.varbinds)
    choice = rng.randrange(5)
    kind, request_id = pdu.type, pdu.request_id
    status, index = pdu.error_status, pdu.error_index
    if choice == 0:
        kind = PduType.REPORT
        varbinds = [(rng.choice(list(REPORTS)), (SnmpType.COUNTER32, rng.randrange(5)))]
    elif choice == 1:
        status, index = rng.randrange(20), rng.randrange(-1, 4)
    elif choice == 2:
        request_id = rng.choice((0, request_id + 1, rng.randrange(2**31)))
    elif choice == 3 and varbinds:
        ended: list[VarBind] = [(vb[0], (SnmpType.END_OF_MIB_VIEW, None)) for vb in varbinds]
        varbinds = rng.choice(([], varbinds * 2, varbinds[1:], ended))
    else:
        kind = rng.choice([t for t in PduType if t != PduType.TRAP_V1])  # v1 traps: no encoder
    boots, engine_time = params.boots + rng.choice((0, 0, 1)), params.time + rng.randrange(-300, 300)
    return encode_v3_request(KEYS, params.engine_id, boots, max(0, engine_time),
                             Pdu(kind, request_id, status, index, varbinds),
                             msg_id=message.msg_id, reportable=False,
                             salt=rng.getrandbits(64))
