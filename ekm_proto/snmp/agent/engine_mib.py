"""What an SNMP agent says about its own engine, as net-snmp's snmpd says it: the SNMPv2-MIB snmp
group (RFC 3418, 1.3.6.1.2.1.11) with real counts, sysORTable, the snmpEngine group (RFC 3411,
1.3.6.1.6.3.10.2.1) and usmStats (RFC 3414, 1.3.6.1.6.3.15.1.1).

Every agent keeps its own counters (``AgentHandle.counters``, an array the engine increments at
the positions below), because each emulated printer is an SNMP engine of its own: its snmpInPkts
counts the datagrams sent to it, not to its neighbours. The engine counts what snmpd counts
(checked against a running snmpd): every datagram in, every response out, undecodable datagrams,
unknown communities, GET/GETNEXT/SET requests (GETBULK is neither), the varbinds answered, and the
error statuses sent, v2 errors under their SNMPv1 names. The single-OID GET/GETNEXT fast path
counts one number (FAST_GETS or FAST_NEXTS) that the served values add where snmpd would have
counted four.
"""

from __future__ import annotations

from array import array

from ekm_proto.snmp.message import ErrorStatus
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue

(IN_PKTS, OUT_PKTS, IN_BAD_VERSIONS, IN_BAD_COMMUNITY_NAMES, IN_ASN_PARSE_ERRS,
 IN_TOTAL_REQ_VARS, IN_GET_REQUESTS, IN_GET_NEXTS, IN_SET_REQUESTS, IN_GET_RESPONSES,
 OUT_TOO_BIGS, OUT_NO_SUCH_NAMES, OUT_BAD_VALUES, OUT_GEN_ERRS, OUT_GET_RESPONSES, OUT_TRAPS,
 SILENT_DROPS, USM_UNSUPPORTED_SEC_LEVELS, USM_NOT_IN_TIME_WINDOWS, USM_UNKNOWN_USER_NAMES,
 USM_UNKNOWN_ENGINE_IDS, USM_WRONG_DIGESTS, USM_DECRYPTION_ERRORS, FAST_GETS,
 FAST_NEXTS, IN_TRAPS) = range(26)
N_AGENT_COUNTERS = 26
_FAST = (FAST_GETS, FAST_NEXTS)

SNMP_GROUP: Oid = (1, 3, 6, 1, 2, 1, 11)
#: snmp group arc -> the counter positions whose sum it serves (snmpd serves 1-6, 8-22, 24-32)
SNMP_GROUP_COUNTERS: dict[int, tuple[int, ...]] = {
    1: (IN_PKTS, *_FAST), 2: (OUT_PKTS, *_FAST), 3: (IN_BAD_VERSIONS,),
    4: (IN_BAD_COMMUNITY_NAMES,), 5: (), 6: (IN_ASN_PARSE_ERRS,), 8: (), 9: (), 10: (), 11: (),
    12: (), 13: (IN_TOTAL_REQ_VARS, *_FAST), 14: (), 15: (IN_GET_REQUESTS, FAST_GETS),
    16: (IN_GET_NEXTS, FAST_NEXTS), 17: (IN_SET_REQUESTS,), 18: (IN_GET_RESPONSES,),
    19: (IN_TRAPS,),
    20: (OUT_TOO_BIGS,), 21: (OUT_NO_SUCH_NAMES,), 22: (OUT_BAD_VALUES,), 24: (OUT_GEN_ERRS,),
    25: (), 26: (), 27: (), 28: (OUT_GET_RESPONSES, *_FAST), 29: (OUT_TRAPS,), 31: (SILENT_DROPS,),
    32: (),
}
SNMP_ENABLE_AUTHEN_TRAPS = 30  # INTEGER disabled(2), as snmpd answers by default

ENGINE_GROUP: Oid = (1, 3, 6, 1, 6, 3, 10, 2, 1)
SNMP_ENGINE_ID, SNMP_ENGINE_BOOTS, SNMP_ENGINE_TIME, SNMP_ENGINE_MAX_MESSAGE_SIZE = (
    (*ENGINE_GROUP, 1, 0), (*ENGINE_GROUP, 2, 0), (*ENGINE_GROUP, 3, 0), (*ENGINE_GROUP, 4, 0))

