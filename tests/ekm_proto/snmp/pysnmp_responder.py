"""A pysnmp command responder serving a StaticMibView's items: the reference agent that the same
walks are compared against (same data, same client, two independent SNMP engines)."""

from __future__ import annotations

import asyncio
from bisect import bisect_right
from typing import Any

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdrsp, context
from pysnmp.proto import rfc1902, rfc1905
from pysnmp.smi import instrum

from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue
from tests.ekm_proto.snmp.pysnmp_ref import to_pysnmp


class ItemsController(instrum.AbstractMibInstrumController):
    """read_variables/read_next_variables over a sorted list of (oid, value)."""

    def __init__(self, items: list[tuple[Oid, SnmpValue]]) -> None:
        self.values = dict(items)
        self.oids = sorted(self.values)

    def read_variables(self, *var_binds: Any, **_context: Any) -> list[tuple[Any, Any]]:
        answers = []
        for name, _value in var_binds:
            oid = tuple(name)
            value = self.values.get(oid)
            if value is None:
                parent = oid[:-1]
                known = any(o[:len(parent)] == parent for o in self.oids) and parent
                answers.append((name, rfc1905.noSuchInstance if known else rfc1905.noSuchObject))
            else:
                answers.append((name, to_pysnmp(value)))
        return answers

    def read_next_variables(self, *var_binds: Any, **_context: Any) -> list[tuple[Any, Any]]:
        answers = []
        for name, _value in var_binds:
            at = bisect_right(self.oids, tuple(name))
            if at == len(self.oids):
                answers.append((name, rfc1905.endOfMibView))
            else:
                oid = self.oids[at]
                answers.append((rfc1902.ObjectName(oid), to_pysnmp(self.values[oid])))
        return answers


async def start_responder(items: list[tuple[Oid, SnmpValue]], address: str, port: int,
                          community: str = "public") -> Any:
    """A running pysnmp engine answering v1/v2c with ``community`` at ``address:port``."""
    snmp_engine = engine.SnmpEngine()
    config.add_transport(snmp_engine, udp.DOMAIN_NAME,
                         udp.UdpTransport().open_server_mode((address, port)))
    config.add_v1_system(snmp_engine, "area", community)
    for model in (1, 2):
        config.add_vacm_user(snmp_engine, model, "area", "noAuthNoPriv", (1,))
    snmp_context = context.SnmpContext(snmp_engine)
    snmp_context.unregister_context_name(b"")
    snmp_context.register_context_name(b"", ItemsController(items))
    for responder in (cmdrsp.GetCommandResponder, cmdrsp.NextCommandResponder,
                      cmdrsp.BulkCommandResponder):
        responder(snmp_engine, snmp_context)
    await asyncio.sleep(0.3)  # pysnmp opens its asyncio endpoint in a task of its own
    return snmp_engine


def stop_responder(snmp_engine: Any) -> None:
    snmp_engine.transport_dispatcher.close_dispatcher()


__all__ = ["SnmpType", "start_responder", "stop_responder"]
