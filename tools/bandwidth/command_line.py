"""What a SmartLink command line costs: the paper counts one byte per character of its
notation (``<2>`` is three characters); on the wire STX, FS and ETX are one byte each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kantech_proto.smartlink import (
    SmartLinkCommand,
    format_notation,
    notation_length,
    parse_notation,
)
from protolab.errors import ConfigurationError, ProtolabError
from tools.bandwidth.tables_protocols import PACKET_OVERHEAD


@dataclass(frozen=True, slots=True)
class CommandLineCost:
    command: SmartLinkCommand

    @property
    def wire_bytes(self) -> int:
        return len(self.command.encode())

    @property
    def notation_bytes(self) -> int:
        """The paper's count (50 for its example)."""
        return notation_length(self.command)

    def as_json(self) -> dict[str, Any]:
        return {"notation": format_notation(self.command), "pairs": dict(self.command.pairs),
                "wire_bytes": self.wire_bytes, "notation_bytes": self.notation_bytes,
                "tcpip_bytes": self.wire_bytes + PACKET_OVERHEAD,
                "hex": self.command.encode().hex()}


def command_line_cost(text: str) -> CommandLineCost:
    """Cost of a line written in the paper's notation; ConfigurationError when it is not one."""
    try:
        return CommandLineCost(parse_notation(text))
    except ProtolabError as exc:
        raise ConfigurationError(f"command line {text!r}: {exc}") from None
