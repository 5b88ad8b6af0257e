"""The agent and the analyser against net-snmp's snmpd serving a printer's tree (static values
from ``override`` lines): identity, every loop, a vendor's repeated alert as one record, an
impossible supply level rejected, SNMPv3."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ekm_proto.monitor import queries
from ekm_proto.monitor.agent import MonitorAgent
from ekm_proto.monitor.analyser import analyse
from ekm_proto.monitor.credentials import Credential, community, v3_user
from ekm_proto.monitor.settings import MonitorSettings
from ekm_proto.monitor.store import MonitorStore
from ekm_proto.printer_mib import oids
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.types import Oid, SnmpValue
from emulators.printers.profiles import Profile
from protolab.clock import SystemClock
from tests.ekm_proto.monitor.lab import FAST
from tests.ekm_proto.monitor.snmpd_printer import OVERFULL_SUPPLY, start_printer_snmpd
from tests.ekm_proto.snmp.snmpd_agent import AUTH_KEY, COMMUNITY, PRIV_KEY, USER, RunningSnmpd

PROFILE = "hp-laserjet-m757"


@pytest.fixture(scope="module")
def snmpd_printer(tmp_path_factory: pytest.TempPathFactory, profiles: dict[str, Profile]
                  ) -> Iterator[tuple[RunningSnmpd, dict[Oid, SnmpValue]]]:
    try:
        agent, records = start_printer_snmpd(tmp_path_factory.mktemp("snmpd-printer"),
                                             profiles[PROFILE])
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield agent, records
    finally:
        agent.stop()


async def run_once(db: Path, snmpd: RunningSnmpd, credential: Credential) -> MonitorStore:
    settings = MonitorSettings(db=db, credentials=(community("wrong", 1), credential),
                               points=(snmpd.host,), port=snmpd.port, retry=FAST,
                               discovery_retry=FAST)
    store = MonitorStore(db)
    async with SnmpClient(SystemClock(), local_address=("127.0.0.1", 0)) as client:
        await MonitorAgent(settings, clock=SystemClock(), client=client, store=store).run(
            once=True)
    return store


@pytest.mark.parametrize("credential", [
    community(COMMUNITY, 2), v3_user(USER, auth_key=AUTH_KEY, priv_key=PRIV_KEY)],
    ids=["v2c", "v3"])
async def test_the_agent_reads_a_printer_served_by_snmpd(
        snmpd_printer: tuple[RunningSnmpd, dict[Oid, SnmpValue]], tmp_path: Path,
        profiles: dict[str, Profile], credential: Credential) -> None:
    snmpd, records = snmpd_printer
    store = await run_once(tmp_path / "snmpd.db", snmpd, credential)
    connection = store.connection
    [device] = queries.devices(connection)
    profile = profiles[PROFILE]
    assert (device["manufacturer"], device["model"], device["location"]) == (
        "HP", profile.printer_name, "Floor 2, copy room")
    assert device["serial"].encode() == records[(*oids.GENERAL_SERIAL_NUMBER, 1)][1]
    assert device["mac"] and device["credential"] == credential.label
    meters = {m["name"]: m["value"] for m in queries.meters(connection)}
    assert meters["prtMarkerLifeCount"] == records[(*oids.MARKER_LIFE_COUNT, 1, 1)][1]
    assert len(meters) == 2 + len(profile.counters)
    supplies = queries.supplies(connection)
    assert [s["index"] for s in supplies] == [s.index for s in profile.supplies
                                              if s.index != OVERFULL_SUPPLY]
    [rejected] = queries.rejections(connection)
    assert rejected["name"].startswith(f"supply {OVERFULL_SUPPLY}") and \
        "outside capacity" in rejected["reason"]
    assert [t["name"] for t in queries.trays(connection)] == [t.name for t in profile.trays]
    [jam] = queries.alerts(connection)  # two rows, one condition
    assert (jam["code_name"], jam["severity"], jam["description"]) == (
        "jam", "Critical", "Paper jam near the fuser.")
    store.close()


async def test_the_analyser_judges_the_snmpd_printer(
        snmpd_printer: tuple[RunningSnmpd, dict[Oid, SnmpValue]]) -> None:
    snmpd, _ = snmpd_printer
    async with SnmpClient(SystemClock(), local_address=("127.0.0.1", 0)) as client:
        analysis = await analyse(client, snmpd.host, snmpd.port, (community(COMMUNITY, 1),),
                                 FAST)
    assert analysis.identity is not None and analysis.identity.manufacturer == "HP"
    assert analysis.loops == {"alert": "full", "identity": "full", "meter": "full",
                              "consumables": "full", "tray": "full"}
    assert analysis.verdict == "manageable"
    assert len(analysis.records) > 1000  # snmpd's own MIB-II and host tables too
