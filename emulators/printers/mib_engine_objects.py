"""The SNMP engine's own objects in every printer's MIB: sysORTable, the snmp group, the
snmpEngine group and usmStats, as ekm_proto.snmp.agent.engine_mib defines them, read from the
printer's counters, identity and boot time (so they agree with what its reports carry)."""

from __future__ import annotations

from ekm_proto.snmp.agent.answering import UDP_MAX_PAYLOAD
from ekm_proto.snmp.agent.engine_mib import (
    ENGINE_GROUP,
    SNMP_ENABLE_AUTHEN_TRAPS,
    SNMP_GROUP,
    SNMP_GROUP_COUNTERS,
    SYS_OR_ENTRY,
    SYS_OR_LAST_CHANGE,
    SYS_OR_ROWS,
    USM_STATS,
    USM_STATS_COUNTERS,
    snmp_group_value,
    usm_stats_value,
)
from ekm_proto.snmp.types import SnmpType
from emulators.printers.mib_layout import Getter, LayoutBuilder

INT, STR, OID, TICKS = (SnmpType.INTEGER, SnmpType.OCTET_STRING, SnmpType.OBJECT_IDENTIFIER,
                        SnmpType.TIMETICKS)


def _snmp_counter(arc: int) -> Getter:
    return lambda s, now: snmp_group_value(s.snmp, arc)


def _usm_counter(arc: int) -> Getter:
    return lambda s, now: usm_stats_value(s.snmp, arc)


def engine_objects(b: LayoutBuilder) -> None:
    """Add the engine's objects (each printer is an SNMP engine of its own)."""
    b.scalar(SYS_OR_LAST_CHANGE[:-1], (TICKS, 0))
    for row, (module, description) in enumerate(SYS_OR_ROWS, start=1):
        b.cell((*SYS_OR_ENTRY, 2), (row,), (OID, module))
        b.cell((*SYS_OR_ENTRY, 3), (row,), (STR, description.encode()))
        b.cell((*SYS_OR_ENTRY, 4), (row,), (TICKS, 0))
    for arc in sorted((*SNMP_GROUP_COUNTERS, SNMP_ENABLE_AUTHEN_TRAPS)):
        b.scalar((*SNMP_GROUP, arc), _snmp_counter(arc))
    b.scalar((*ENGINE_GROUP, 1), lambda s, now: (STR, s.engine_id))
    b.scalar((*ENGINE_GROUP, 2), lambda s, now: (INT, s.boots))
    b.scalar((*ENGINE_GROUP, 3), lambda s, now: (INT, s.engine_time(now)))
    b.scalar((*ENGINE_GROUP, 4), (INT, UDP_MAX_PAYLOAD))
    for arc in sorted(USM_STATS_COUNTERS):
        b.scalar((*USM_STATS, arc), _usm_counter(arc))
