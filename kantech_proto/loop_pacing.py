"""How fast a master may talk on an RS-485 loop: a byte budget per second (paper tables 10, 11).

A loop's bandwidth is a fixed rate per site (1000 bytes/s by default), so adding controllers
lengthens a polling round instead of raising the rate. After each exchange the master spends
(bytes exchanged / rate) seconds of schedule; the IP-Link polling its own loop and a gateway
polling through TUNNEL pace themselves with the same rule. Time comes in as values.
"""

from __future__ import annotations

from kantech_proto.errors import ConfigurationError

DEFAULT_RATE = 1000.0  # bytes/s per site, paper table 10 (corporate gateway default)
#: how far behind its schedule a master may fall before it forgets the debt, so a stalled event
#: loop does not turn into a burst of exchanges above the configured rate
MAX_CATCH_UP = 0.05
POLL_BYTES = 4  # address, POLL, length 0, checksum


class BytePacer:
    """When the next exchange may start, given the bytes the previous ones moved."""

    __slots__ = ("_slot", "rate")

    def __init__(self, rate: float = DEFAULT_RATE) -> None:
        if not rate > 0:
            raise ConfigurationError(f"loop rate {rate} bytes/s: expected a positive number")
        self.rate = rate
        self._slot: float | None = None

    def after(self, started: float, octets: int) -> float:
        """Account an exchange of ``octets`` bytes begun at ``started``; returns when the next
        one may begin."""
        slot = started if self._slot is None else max(self._slot, started - MAX_CATCH_UP)
        self._slot = slot + octets / self.rate
        return self._slot
