"""SNMPv3 message processing with USM as an authoritative agent (RFC 3412 section 7.2, RFC 3414
section 3.2), answering failures the way net-snmp's snmpd does.

What snmpd 5.9 was observed to send (and this module reproduces):
- reports are noAuthNoPriv, except notInTimeWindows which is authNoPriv and carries a MAC;
- the report echoes msgID and msgUserName, carries the agent's engine ID, boots and time, an empty
  contextName, and the request-id when the scopedPDU was readable (0 when it was encrypted);
- a wrong privacy key decrypts to garbage: no report, the datagram is dropped;
- a user configured for authPriv asking at a lower level gets a Response with authorizationError
  (VACM ``rouser NAME priv``); a non-empty contextName is dropped; contextEngineID is echoed.
Reports only go out when the request's reportable flag is set.
"""

from __future__ import annotations

from hmac import compare_digest
from typing import Any

from ekm_proto.errors import SnmpDecodeError
from ekm_proto.snmp import usm
from ekm_proto.snmp.agent.answering import AgentCore
from ekm_proto.snmp.agent.engine_mib import (
    IN_GET_NEXTS,
    IN_GET_REQUESTS,
    IN_PKTS,
    IN_TOTAL_REQ_VARS,
    OUT_GET_RESPONSES,
    OUT_PKTS,
    USM_COUNTER_NAMES,
    count_error,
)
from ekm_proto.snmp.agent.pdu_processing import echo, fast_get
from ekm_proto.snmp.agent.usm_fast import read_encrypted_request
from ekm_proto.snmp.agent.usm_reply import ReplyEncoder
from ekm_proto.snmp.agent.view import AgentHandle
from ekm_proto.snmp.ber import encode_integer, encode_oid, encode_varbind
from ekm_proto.snmp.message import (
    FLAG_AUTH,
    FLAG_PRIV,
    FLAG_REPORTABLE,
    USM_SECURITY_MODEL,
    ErrorStatus,
    Pdu,
    PduType,
    ScopedPdu,
    decode_scoped_pdu,
    decode_v3_frame,
    response_pdu,
)
from ekm_proto.snmp.notifications import Notification, ReceivedNotification
from ekm_proto.snmp.stats import DropReason
from ekm_proto.snmp.types import Oid
from ekm_proto.snmp.usm import HmacKey, UserKeys

_ANSWERABLE = frozenset((int(PduType.GET), int(PduType.GET_NEXT), int(PduType.GET_BULK),
                         int(PduType.SET)))
_NOTIFICATIONS = frozenset((int(PduType.TRAP_V2), int(PduType.INFORM)))
_COUNTER32 = 0x41
_REPORT, _RESPONSE = int(PduType.REPORT), int(PduType.RESPONSE)
_AUTH_PRIV = FLAG_AUTH | FLAG_PRIV
# worst case of everything around the VarBinds apart from the variable-length fields counted
# separately (engine IDs, user name, MAC, context name): see _budget
_V3_OVERHEAD = 160


