"""pysnmp as a second, independent manager: walks of the same agent the client walks."""

from __future__ import annotations

from typing import Any

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    usmAesCfb128Protocol,
    usmHMACSHAAuthProtocol,
    walk_cmd,
)

from ekm_proto.snmp.types import Oid, VarBind
from tests.ekm_proto.snmp.pysnmp_ref import from_pysnmp


async def pysnmp_walk(host: str, port: int, root: Oid, *, community: str | None = None,
                      v1: bool = False, user: tuple[str, str, str] | None = None
                      ) -> list[VarBind]:
    """GETNEXT walk of ``root`` by pysnmp (v1/v2c community, or v3 SHA/AES ``user``)."""
    engine = SnmpEngine()
    auth: Any
    if user is not None:
        name, auth_key, priv_key = user
        auth = UsmUserData(name, auth_key, priv_key, authProtocol=usmHMACSHAAuthProtocol,
                           privProtocol=usmAesCfb128Protocol)
    else:
        auth = CommunityData(community or "public", mpModel=0 if v1 else 1)
    transport = await UdpTransportTarget.create((host, port), timeout=2, retries=1)
    rows: list[VarBind] = []
    try:
        async for indication, status, _index, varbinds in walk_cmd(
                engine, auth, transport, ContextData(),
                ObjectType(ObjectIdentity(".".join(map(str, root)))), lexicographicMode=False):
            if indication or status:
                raise AssertionError(f"pysnmp walk failed: {indication or status.prettyPrint()}")
            rows.extend((tuple(name), from_pysnmp(value)) for name, value in varbinds)
    finally:
        engine.close_dispatcher()
    return rows
