"""The device analyser: walk one device and say, loop by loop, whether it gives the agent what
it needs (the overview: "devices be tested for their manageability prior to deployment ... EKM
provides a device analyser").

For every object a loop needs (loop_oids.NEEDS): answered or missing, with which type, and
whether that type is usable (a counter typed INTEGER is read, but wraps at 2^31 - 1 and some
managers refuse it); the vendor counters the agent knows that the device answers; whether the
counters survive power save (judged when the marker reports standby); a verdict. The walk
itself can be saved as ``.snmprec`` for the printer emulator to play.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ekm_proto.monitor.counter_catalog import vendor_counters
from ekm_proto.monitor.credentials import Credential
from ekm_proto.monitor.discovery import Discoverer
from ekm_proto.monitor.identify import Identity
from ekm_proto.monitor.loop_oids import MARKER_STATUS, NEEDS, STANDBY, Need
from ekm_proto.printer_mib import oids
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue, format_oid

INTEGRAL = frozenset((SnmpType.INTEGER, SnmpType.COUNTER32, SnmpType.GAUGE32,
                      SnmpType.COUNTER64, SnmpType.TIMETICKS))
TYPE_NAMES = {SnmpType.INTEGER: "INTEGER", SnmpType.OCTET_STRING: "OCTET STRING",
              SnmpType.OBJECT_IDENTIFIER: "OBJECT IDENTIFIER", SnmpType.IP_ADDRESS: "IpAddress",
              SnmpType.COUNTER32: "Counter32", SnmpType.GAUGE32: "Gauge32",
              SnmpType.TIMETICKS: "TimeTicks", SnmpType.OPAQUE: "Opaque",
              SnmpType.COUNTER64: "Counter64", SnmpType.NULL: "NULL"}
WHOLE_TREE: Oid = (1, 3, 6, 1)


@dataclass
class Check:
    """One needed object on this device."""

    loop: str
    name: str
    oid: str
    required: bool
    instances: int
    types: list[str]
    status: str  # "ok", "wrong type", "missing", "empty" (a table with no rows now)
    note: str = ""


@dataclass
class Analysis:
    address: str
    port: int
    credential: str | None
    identity: Identity | None
    checks: list[Check] = field(default_factory=list)
    loops: dict[str, str] = field(default_factory=dict)  # loop -> full / limited / none
    vendor_counters: list[dict[str, Any]] = field(default_factory=list)
    power_save: str = "not tested"
    verdict: str = "not manageable"
    reasons: list[str] = field(default_factory=list)
    records: list[tuple[Oid, SnmpValue]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        identity = self.identity
        return {
            "address": self.address, "port": self.port, "credential": self.credential,
            "identity": None if identity is None else {
                "manufacturer": identity.manufacturer, "model": identity.model,
                "serial": identity.serial, "mac": identity.mac, "name": identity.name,
                "location": identity.location, "engine_cycles": identity.engine_cycles,
                "device_index": identity.device_index, "max_speed": identity.max_speed},
            "loops": {loop: {"status": status, "checks": [
                {k: v for k, v in vars(c).items() if k != "loop"}
                for c in self.checks if c.loop == loop]} for loop, status in self.loops.items()},
            "vendor_counters": self.vendor_counters, "counters_in_power_save": self.power_save,
            "verdict": self.verdict, "reasons": self.reasons, "objects": len(self.records)}


def _check(loop: str, need: Need, records: dict[Oid, SnmpValue], device: int) -> Check:
    prefix = need.oid
    if need.scalar:
        found = [records[(*prefix, 0)]] if (*prefix, 0) in records else []
    else:
        found = [value for oid, value in records.items()
                 if oid[:len(prefix)] == prefix and len(oid) > len(prefix)
                 and oid[len(prefix)] == device]
    kinds = sorted({value[0] for value in found})
    names = [TYPE_NAMES.get(k, k.name) for k in kinds]
    if not found:
        if prefix[:len(oids.ALERT_ENTRY)] == oids.ALERT_ENTRY:  # rows only while alerts last
            return Check(loop, need.name, format_oid(prefix), need.required, 0, [], "empty",
                         "no alert active: raise one (open a cover) and analyse again")
        return Check(loop, need.name, format_oid(prefix), need.required, 0, [], "missing")
    if all(k in need.types for k in kinds):
        return Check(loop, need.name, format_oid(prefix), need.required, len(found), names, "ok")
    usable = all(k in INTEGRAL for k in kinds) and all(k in INTEGRAL for k in need.types)
    expected = " or ".join(TYPE_NAMES[t] for t in sorted(need.types))
    note = (f"typed {'/'.join(names)}, expected {expected}" +
            (": read anyway (an INTEGER counter wraps at 2^31 - 1)" if usable else
             ": unusable"))
    return Check(loop, need.name, format_oid(prefix), need.required, len(found), names,
                 "wrong type", note)


def _loop_status(checks: list[Check]) -> str:
    if any(c.required and (c.status == "missing" or (c.status == "wrong type" and
                                                     c.note.endswith("unusable")))
           for c in checks):
        return "none"
    return "full" if all(c.status in ("ok", "empty") for c in checks) else "limited"


def _power_save(records: dict[Oid, SnmpValue], identity: Identity) -> str:
    status = records.get((*MARKER_STATUS, identity.device_index, identity.marker_index))
    life = records.get((*oids.MARKER_LIFE_COUNT, identity.device_index, identity.marker_index))
    asleep = status is not None and isinstance(status[1], int) and status[1] & 7 == STANDBY
    if not asleep:
        return "not tested: the device is awake (run again while it is in power save)"
    if life is None:
        return "lost: the counters are missing in power save (the agent retries within the day)"
    if life[1] == 0:
        return "lost: the counters read zero in power save (the agent rejects them)"
    return "survive: the counters answer in power save"


def judge(analysis: Analysis) -> None:
    """Fill the loops' status, the verdict and its reasons from the checks."""
    for loop in NEEDS:
        analysis.loops[loop] = _loop_status([c for c in analysis.checks if c.loop == loop])
    reasons = [f"{c.loop} loop: {c.name} {c.status}" + (f" ({c.note})" if c.note else "")
               for c in analysis.checks if c.status not in ("ok", "empty")]
    if any(c.status == "empty" for c in analysis.checks):
        reasons.append("alert loop: prtAlertTable has no rows now, so its columns were not "
                       "checked (raise an alert and analyse again)")
    if analysis.identity is None:
        analysis.verdict = "not manageable"
    elif analysis.loops["identity"] == "none" or analysis.loops["meter"] == "none":
        analysis.verdict = "not manageable"
    elif all(status == "full" for status in analysis.loops.values()):
        analysis.verdict = "manageable"
    else:
        analysis.verdict = "manageable with limitations"
    analysis.reasons = list(dict.fromkeys(reasons))


