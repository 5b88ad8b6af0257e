"""IP frames decoded-and-verified and encoded per second on one core, AES and checksum included.

Goal (issue 2): >= 50,000 each. The mix is what a gateway sees most: heartbeats, status replies
and access events.
"""

from __future__ import annotations

import datetime
import os
import time

from bench.benchmarks_md import write_section
from kantech_proto.codes import DeviceModel
from kantech_proto.controller_status import ControllerStatus
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import Message, Pulse, StatusQuery, StatusReply
from kantech_proto.wire_profile import WireProfile

GOAL = 50_000
DURATION = 2.0


def _mix() -> list[Message]:
    when = KantechDateTime.from_datetime(datetime.datetime(2026, 11, 21, 9, 0, 0))
    messages: list[Message] = [Pulse(False), Pulse(True), StatusQuery(),
                               StatusReply(ControllerStatus(DeviceModel.KT_400, (1, 2, 3), when))]
    try:
        from kantech_proto.controller_events import ControllerEvent
        from kantech_proto.messages import Event

        messages.append(Event(ControllerEvent.access(when, 1, 0x00C0FFEE)))
    except (ImportError, AttributeError, TypeError):
        pass
    return messages


def _rate(fn: object, items: list, duration: float = DURATION) -> float:
    call = fn
    done = 0
    start = time.perf_counter()
    while True:
        for item in items:
            call(item)  # type: ignore[operator]
        done += len(items)
        elapsed = time.perf_counter() - start
        if elapsed >= duration:
            return done / elapsed


def measure(profile: WireProfile) -> tuple[float, float, float]:
    codec = IpFrameCodec("bench-key-16byte", profile)
    mac = bytes.fromhex("00a0c2000001")
    frames = [IpFrame(1, mac, i, i, m) for i, m in enumerate(_mix())] * 50
    wires = [codec.encode(f) for f in frames]
    mean_size = sum(map(len, wires)) / len(wires)
    return _rate(codec.decode, wires), _rate(codec.encode, frames), mean_size


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rows = []
    for profile in (WireProfile(), WireProfile.from_names("sum16", "ecb")):
        decode, encode, size = measure(profile)
        verdict = "meets" if min(decode, encode) >= GOAL else "MISSES"
        rows.append(f"| {profile.checksum} / {profile.aes_mode} | {decode:,.0f} | {encode:,.0f} "
                    f"| {size:.0f} | {verdict} the {GOAL:,}/s goal |")
        print(rows[-1], flush=True)
    body = ("One core (process pinned), mixed frames (PULSE, STATUS_QUERY, STATUS_REPLY, EVENT), "
            "full decode = framing + checksum + AES + validation + command data layout.\n\n"
            "| profile | decoded+verified /s | encoded /s | mean frame bytes | |\n"
            "|---|---|---|---|---|\n" + "\n".join(rows))
    write_section("kantech-frames", "make bench  (or: .venv/bin/python -m bench kantech_frames)",
                  body)


if __name__ == "__main__":
    main()
