"""A network fuzzing campaign: batches of inputs, a liveness probe after each, and when the target
stops answering, the last batches saved as a reproducer.

The sending and probing are given as callables (``sender`` wires them to sockets), so the loop
itself is tested without a network, and one loop serves every protocol.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from protolab.clock import Clock
from protolab.errors import ProtolabError
from protolab.logs import get_logger
from tools.netfuzz.fuzz_input import FuzzInput

#: batches kept for the reproducer: the one that killed the target may have needed the one before
KEPT_BATCHES = 2

log = get_logger("tools.netfuzz")


class TargetNotAnsweringError(ProtolabError):
    """The target did not answer the liveness probe before any fuzzed input was sent."""


class InputSource(Protocol):
    def next_input(self) -> FuzzInput: ...


@dataclass(slots=True)
class CampaignResult:
    target: str
    sent: int = 0
    batches: int = 0
    field_inputs: int = 0
    raw_inputs: int = 0
    alive: bool = True
    reproducer: Path | None = None
    seconds: float = 0.0
    answers_seen: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"target": self.target, "sent": self.sent, "batches": self.batches,
                "field_inputs": self.field_inputs, "raw_inputs": self.raw_inputs,
                "alive": self.alive, "seconds": round(self.seconds, 3),
                "reproducer": str(self.reproducer) if self.reproducer else None, **self.extra}


async def run_campaign(source: InputSource, send: Callable[[bytes], Awaitable[None]],
                       alive: Callable[[], Awaitable[bool]], clock: Clock, *, count: int,
                       batch: int, out: Path, describe: dict[str, Any]) -> CampaignResult:
    """Send ``count`` inputs in batches of ``batch``, probing after each; stop at the first
    failed probe and write the reproducer under ``out``."""
    result = CampaignResult(str(describe.get("target", "")))
    if not await alive():
        raise TargetNotAnsweringError(
            f"{result.target} does not answer the liveness probe before fuzzing: expected a "
            "live target (check the address, port, key, site id or community)")
    log.info("fuzzing", target=result.target, count=count, batch=batch)
    started = clock.now()
    kept: deque[list[FuzzInput]] = deque(maxlen=KEPT_BATCHES)
    while result.sent < count:
        inputs = [source.next_input() for _ in range(min(batch, count - result.sent))]
        kept.append(inputs)
        for item in inputs:
            await send(item.data)
        result.sent += len(inputs)
        result.batches += 1
        result.field_inputs += sum(1 for item in inputs if item.kind == "field")
        result.raw_inputs += sum(1 for item in inputs if item.kind == "raw")
        if not await alive():
            result.alive = False
            result.reproducer = write_reproducer(out, describe, result, list(kept))
            log.warning("target stopped answering", target=result.target, sent=result.sent,
                        reproducer=str(result.reproducer))
            break
    result.seconds = clock.now() - started
    return result


def write_reproducer(out: Path, describe: dict[str, Any], result: CampaignResult,
                     batches: list[list[FuzzInput]]) -> Path:
    """``out/reproducer.json`` (the campaign, every kept input in order, as hex) and one
    ``input-NNNN.bin`` per input, to replay with any UDP tool."""
    out.mkdir(parents=True, exist_ok=True)
    inputs = [item for kept in batches for item in kept]
    first = result.sent - len(inputs)
    listed = []
    for i, item in enumerate(inputs):
        name = f"input-{first + i:07d}.bin"
        (out / name).write_bytes(item.data)
        listed.append({"file": name, "number": first + i, **item.as_json()})
    report = {**describe, "sent": result.sent, "batches": result.batches,
              "finding": "the target stopped answering the liveness probe after the last input "
                         "listed; send the inputs in order to reproduce",
              "inputs": listed}
    path = out / "reproducer.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    return path
