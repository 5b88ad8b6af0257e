"""Fleet-wide counters by reason, for the control API's ``GET /stats``: what every device's
endpoint counted (frames in and out by command, rejections by reason, replays by reason, NAKs
sent, TCP reconnects ...), the discovery sockets, the shared device sockets and the loops."""

from __future__ import annotations

from collections import Counter
from typing import Any

from emulators.kantech.fleet_runtime import KantechFleet


def fleet_counters(fleet: KantechFleet) -> dict[str, Any]:
    endpoints: Counter[str] = Counter()
    for device in fleet.devices:
        endpoints.update(device.endpoint.stats)
    discovery: Counter[str] = Counter()
    for responder in fleet.responders.values():
        discovery.update(responder.stats)
    loops: Counter[str] = Counter()
    for loop_device in fleet.loop_devices():
        loops["controllers"] += 1
        loops["events_queued"] += loop_device.loop.backlog(loop_device.address)
    seen = {id(d.loop): d.loop for d in fleet.loop_devices()}
    for loop in seen.values():
        loops["events_sent"] += loop.stats.events_sent
        loops["presences_sent"] += loop.stats.presences_sent
        loops["bad_requests"] += loop.stats.bad_requests
        loops["unanswered"] += loop.stats.unanswered
        loops["bytes_in"] += loop.stats.bytes_in
        loops["bytes_out"] += loop.stats.bytes_out
    return {
        "devices": len(fleet.devices),
        "online": sum(d.online for d in fleet.devices),
        "models_built": sum(d.model_built for d in fleet.devices),
        "events_queued": sum(d.events_waiting for d in fleet.devices),
        "events_dropped": sum(d.events.dropped_total for d in fleet.devices),
        "endpoints": dict(sorted(endpoints.items())),
        "discovery": dict(sorted(discovery.items())),
        "shared_sockets": {"not_addressed": fleet.not_addressed,
                           "send_errors": sum(s.send_errors
                                              for s in fleet.device_sockets.values())},
        "loops": dict(sorted(loops.items())),
    }
