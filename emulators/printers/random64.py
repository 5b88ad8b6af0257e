"""A 64-bit SplitMix generator whose whole state is one int a printer keeps in a slot.

``random.Random`` carries 2.5 KiB of Mersenne Twister state; 100,000 printers each needing their own
reproducible stream would spend 250 MB on it. SplitMix64 needs 8 bytes and is good enough for
simulated office workloads.
"""

from __future__ import annotations

import math

_MASK = (1 << 64) - 1
_GAMMA = 0x9E3779B97F4A7C15


def step(state: int) -> tuple[int, float]:
    """(next state, uniform float in [0, 1))."""
    state = (state + _GAMMA) & _MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return state, (z >> 11) * (1.0 / (1 << 53))


class Rng:
    """A borrowed view of a printer's generator: take it, draw, then store ``state`` back."""

    __slots__ = ("state",)

    def __init__(self, state: int) -> None:
        self.state = state & _MASK

    def random(self) -> float:
        self.state, value = step(self.state)
        return value

    def uniform(self, lo: float, hi: float) -> float:
        return lo + (hi - lo) * self.random()

    def chance(self, p: float) -> bool:
        return self.random() < p

    def exponential(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.random())

    def geometric(self, mean: float) -> int:
        """A count >= 1 with the given mean (job page counts: many short jobs, a few long)."""
        if mean <= 1.0:
            return 1
        p = 1.0 / mean
        return 1 + int(math.log(1.0 - self.random()) / math.log(1.0 - p))

    def randint(self, lo: int, hi: int) -> int:
        return lo + int(self.random() * (hi - lo + 1))
