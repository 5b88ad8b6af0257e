"""Moves and changes against emulated printers: a printer moved to another address, another
printer swapped in at a known address, a new location, a device gone; SNMPv3 credentials tried
in order; a printer that answers only after retries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ekm_proto.monitor import queries
from ekm_proto.monitor.credentials import community, v3_user
from ekm_proto.snmp.agent.engine import SecurityConfig
from ekm_proto.snmp.manager.targets import RetryPolicy
from ekm_proto.snmp.usm import UsmUser
from emulators.printers.profiles import Profile

USER = UsmUser("monitor", "SHA", "monitor-auth-1", "AES", "monitor-priv-1")


def changes(agent: Any, kind: str) -> list[dict[str, Any]]:
    return [c for c in queries.changes(agent.store.connection) if c["kind"] == kind]


async def test_moves_swaps_and_location_changes_are_change_events(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    chosen = [profiles[n] for n in ("hp-laserjet-m757", "kyocera-fs-6950dn", "epson-wf-s190dw")]
    printers, agent = await lab(chosen, 3, "127.45.0.1", points=(),
                                ranges=("127.45.0.1-127.45.0.10",), gone_after=3600.0)
    agent.start()
    await agent.settle()
    first, second, third = printers.fleet.printers
    old_second = second.serial
    assert len(queries.devices(agent.store.connection)) == 3

    await printers.control("POST", "/printers/0/move", {"address": "127.45.0.9"})
    swapped = await printers.control("POST", "/printers/1/swap", {})
    third.write("sysLocation", "Floor 3, copy room")  # what an administrator's SET does
    await agent.advance(10 * 60)  # an identity pass: the swap and the location
    [swap] = changes(agent, "swap")
    assert (swap["old"], swap["new"], swap["serial"]) == (old_second, swapped["printer"]["serial"],
                                                          swapped["printer"]["serial"])
    [location] = changes(agent, "location")
    assert (location["old"], location["new"]) == ("", "Floor 3, copy room")
    await agent.agent.discover()  # rediscovery finds the moved printer
    [move] = changes(agent, "move")
    assert (move["serial"], move["old"], move["new"]) == (first.serial, "127.45.0.1",
                                                          "127.45.0.9")
    devices = {d["serial"]: d for d in queries.devices(agent.store.connection)}
    assert devices[first.serial]["address"] == "127.45.0.9"
    assert devices[old_second]["status"] == "gone"
    assert devices[swapped["printer"]["serial"]]["address"] == "127.45.0.2"
    assert devices[third.serial]["location"] == "Floor 3, copy room"
    kinds = [m.kind for m in agent.store.outbox_pending(1000)]
    assert kinds.count("change") == len(queries.changes(agent.store.connection))

    await printers.control("POST", "/printers/2/offline")
    await agent.advance(2 * 3600, step=600)
    await agent.agent.discover()
    [gone] = [c for c in changes(agent, "gone") if c["serial"] == third.serial]
    assert gone["old"] == third.address


async def test_v3_credentials_are_tried_in_order_and_remembered(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    security = SecurityConfig(communities=["not-public"], users=[USER])
    credentials = (community("public", 1), v3_user("monitor", auth_key="monitor-auth-1",
                                                   priv_key="monitor-priv-1"))
    _printers, agent = await lab([profiles["samsung-clp-660n"]], 2, "127.45.1.1",
                                printer_options={"security": security},
                                credentials=credentials)
    await agent.agent.run(once=True)
    devices = queries.devices(agent.store.connection)
    assert [d["credential"] for d in devices] == ["v3 user monitor (authPriv)"] * 2
    assert len(queries.meters(agent.store.connection)) >= 2 * 3
    assert len(queries.supplies(agent.store.connection)) == 2 * len(
        profiles["samsung-clp-660n"].supplies)
    tries = agent.agent.discoverer.attempts
    assert tries == 4  # each printer: the community (silence), then the v3 user
    await agent.agent.discover()
    assert agent.agent.discoverer.attempts == tries + 2  # the v3 user first this time


async def test_a_slow_printer_gets_a_patient_policy_after_failing_once(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    printers, agent = await lab(
        [profiles["hp-officejet-7210"]], 1, "127.45.3.1", printer_options={
            "real_time_answers": True}, retry=RetryPolicy(timeout=0.2, retries=0),
        discovery_retry=RetryPolicy(timeout=1.0, retries=0),
        slow_retry=RetryPolicy(timeout=1.0, retries=0))
    await printers.control("POST", "/printers/0/quirks", {"response_delay": 0.5})
    agent.start()
    await agent.settle()  # discovered (patient discovery), then every first read timed out
    assert len(queries.devices(agent.store.connection)) == 1
    assert queries.meters(agent.store.connection) == []
    failures = agent.agent.loops["alert"].failed
    assert failures == 1
    await agent.advance(20 * 60)  # next passes: the patient policy waits long enough
    assert queries.meters(agent.store.connection)
    assert agent.agent.loops["alert"].failed == failures
    assert queries.devices(agent.store.connection)[0]["available"] is True


async def test_a_printer_dropping_half_its_requests_is_read_after_retries(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    patient = RetryPolicy(timeout=0.2, retries=6, backoff=1.0)
    printers, agent = await lab([profiles["kyocera-ecosys-m6026cdn"]], 1, "127.45.2.1",
                                retry=patient, discovery_retry=patient, slow_retry=patient)
    await printers.control("POST", "/printers/0/quirks", {"drop_rate": 0.5})
    await agent.agent.run(once=True)
    assert agent.client.manager.stats.retransmitted > 0
    assert len(queries.devices(agent.store.connection)) == 1
    assert queries.meters(agent.store.connection)
    assert queries.supplies(agent.store.connection)
