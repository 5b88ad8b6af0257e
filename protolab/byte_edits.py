"""Byte-level edits of the kinds libFuzzer makes, for harnesses without atheris's own mutator
(protolab's CI smoke run, a hypothesis test) and as the inner edit of the structure-aware
mutators."""

from __future__ import annotations

import random


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """One random edit of the kinds libFuzzer makes: flip, set, insert, delete, truncate, repeat."""
    buf = bytearray(data)
    choice = rng.randrange(7)
    if not buf or choice == 0:
        buf[len(buf):] = rng.randbytes(rng.randrange(1, 8))
    elif choice == 1:
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    elif choice == 2:
        buf[rng.randrange(len(buf))] = rng.choice((0x00, 0x01, 0x7F, 0x80, 0x99, 0xFF,
                                                   rng.randrange(256)))
    elif choice == 3:
        i = rng.randrange(len(buf) + 1)
        buf[i:i] = rng.randbytes(rng.randrange(1, 5))
    elif choice == 4:
        i = rng.randrange(len(buf))
        del buf[i: i + rng.randrange(1, 5)]
    elif choice == 5:
        del buf[rng.randrange(len(buf)):]
    else:
        i = rng.randrange(len(buf))
        buf[i:i] = buf[i: i + rng.randrange(1, 17)]
    return bytes(buf)