USM_STATS: Oid = (1, 3, 6, 1, 6, 3, 15, 1, 1)
USM_STATS_COUNTERS: dict[int, int] = {
    1: USM_UNSUPPORTED_SEC_LEVELS, 2: USM_NOT_IN_TIME_WINDOWS, 3: USM_UNKNOWN_USER_NAMES,
    4: USM_UNKNOWN_ENGINE_IDS, 5: USM_WRONG_DIGESTS, 6: USM_DECRYPTION_ERRORS}
#: usmStats counter name (as reports and SnmpStats.usm name them) -> position
USM_COUNTER_NAMES: dict[str, int] = {
    "unsupportedSecLevels": USM_UNSUPPORTED_SEC_LEVELS,
    "notInTimeWindows": USM_NOT_IN_TIME_WINDOWS, "unknownUserNames": USM_UNKNOWN_USER_NAMES,
    "unknownEngineIDs": USM_UNKNOWN_ENGINE_IDS, "wrongDigests": USM_WRONG_DIGESTS,
    "decryptionErrors": USM_DECRYPTION_ERRORS}

SYS_OR_LAST_CHANGE: Oid = (1, 3, 6, 1, 2, 1, 1, 8, 0)
SYS_OR_ENTRY: Oid = (1, 3, 6, 1, 2, 1, 1, 9, 1)
#: sysORTable rows of the modules an agent of this engine implements, worded as snmpd words them
SYS_OR_ROWS: tuple[tuple[Oid, str], ...] = (
    ((1, 3, 6, 1, 6, 3, 10, 3, 1, 1), "The SNMP Management Architecture MIB."),
    ((1, 3, 6, 1, 6, 3, 11, 3, 1, 1), "The MIB for Message Processing and Dispatching."),
    ((1, 3, 6, 1, 6, 3, 15, 2, 1, 1),
     "The management information definitions for the SNMP User-based Security Model."),
    ((1, 3, 6, 1, 6, 3, 1), "The MIB module for SNMPv2 entities"),
)

# error-status -> the snmp group counter that counts it (v2 errors under their SNMPv1 mapping)
_ERROR_COUNTERS: dict[int, int] = {
    int(ErrorStatus.TOO_BIG): OUT_TOO_BIGS, int(ErrorStatus.GEN_ERR): OUT_GEN_ERRS,
    int(ErrorStatus.BAD_VALUE): OUT_BAD_VALUES, int(ErrorStatus.WRONG_TYPE): OUT_BAD_VALUES,
    int(ErrorStatus.WRONG_LENGTH): OUT_BAD_VALUES, int(ErrorStatus.WRONG_VALUE): OUT_BAD_VALUES,
    int(ErrorStatus.WRONG_ENCODING): OUT_BAD_VALUES,
    int(ErrorStatus.INCONSISTENT_VALUE): OUT_BAD_VALUES,
    int(ErrorStatus.RESOURCE_UNAVAILABLE): OUT_GEN_ERRS,
    int(ErrorStatus.COMMIT_FAILED): OUT_GEN_ERRS, int(ErrorStatus.UNDO_FAILED): OUT_GEN_ERRS,
}


def new_counters() -> array[int]:
    """An agent's counters, all zero (64-bit: served modulo 2^32, as Counter32 wraps)."""
    return array("Q", bytes(8 * N_AGENT_COUNTERS))


def count_error(counters: array[int], status: int) -> None:
    """Count an error-status sent in a response (noSuchName for every refusal of a name)."""
    if status:
        counters[_ERROR_COUNTERS.get(status, OUT_NO_SUCH_NAMES)] += 1


def snmp_group_value(counters: array[int] | None, arc: int) -> SnmpValue:
    """The value of snmp group object ``arc`` (instance .0) for an agent's counters."""
    if arc == SNMP_ENABLE_AUTHEN_TRAPS:
        return (SnmpType.INTEGER, 2)
    if counters is None:
        return (SnmpType.COUNTER32, 0)
    return (SnmpType.COUNTER32, sum(counters[p] for p in SNMP_GROUP_COUNTERS[arc]) & 0xFFFFFFFF)


def usm_stats_value(counters: array[int] | None, arc: int) -> SnmpValue:
    value = counters[USM_STATS_COUNTERS[arc]] if counters is not None else 0
    return (SnmpType.COUNTER32, value & 0xFFFFFFFF)
