"""The credentials the agent may try on a device, in the configured order, each with a label
that names it in the database and in logs without revealing it (a community is a password).
"""

from __future__ import annotations

from dataclasses import dataclass

from ekm_proto.snmp.manager.targets import Community, RetryPolicy, Target, Usm
from ekm_proto.snmp.message import SnmpVersion
from ekm_proto.snmp.usm import UserKeys, UsmUser
from protolab.errors import ConfigurationError


@dataclass(frozen=True, slots=True)
class Credential:
    """One way in: an SNMPv1/v2c community or an SNMPv3 user (keys made once, shared by every
    device). ``label`` is what the database remembers per device."""

    label: str
    security: Community | Usm
    user: UsmUser | None = None  # an SNMPv3 user as configured (a trap receiver's USM needs it)

    def target(self, host: str, port: int, retry: RetryPolicy) -> Target:
        return Target(host, port, self.security, retry)


def community(text: str, position: int, version: str = "v2c") -> Credential:
    """The ``position``-th community (1-based; the label never shows the community)."""
    if not text:
        raise ConfigurationError(f"community #{position} is empty; expected a community string")
    versions = {"v1": SnmpVersion.V1, "v2c": SnmpVersion.V2C}
    if version not in versions:
        raise ConfigurationError(f"community #{position}: version {version!r}; expected v1 or "
                                 "v2c")
    return Credential(f"{version} community #{position}",
                      Community(text.encode(), versions[version]))


def v3_user(name: str, *, auth_key: str | None, priv_key: str | None,
            auth_protocol: str = "SHA", priv_protocol: str = "AES") -> Credential:
    """An SNMPv3 user; its level follows the keys given (none, auth, auth and priv)."""
    if priv_key and not auth_key:
        raise ConfigurationError(f"SNMPv3 user {name!r}: a privacy key needs an authentication "
                                 "key")
    user = UsmUser(name, auth_protocol if auth_key else None, auth_key,
                   priv_protocol if priv_key else None, priv_key)
    keys = UserKeys(user)
    level = {0: "noAuthNoPriv", 1: "authNoPriv", 3: "authPriv"}[keys.level]
    return Credential(f"v3 user {name} ({level})", Usm(keys), user)