async def analyse(client: SnmpClient, address: str, port: int,
                  credentials: tuple[Credential, ...], retry: RetryPolicy) -> Analysis:
    """Identify the device with the credentials in order, walk it whole and judge it."""
    discoverer = Discoverer(client, credentials, port, retry)
    identity = await discoverer.identify(address)
    analysis = Analysis(address, port, None, identity)
    if identity is None:
        analysis.reasons = ["no answer to any credential, or no Printer-MIB (not a printer)"]
        return analysis
    analysis.credential = identity.credential
    credential = next(c for c in credentials if c.label == identity.credential)
    analysis.records = await client.walk(credential.target(address, port, retry), WHOLE_TREE)
    records = dict(analysis.records)
    for loop, needs in NEEDS.items():
        analysis.checks.extend(_check(loop, need, records, identity.device_index)
                               for need in needs)
    for counter in vendor_counters(identity.enterprise):
        value = records.get(counter.oid)
        if value is not None:
            analysis.vendor_counters.append({
                "name": counter.name, "oid": format_oid(counter.oid), "meaning": counter.meaning,
                "type": TYPE_NAMES.get(value[0], value[0].name), "value": value[1]})
    analysis.power_save = _power_save(records, identity)
    judge(analysis)
    return analysis


def render(analysis: Analysis) -> str:
    """The analysis for people."""
    identity = analysis.identity
    lines = [f"device {analysis.address}:{analysis.port}"]
    if identity is None:
        return "\n".join([*lines, f"verdict: {analysis.verdict}: {analysis.reasons[0]}"])
    lines[0] += (f" ({analysis.credential}): {identity.manufacturer} {identity.model}, serial "
                 f"{identity.serial or '-'}, MAC {identity.mac or '-'}, "
                 f"{len(analysis.records)} objects")
    for loop, status in analysis.loops.items():
        lines.append(f"{loop} loop: {status}")
        for check in (c for c in analysis.checks if c.loop == loop):
            kind = "/".join(check.types) or "-"
            lines.append(f"  {check.name:<30} {kind:<14} {check.status}"
                         + ("" if check.required else " (optional)")
                         + (f": {check.note}" if check.note else ""))
    if analysis.vendor_counters:
        lines.append("vendor counters:")
        lines.extend(f"  {c['name']:<30} {c['type']:<14} {c['value']}"
                     for c in analysis.vendor_counters)
    lines.append(f"counters in power save: {analysis.power_save}")
    lines.append(f"verdict: {analysis.verdict}")
    lines.extend(f"  - {reason}" for reason in analysis.reasons)
    return "\n".join(lines)