class UsmProcessor:
    """The SNMPv3 half of the agent engine (SnmpEngine). Stateless per agent: keys are cached by engine ID."""

    def __init__(self, users: dict[bytes, UserKeys], engine: AgentCore,
                 write_users: set[bytes] | None = None) -> None:
        self.users = users
        self.engine = engine
        self.write_users = write_users or set()
        self.replies = ReplyEncoder(engine.max_message_size)
        self._wrap = self.replies.wrap

    def fast(self, data: bytes, address: str, now: float) -> tuple[bytes, float] | bytes | None:
        """An authPriv request of the usual shape that passes every USM check (RFC 3414 3.2),
        answered at once if it is a GET/GETNEXT of one OID; else its plaintext for ``handle``,
        or None when it is anything else or anything is amiss (the general path then finds,
        counts and reports it). Any datagram may come here: most others fail on the first
        octets."""
        fields = read_encrypted_request(data)
        if fields is None:
            return None
        (msg_id, max_size, flags, engine_id, sent_boots, sent_time, user_name, auth_start, auth,
         priv, encrypted) = fields
        user = self.users.get(user_name)
        if flags & _AUTH_PRIV != _AUTH_PRIV or user is None or user.level != _AUTH_PRIV:
            return None
        agent = self.engine.directory.lookup(address)
        if agent is None or agent.engine_id != engine_id:
            return None
        hmac_key, cipher = user.localized(engine_id)
        if cipher is None or len(auth) != hmac_key.mac_length or not compare_digest(
                hmac_key.mac_around(data, auth_start), auth):
            return None
        boots, engine_time = agent.engine_boots_time(now)
        if boots != sent_boots or boots == usm.MAX_BOOTS \
                or abs(sent_time - engine_time) > usm.TIME_WINDOW:  # usm.in_time_window
            return None
        plaintext = cipher.decrypt(encrypted, priv, sent_boots, sent_time)
        if plaintext is None:
            return None
        fast = self._fast_scoped(plaintext, agent, msg_id, _AUTH_PRIV, user_name, engine_id,
                                 boots, engine_time, hmac_key, cipher,
                                 min(max_size, self.engine.max_message_size))
        if fast is not None:
            agent.counters[IN_PKTS] += 1
            return fast
        return plaintext

    def handle(self, data: bytes, pos: int, end: int, address: str, now: float, peer: object,
               decrypted: bytes | None = None) -> tuple[bytes, float] | None:
        """Any v3 message (``data[pos:end]`` after the version); ``decrypted``: the plaintext
        ``fast`` found after verifying it."""
        engine = self.engine
        msg_id, max_size, flags, model, sp_start, sp_stop, payload = decode_v3_frame(
            data, pos, end)
        if model != USM_SECURITY_MODEL:
            engine.drop(DropReason.UNKNOWN_SECURITY_MODEL, address, peer,
                        f"expected security model 3 (USM), got {model}", now)
            return None
        level = flags & (FLAG_AUTH | FLAG_PRIV)
        if level == FLAG_PRIV:
            engine.drop(DropReason.INVALID_MSG, address, peer, "msgFlags: privacy without auth", now)
            return None
        params = usm.decode_usm_parameters(data, sp_start, sp_stop)
        agent = engine.directory.lookup(address)
        if agent is None:
            engine.drop(DropReason.NO_AGENT, address, peer, "no agent answers at this address", now)
            return None
        agent.counters[IN_PKTS] += 1
        engine_id = agent.engine_id
        boots, engine_time = agent.engine_boots_time(now)
        scoped = payload if isinstance(payload, ScopedPdu) else None
        context = (agent, msg_id, flags, params, engine_id, boots, engine_time,
                   scoped.pdu.request_id if scoped else 0, address, peer, now)

        # RFC 3414 3.2 steps 3 to 8, in order
        if params.engine_id != engine_id:
            return self._report(context, "unknownEngineIDs", usm.UNKNOWN_ENGINE_IDS)
        user = self.users.get(params.user_name)
        if user is None:
            return self._report(context, "unknownUserNames", usm.UNKNOWN_USER_NAMES)
        if (level & FLAG_AUTH and user.auth is None) or (level & FLAG_PRIV and user.priv is None):
            return self._report(context, "unsupportedSecLevels",
                                    usm.UNSUPPORTED_SEC_LEVELS)
        hmac_key: HmacKey | None = None
        cipher = None
        if level & FLAG_AUTH and decrypted is not None:
            hmac_key, cipher = user.localized(engine_id)  # _fast_priv verified the message
        elif level & FLAG_AUTH:
            hmac_key, cipher = user.localized(engine_id)
            mac_length = hmac_key.mac_length
            if len(params.auth_parameters) != mac_length:
                return self._report(context, "wrongDigests", usm.WRONG_DIGESTS)
            if not compare_digest(hmac_key.mac_around(data, params.auth_start),
                                       params.auth_parameters):
                return self._report(context, "wrongDigests", usm.WRONG_DIGESTS)
            if not usm.in_time_window(boots, engine_time, params.boots, params.time):
                return self._report(context, "notInTimeWindows", usm.NOT_IN_TIME_WINDOWS,
                                    hmac_key)
        if level & FLAG_PRIV:
            assert cipher is not None
            if not isinstance(payload, bytes):
                return self._report(context, "decryptionErrors", usm.DECRYPTION_ERRORS)
            plaintext = decrypted if decrypted is not None else cipher.decrypt(
                payload, params.priv_parameters, params.boots, params.time)
            if plaintext is None:
                return self._report(context, "decryptionErrors", usm.DECRYPTION_ERRORS)
            if level >= user.level and decrypted is None:
                fast = self._fast_scoped(plaintext, agent, msg_id, level, params.user_name,
                                         engine_id, boots, engine_time, hmac_key, cipher,
                                         min(max_size, engine.max_message_size))
                if fast is not None:
                    return fast
            try:
                scoped, stop = decode_scoped_pdu(plaintext, 0, len(plaintext))
            except SnmpDecodeError as exc:
                engine.drop(DropReason.UNDECRYPTABLE, address, peer,
                            f"expected a scopedPDU after decryption (wrong privacy key?): {exc}", now)
                return None
            if stop != len(plaintext) and cipher.protocol is not usm.DES:
                engine.drop(DropReason.UNDECRYPTABLE, address, peer,
                            "bytes after the decrypted scopedPDU", now)
                return None
        elif scoped is None:
            engine.drop(DropReason.INVALID_MSG, address, peer,
                        "expected a plaintext scopedPDU, got encrypted data without privacy flag", now)
            return None
        assert scoped is not None

        pdu = scoped.pdu
        notification = pdu.type in _NOTIFICATIONS and engine.notifications is not None
        if pdu.type not in _ANSWERABLE and not notification:
            engine.drop(DropReason.UNEXPECTED_PDU, address, peer,
                        f"expected a request PDU, got 0x{pdu.type:02x}", now)
            return None
        if scoped.context_name:
            engine.drop(DropReason.UNKNOWN_CONTEXT, address, peer,
                        f"expected the default context, got {scoped.context_name[:32]!r}", now)
            return None
        budget = (min(max_size, engine.max_message_size) - _V3_OVERHEAD
                  - 2 * len(engine_id) - len(scoped.context_engine_id) - len(params.user_name)
                  - (hmac_key.mac_length if hmac_key else 0))
        if level < user.level:  # VACM: the user must use the level it was configured with
            outcome = (int(ErrorStatus.AUTHORIZATION_ERROR), 0, _echo_or_nothing(pdu, budget))
            count_error(agent.counters, outcome[0])
        elif notification:
            try:
                said = Notification.from_v2(pdu.varbinds)
            except SnmpDecodeError as exc:
                engine.drop(exc.reason, address, peer, str(exc), now)
                return None
            if not engine.notified(agent, ReceivedNotification(
                    3, params.user_name, pdu.type, pdu.request_id, said), address, peer):
                return None
            outcome = (0, 0, _echo_or_nothing(pdu, budget))
        else:
            found = engine.answer(agent, pdu, False, budget, address, now,
                                  params.user_name in self.write_users)
            if found is None:
                engine.drop(DropReason.TOO_BIG, address, peer, "response does not fit", now)
                return None
            outcome = found
        parts, length = response_pdu(_RESPONSE, pdu.request_id, *outcome)
        response = self._wrap(msg_id, level, params.user_name, engine_id, boots,
                              engine_time, scoped.context_engine_id, parts, length, hmac_key,
                              cipher)
        engine.stats.answered += 1
        engine.responded(agent)
        return response, engine.delay_of(agent)

    def _fast_scoped(self, plaintext: bytes, agent: AgentHandle, msg_id: int, level: int,
                     user_name: bytes, engine_id: bytes, boots: int, engine_time: int,
                     hmac_key: HmacKey | None, cipher: usm.PrivCipher, limit: int
                     ) -> tuple[bytes, float] | None:
        """A decrypted scopedPDU holding a GET/GETNEXT of one OID in the default context,
        answered like the v2c fast path; None sends it down the general path."""
        size = len(plaintext)
        if size < 20 or size > 0xA0 or plaintext[0] != 0x30 or plaintext[1] != size - 2 \
                or plaintext[2] != 0x04:
            return None
        name_at = 4 + plaintext[3]
        if name_at + 2 > size or plaintext[name_at:name_at + 2] != b"\x04\x00":
            return None
        pdu = fast_get(agent.view, plaintext, name_at + 2, size)
        if pdu is None or len(pdu) > limit - _V3_OVERHEAD - 3 * len(engine_id) - len(user_name):
            return None
        response = self._wrap(msg_id, level, user_name, engine_id, boots, engine_time,
                              plaintext[4:name_at], [pdu], len(pdu), hmac_key, cipher)
        counters = agent.counters
        counters[IN_GET_REQUESTS if plaintext[name_at + 2] == 0xA0 else IN_GET_NEXTS] += 1
        counters[IN_TOTAL_REQ_VARS] += 1
        counters[OUT_PKTS] += 1  # engine.responded(agent), inline
        counters[OUT_GET_RESPONSES] += 1
        self.engine.stats.answered += 1
        return response, self.engine.delay_of(agent)

    def _report(self, context: tuple[Any, ...], name: str, oid: Oid,
                hmac_key: HmacKey | None = None) -> tuple[bytes, float] | None:
        """Count usmStats ``name`` and build the Report, if the manager asked for reports."""
        (agent, msg_id, flags, params, engine_id, boots, engine_time, request_id, address,
         peer, now) = context
        engine = self.engine
        engine.stats.usm[name] += 1
        counters = agent.counters
        counters[USM_COUNTER_NAMES[name]] += 1
        if not flags & FLAG_REPORTABLE:
            engine.drop(DropReason.NOT_REPORTABLE, address, peer,
                        f"USM {name} without the reportable flag", now)
            return None
        engine.log.drop(f"usm-{name}", address, peer, "answered with a report", now)
        value = counters[USM_COUNTER_NAMES[name]] & 0xFFFFFFFF
        varbind = encode_varbind(encode_oid(oid), encode_integer(value, _COUNTER32))
        parts, length = response_pdu(_REPORT, request_id, 0, 0, [varbind])
        level = FLAG_AUTH if hmac_key is not None else 0
        response = self._wrap(msg_id, level, params.user_name, engine_id, boots, engine_time,
                              engine_id, parts, length, hmac_key, None)
        engine.stats.reports += 1
        engine.responded(agent, report=True)
        return response, engine.delay_of(agent)


def _echo_or_nothing(pdu: Pdu, budget: int) -> list[bytes]:
    varbinds = echo(pdu.varbinds)
    return varbinds if sum(map(len, varbinds)) <= budget else []
