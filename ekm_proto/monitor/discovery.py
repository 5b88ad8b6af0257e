"""Discovery: ask an address with each configured credential in order (the one that worked last
time first) and identify what answers. SNMP only, three or four requests per printer: the
system group, the first rows of the Printer-MIB columns that identify it, its hrDeviceDescr and
its vendor's page counters (those it answers are the ones the meter loop will read).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ekm_proto.errors import SnmpManagerError
from ekm_proto.monitor import identify as ident
from ekm_proto.monitor.counter_catalog import vendor_counters
from ekm_proto.monitor.credentials import Credential
from ekm_proto.monitor.pacing import Pacer
from ekm_proto.printer_mib import oids
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy, Target
from ekm_proto.snmp.types import EXCEPTIONS, SnmpType, VarBind
from protolab.logs import get_logger

_log = get_logger("monitor.discovery")
_COUNTER_TYPES = frozenset((SnmpType.INTEGER, SnmpType.COUNTER32, SnmpType.GAUGE32,
                            SnmpType.COUNTER64))


def ordered(credentials: Sequence[Credential], prefer: str | None) -> list[Credential]:
    """The configured order, the remembered credential first."""
    first = [c for c in credentials if c.label == prefer]
    return first + [c for c in credentials if c.label != prefer]


class Discoverer:
    """Identifies the printer at an address; ``attempts`` counts credential tries."""

    def __init__(self, client: SnmpClient, credentials: Sequence[Credential], port: int,
                 retry: RetryPolicy, pacer: Pacer | None = None) -> None:
        self.client = client
        self.pacer = pacer
        self.credentials = tuple(credentials)
        self.port = port
        self.retry = retry
        self.attempts = 0

    async def identify(self, address: str, prefer: str | None = None,
                       port: int | None = None) -> ident.Identity | None:
        """The printer at ``address``, or None when nothing answers any credential or what
        answers is not a printer."""
        for credential in ordered(self.credentials, prefer):
            target = credential.target(address, port or self.port, self.retry)
            self.attempts += 1
            started = self.client.clock.now()
            try:
                probe = await self.client.get(target, *ident.PROBE)
            except SnmpManagerError as exc:
                _log.debug("discovery.no-answer", address=address, credential=credential.label,
                           error=str(exc))
                continue
            if self.pacer is not None:
                self.pacer.answered(self.client.clock.now() - started)
            if all(value[0] in EXCEPTIONS for _, value in probe):
                continue
            try:
                return await self._identify(target, credential.label, probe)
            except SnmpManagerError as exc:
                _log.info("discovery.incomplete", address=address, credential=credential.label,
                          error=str(exc))
                return None
        return None

    async def _identify(self, target: Target, label: str,
                        probe: list[VarBind]
                        ) -> ident.Identity | None:
        client = self.client
        first_rows = await client.get_next(target, *ident.FIRST_ROWS)
        found = ident.identify(target.host, target.port, label, probe, first_rows)
        if found is None:
            _log.info("discovery.not-a-printer", address=target.host,
                      sys_descr=ident.text(probe[0][1])[:80])
            return None
        candidates = vendor_counters(found.enterprise)
        answers = await client.get(target, oids.instance(ident.HR_DEVICE_DESCR,
                                                         found.device_index),
                                   *(c.oid for c in candidates))
        counters = tuple(c for c, (_, value) in zip(candidates, answers[1:], strict=True)
                         if value[0] in _COUNTER_TYPES)
        mac = None
        if not found.mac:
            for name, value in await client.walk(target, oids.IF_PHYS_ADDRESS):
                raw = ident.mac_of(value)
                if raw is not None:
                    mac = (name[-1], raw)
                    break
        identity = ident.identify(target.host, target.port, label, probe, first_rows,
                                  answers[0][1], mac)
        assert identity is not None
        return dataclasses.replace(identity, counters=counters)
