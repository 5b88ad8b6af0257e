"""The progress display: lines from two snapshots, and redrawing in place on a terminal."""

from __future__ import annotations

import asyncio
import io

from ekm_proto.monitor.progress import ProgressDisplay, render
from protolab.clock import ManualClock


def snapshot(requests: int, done: int) -> dict[str, object]:
    loop = {"passes": 2, "done": done, "total": 100, "answered": 190, "failed": 10,
            "last_seconds": 12.5}
    return {"devices": 100, "unavailable": 3, "discovering": (50, 200), "requests": requests,
            "retransmitted": 7, "timeouts": 2, "in_flight": 16, "outbox": 40, "rejections": 5,
            "loops": {name: dict(loop) for name in ("alert", "identity", "meter",
                                                    "consumables", "tray")}}


def test_lines_say_devices_rates_passes_and_rejections() -> None:
    lines = render(snapshot(1500, 40), snapshot(500, 0), 2.0)
    assert lines[0].startswith("devices 100 (3 unavailable)  requests 500/s (16 in flight")
    assert "rejections 5" in lines[0]
    assert lines[1] == "discovery 50/200 addresses"
    assert lines[2].split()[:6] == ["alert", "passes", "2", "now", "40/100", "last"]
    assert "12.5 s" in lines[2] and render(snapshot(1, 100), None, 0)[2].split()[4] == "idle"


async def test_a_terminal_gets_the_lines_redrawn_in_place() -> None:
    clock = ManualClock()
    stream = io.StringIO()
    counter = iter(range(0, 10_000, 1000))
    display = ProgressDisplay(lambda: snapshot(next(counter), 10), clock, stream, interval=1.0)
    task = asyncio.ensure_future(display.run())
    await clock.advance_async(2.0)
    task.cancel()
    text = stream.getvalue()
    assert text.count("devices 100") == 2 and "\x1b[7F" in text  # up seven lines, redraw
    assert "requests 1,000/s" in text


def test_the_trap_port_s_counts_are_shown_when_it_listens() -> None:
    listening = dict(snapshot(10, 1), traps={"received": 12, "accepted": 9, "answered": 3,
                                              "unknown_source": 2, "bad_credentials": 1,
                                              "malformed": 0, "kinds": {}})
    [line] = [line for line in render(listening, None, 0) if line.startswith("traps")]
    assert line == ("traps 12 received, 9 read at once  ignored: 2 unknown source, "
                    "1 bad credentials, 0 malformed")
    assert not any(line.startswith("traps") for line in render(snapshot(10, 1), None, 0))
