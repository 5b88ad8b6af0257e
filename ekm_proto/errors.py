"""Every error ekm_proto raises, rooted in ``ProtolabError``.

A setting that cannot work (a bad credential, an unknown protocol name) is protolab's one
``ConfigurationError``; what is specific to SNMP is here: bytes that do not decode, values that
cannot be encoded, and what a manager learns about a target (no answer, a USM report, an error
status). Manager errors name the target, so a monitor polling 100,000 printers can log one line
that says which printer and what it answered.
"""

from __future__ import annotations

from protolab.errors import ConfigurationError, ProtolabError


class EkmError(ProtolabError):
    """Base of ekm_proto's errors."""


class BadOidError(EkmError, ValueError):
    """Text that is not a dotted OID an SNMP message could carry."""


class SnmprecError(EkmError, ConfigurationError):
    """A ``.snmprec`` recording that cannot be read or a value that cannot be written in the
    format; the message names the file and line (or the OID) and what was expected."""


class BrokenViewError(EkmError):
    """A MibView that broke its contract (get_next not moving forward, an unencodable value):
    a bug in the view, answered with genErr and logged, never a crash of the server."""


class SnmpDecodeError(EkmError):
    """Bytes on an SNMP port that are not a message this side can read (bad BER, bad version...)."""

    reason = "decode-error"


class SnmpUnverified(SnmpDecodeError):
    """An SNMPv3 message whose MAC does not verify, or that does not decrypt, with the keys the
    manager holds (a forged or corrupted answer: dropped, the request waits for a real one)."""

    reason = "unverified"


class SnmpEncodeError(EkmError):
    """A value that cannot be encoded (an OID arc over 2^32, a message larger than the limit)."""


class SnmpManagerError(EkmError):
    """A request a manager could not complete; ``target`` names the agent (``host:port``)."""

    def __init__(self, message: str, *, target: str) -> None:
        super().__init__(message)
        self.target = target


class SnmpTimeout(SnmpManagerError):
    """No answer after every attempt (also what a wrong community or privacy key looks like:
    agents drop those silently)."""


class SnmpReportError(SnmpManagerError):
    """The agent answered with an SNMPv3 Report (RFC 3414 usmStats) the manager cannot fix by
    itself; ``report`` is the counter's name, ``report_oid`` its OID."""

    def __init__(self, message: str, *, target: str, report: str,
                 report_oid: tuple[int, ...]) -> None:
        super().__init__(message, target=target)
        self.report = report
        self.report_oid = report_oid


class SnmpAuthError(SnmpReportError):
    """Credentials the agent refused: unknownUserNames, wrongDigests, unsupportedSecLevels or
    decryptionErrors."""

    reason = "auth"


class SnmpErrorStatus(SnmpManagerError):
    """A Response whose error-status is not noError (tooBig, genErr, authorizationError...);
    SNMPv1's noSuchName is not one: the manager reports it as a value."""

    def __init__(self, message: str, *, target: str, status: int, index: int) -> None:
        super().__init__(message, target=target)
        self.status = status
        self.index = index


class SnmpWalkError(SnmpManagerError):
    """An agent whose walk does not progress (an OID not after the previous one)."""
