"""One simulated day of what an agent ships for a mixed fleet: outbox rows, per device.

The printer emulator's twelve profiles, spread by their fleet weight, give each device its real
counter names and supplies. A device's day: its asset record (a daily identity confirmation),
one meter reading (the overview: counts go up once a day), its supply levels, and the alerts,
availability changes and moves a fleet sees on an ordinary day (rates below, stated in
BENCHMARKS.md beside the figures).
"""

from __future__ import annotations

import random
from typing import Any

from ekm_proto.printer_mib import textual_conventions as tc
from emulators.printers.profiles import Profile, load_profiles

DAY_START = 1594598400.0  # 2020-07-13T00:00:00Z
ALERTS_PER_DEVICE_DAY = 0.4  # alerts opened (each also clears the same day)
UNAVAILABLE_SHARE = 0.02  # devices that go away and come back during the day
MOVED_SHARE = 0.005
_SUPPLY_TYPES = tc.names(tc.SUPPLY_TYPES)
ALERT_TEXTS = (
    (8, 13, 3, 3, "077-103", "A paper jam has been detected near the Fuser and Front Cover. "
                             "User intervention is required to clear paper jam."),
    (808, 8, 4, 3, "075-451", "Tray 2 is empty. User intervention is required to add paper to "
                              "Tray 2. Printing can continue."),
    (1104, 11, 4, 3, None, "Black Cartridge is low."),
    (3, 6, 3, 3, None, "Front door is open. Close it to continue."),
)


def _counters(profile: Profile, age_pages: int, rng: random.Random) -> list[dict[str, Any]]:
    counters = []
    for spec in profile.counters:
        share = {"total": 1.0, "mono": 0.6, "colour": 0.4, "mono_small": 0.55,
                 "colour_small": 0.35, "mono_large": 0.05, "colour_large": 0.05,
                 "a4_total": 1.1}.get(spec.source, 0.2)
        counters.append({"name": spec.name, "value": int(age_pages * share * rng.uniform(0.9, 1.1))})
    if not counters:
        counters.append({"name": "total printed pages", "value": age_pages})
    return counters


def fleet_day(devices: int, seed: int = 0) -> list[tuple[str, dict[str, Any]]]:
    """The (kind, payload) rows ``devices`` printers produce in one day, device by device."""
    rng = random.Random(seed)
    profiles = list(load_profiles().values())
    weights = [p.fleet_weight for p in profiles]
    rows: list[tuple[str, dict[str, Any]]] = []
    for index in range(devices):
        profile = rng.choices(profiles, weights)[0]
        serial = f"{profile.vendor[:2].upper()}{index:08d}"
        address = f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"
        mac = f"{rng.getrandbits(48):012X}"
        rows.append(("asset", {
            "serial": serial, "manufacturer": profile.vendor, "model": profile.model,
            "address": address, "mac": mac, "asset_number": f"EQ{index:06d}",
            "location": "Floor " + str(index % 7), "zone": f"Site {index % 25}",
            "engine_cycles": rng.randrange(1000, 400000), "at": DAY_START + 600,
            "discovered_at": DAY_START - rng.randrange(1, 900) * 86400}))
        age = int(profile.usage.pages_per_day * rng.randrange(30, 1500))
        rows.append(("meters", {"serial": serial, "read_at": DAY_START + 7200,
                                "counters": _counters(profile, age, rng)}))
        rows.append(("supplies", {"serial": serial, "read_at": DAY_START + 3600, "supplies": [
            {"index": s.index, "description": s.description, "type": _SUPPLY_TYPES[s.type],
             "colour": s.colorant, "level": rng.randrange(0, s.max_capacity + 1)
             if s.max_capacity > 0 else -3, "max_capacity": s.max_capacity}
            for s in profile.supplies]}))
        alerts = sum(rng.random() < ALERTS_PER_DEVICE_DAY / 2 for _ in range(2))
        for number in range(alerts):
            code, group, severity, training, vendor, text = rng.choice(ALERT_TEXTS)
            opened = DAY_START + rng.randrange(28800, 64800)
            alert = {"serial": serial, "key": f"{index}-{number}", "code": code, "group": group,
                     "severity": severity, "training": training, "description": text,
                     "vendor_code": vendor, "opened_at": opened, "engine_cycles": age}
            rows.append(("alert", {**alert, "event": "opened"}))
            rows.append(("alert", {**alert, "event": "cleared",
                                   "cleared_at": opened + rng.randrange(60, 7200)}))
        if rng.random() < UNAVAILABLE_SHARE:
            gone = DAY_START + rng.randrange(0, 40000)
            rows.append(("availability", {"serial": serial, "available": False, "at": gone,
                                          "reason": "Device busy/unavailable"}))
            rows.append(("availability", {"serial": serial, "available": True, "at": gone + 3600,
                                          "reason": "Monitoring resumed. This device is now "
                                                    "responding"}))
        if rng.random() < MOVED_SHARE:
            rows.append(("change", {"serial": serial, "kind": "move", "old": address,
                                    "new": address + "0", "at": DAY_START + 50000}))
    return rows
