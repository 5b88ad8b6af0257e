"""What a device logs about frames it drops and requests it refuses: one line per reason per
interval (the rest counted in ``suppressed``), naming the device, its address, the peer, what
was wrong and what was expected. Made on a device's first drop: most never need one."""

from __future__ import annotations

from kantech_proto.codes import Command
from kantech_proto.endpoint_events import Address
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

#: at most one line per device and reason per this many seconds; the rest are counted
REJECT_LOG_INTERVAL = 5.0

log = get_logger("kantech.emulate")


def command_name(code: int) -> str:
    try:
        return Command(code).name
    except ValueError:
        return f"0x{code:02x}"


def peer_text(peer: Address) -> str:
    if isinstance(peer, tuple) and len(peer) >= 2:
        return f"{peer[0]}:{peer[1]}"
    return str(peer)


class DeviceLog:
    __slots__ = ("device", "throttle")

    def __init__(self, device: str) -> None:
        self.device = device
        self.throttle = LogThrottle(REJECT_LOG_INTERVAL)

    def dropped(self, now: float, address: str, peer: Address, reason: str, detail: str,
                expected: str) -> None:
        suppressed = self.throttle.allow(now, reason)
        if suppressed is not None:
            log.warning("frame dropped", device=self.device, address=address,
                        peer=peer_text(peer), reason=reason, detail=detail, expected=expected,
                        suppressed=suppressed)

    def refused(self, now: float, address: str, peer: Address, command: str, nak: str,
                detail: str) -> None:
        """An authentic request answered NAK: the field and what was expected."""
        suppressed = self.throttle.allow(now, f"nak.{nak}")
        if suppressed is not None:
            log.warning("request refused", device=self.device, address=address,
                        peer=peer_text(peer), command=command, nak=nak, detail=detail,
                        suppressed=suppressed)
