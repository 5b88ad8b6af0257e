"""SNMPv3 Reports a manager may receive (RFC 3414 usmStats, RFC 3412 snmpMPDStats, RFC 3413
snmpTarget contexts), by OID, and what each one tells the person whose request failed."""

from __future__ import annotations

from ekm_proto.snmp import usm
from ekm_proto.snmp.types import Oid, format_oid

_MPD = (1, 3, 6, 1, 6, 3, 11, 2, 1)
_CONTEXTS = (1, 3, 6, 1, 6, 3, 12, 1)
REPORTS: dict[Oid, str] = {
    usm.UNSUPPORTED_SEC_LEVELS: "unsupportedSecLevels",
    usm.NOT_IN_TIME_WINDOWS: "notInTimeWindows",
    usm.UNKNOWN_USER_NAMES: "unknownUserNames",
    usm.UNKNOWN_ENGINE_IDS: "unknownEngineIDs",
    usm.WRONG_DIGESTS: "wrongDigests",
    usm.DECRYPTION_ERRORS: "decryptionErrors",
    (*_MPD, 1, 0): "snmpUnknownSecurityModels",
    (*_MPD, 2, 0): "snmpInvalidMsgs",
    (*_MPD, 3, 0): "snmpUnknownPDUHandlers",
    (*_CONTEXTS, 4, 0): "snmpUnavailableContexts",
    (*_CONTEXTS, 5, 0): "snmpUnknownContexts",
}
#: the Reports that mean the agent refused the credentials (SnmpAuthError)
AUTH_REPORTS = frozenset(("unknownUserNames", "wrongDigests", "unsupportedSecLevels",
                          "decryptionErrors"))
_HINTS = {
    "unknownUserNames": "the agent has no such user",
    "wrongDigests": "wrong authentication key or protocol",
    "unsupportedSecLevels": "the agent's user is not configured for this security level",
    "decryptionErrors": "wrong privacy key or protocol",
    "notInTimeWindows": "the agent's clock moved and could not be followed",
    "snmpUnknownContexts": "the agent has no such context name",
}


def explain_report(target: str, oid: Oid, name: str) -> str:
    """The message of the error a Report ends a request with: the target (as described),
    the report and what to check."""
    counter = f"usmStats{name[0].upper()}{name[1:]}" if name in _HINTS and not \
        name.startswith("snmp") else (name or "an unknown report")
    hint = _HINTS.get(name)
    return (f"{target}: the agent answered with a Report {counter} "
            f"({format_oid(oid) if oid else 'no varbind'})" + (f": {hint}" if hint else ""))
