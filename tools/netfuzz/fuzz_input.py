"""One fuzzed datagram and what made it, as a reproducer lists it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["field", "raw"]


@dataclass(frozen=True, slots=True)
class FuzzInput:
    #: the datagram sent
    data: bytes
    #: "field": a field-aware mutation, re-encoded (and re-encrypted, re-checksummed);
    #: "raw": bytes mutated after encoding
    kind: Kind
    #: what was mutated, for a person reading the reproducer
    note: str

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "note": self.note, "hex": self.data.hex()}
