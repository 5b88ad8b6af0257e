"""Every error ekm_proto raises, rooted in ``ProtolabError``."""

from __future__ import annotations

from protolab.errors import ProtolabError


class EkmError(ProtolabError):
    """Base of ekm_proto's errors."""


class ConfigurationError(EkmError):
    """A profile, credential or option that cannot work."""


class SnmpDecodeError(EkmError):
    """Bytes on an SNMP port that are not a message this agent can answer (bad BER, bad version...)."""

    reason = "decode-error"


class SnmpEncodeError(EkmError):
    """A value that cannot be encoded (an OID arc over 2^32, a message larger than the limit)."""


class SnmpAuthError(EkmError):
    """A request whose community or USM credentials do not match (answered with a report or dropped)."""

    reason = "auth"


class ProfileError(EkmError):
    """A printer profile or .snmprec file that cannot be loaded."""
