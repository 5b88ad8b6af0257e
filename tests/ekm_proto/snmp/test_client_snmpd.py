"""The client against a real agent: net-snmp's snmpd, cross-checked with pysnmp walking it too."""

from __future__ import annotations

import pytest

from ekm_proto.errors import SnmpAuthError, SnmpTimeout
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy, Target
from ekm_proto.snmp.types import NO_SUCH_NAME, NO_SUCH_OBJECT, Oid, SnmpType, VarBind
from ekm_proto.snmp.usm import UserKeys, UsmUser
from tests.ekm_proto.snmp.pysnmp_manager import pysnmp_walk
from tests.ekm_proto.snmp.snmpd_agent import (
    AUTH_KEY,
    COMMUNITY,
    PRIV_KEY,
    SYS_LOCATION,
    SYS_NAME,
    USER,
    RunningSnmpd,
)

SYSTEM: Oid = (1, 3, 6, 1, 2, 1, 1)
SYS_NAME_OID: Oid = (*SYSTEM, 5, 0)
SYS_LOCATION_OID: Oid = (*SYSTEM, 6, 0)
QUICK = RetryPolicy(timeout=0.3, retries=1)
KEYS = UserKeys(UsmUser(USER, "SHA", AUTH_KEY, "AES", PRIV_KEY))


def targets(agent: RunningSnmpd) -> dict[str, Target]:
    return {"v1": Target.v1(agent.host, agent.port, COMMUNITY),
            "v2c": Target.v2c(agent.host, agent.port, COMMUNITY),
            "v3": Target.v3(agent.host, agent.port, user=KEYS)}


def stable(rows: list[VarBind]) -> list[VarBind]:
    """Uptimes move between two walks; every other value of the system group stays put."""
    return [(oid, (kind, None) if kind == SnmpType.TIMETICKS else (kind, value))
            for oid, (kind, value) in rows]


@pytest.mark.parametrize("version", ["v1", "v2c", "v3"])
async def test_get_from_snmpd(snmpd: RunningSnmpd, client: SnmpClient, version: str) -> None:
    target = targets(snmpd)[version]
    missing: Oid = (*SYSTEM, 77, 0)
    found = await client.get(target, SYS_NAME_OID, missing, SYS_LOCATION_OID)
    assert found[0] == (SYS_NAME_OID, (SnmpType.OCTET_STRING, SYS_NAME.encode()))
    assert found[1] == (missing, NO_SUCH_NAME if version == "v1" else NO_SUCH_OBJECT)
    assert found[2] == (SYS_LOCATION_OID, (SnmpType.OCTET_STRING, SYS_LOCATION.encode()))


@pytest.mark.parametrize("version", ["v1", "v2c", "v3"])
async def test_walks_agree_with_pysnmp(snmpd: RunningSnmpd, client: SnmpClient,
                                       version: str) -> None:
    target = targets(snmpd)[version]
    ours = await client.walk(target, SYSTEM, max_repetitions=5)
    user = (USER, AUTH_KEY, PRIV_KEY) if version == "v3" else None
    theirs = await pysnmp_walk(snmpd.host, snmpd.port, SYSTEM, community=COMMUNITY,
                               v1=version == "v1", user=user)
    assert len(ours) >= 10 and all(oid[:len(SYSTEM)] == SYSTEM for oid, _ in ours)
    assert stable(ours) == stable(theirs)


async def test_bulk_and_next_walks_see_the_same_rows(snmpd: RunningSnmpd,
                                                     client: SnmpClient) -> None:
    target = targets(snmpd)["v2c"]
    bulk = await client.walk(target, SYSTEM, max_repetitions=3)
    one_by_one = await client.walk(target, SYSTEM, bulk=False)
    assert stable(bulk) == stable(one_by_one)
    rows = await client.get_bulk(target, [SYS_NAME_OID, (*SYSTEM, 9, 1, 2)], 1, 3)
    assert rows[0][0] == (*SYSTEM, 6, 0) and [oid[:-1] for oid, _ in rows[1:]] == [
        (*SYSTEM, 9, 1, 2)] * 3


async def test_a_wrong_community_times_out_naming_the_target(snmpd: RunningSnmpd,
                                                             client: SnmpClient) -> None:
    target = Target.v2c(snmpd.host, snmpd.port, "not-the-community", retry=QUICK)
    with pytest.raises(SnmpTimeout) as caught:
        await client.get(target, SYS_NAME_OID)
    assert caught.value.target == f"127.0.0.1:{snmpd.port}"
    assert f"127.0.0.1:{snmpd.port} (SNMPv2c): no answer to GET after 2 attempt(s)" in str(
        caught.value)


@pytest.mark.parametrize(("user", "report"), [
    (UsmUser("stranger", "SHA", AUTH_KEY, "AES", PRIV_KEY), "unknownUserNames"),
    (UsmUser(USER, "SHA", "wrong-auth-key", "AES", PRIV_KEY), "wrongDigests"),
])
async def test_wrong_v3_credentials_are_a_typed_error(snmpd: RunningSnmpd, client: SnmpClient,
                                                      user: UsmUser, report: str) -> None:
    target = Target.v3(snmpd.host, snmpd.port, user=UserKeys(user), retry=QUICK)
    with pytest.raises(SnmpAuthError) as caught:
        await client.get(target, SYS_NAME_OID)
    assert (caught.value.target, caught.value.report) == (f"127.0.0.1:{snmpd.port}", report)
    assert str(caught.value).startswith(f"127.0.0.1:{snmpd.port} (SNMPv3 user '{user.name}'")


async def test_a_wrong_privacy_key_times_out(snmpd: RunningSnmpd, client: SnmpClient) -> None:
    """snmpd drops what it cannot decrypt (no report): the error says so."""
    keys = UserKeys(UsmUser(USER, "SHA", AUTH_KEY, "AES", "wrong-priv-key"))
    with pytest.raises(SnmpTimeout, match="wrong privacy key"):
        await client.get(Target.v3(snmpd.host, snmpd.port, user=keys, retry=QUICK),
                         SYS_NAME_OID)
