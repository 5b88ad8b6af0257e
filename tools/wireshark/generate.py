"""``python -m tools.wireshark.generate [--check]``: (re)write protolab_kantech.lua.

The dissector is the generated data section (kantech_proto's layouts and code tables) followed
by the hand-written engine (engine.lua). ``--check`` exits 1 when the committed file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kantech_proto.wire_schema import build_schema
from tools.generated_file import generate_main
from tools.wireshark.lua_emit import generated_section

HERE = Path(__file__).resolve().parent
ENGINE = HERE / "engine.lua"
DISSECTOR = HERE / "protolab_kantech.lua"

HEADER = """\
-- protolab_kantech.lua: Wireshark dissector for Kantech kt-v1 (WIRE.md), from protolab.
-- GENERATED: do not edit. Change tools/wireshark/engine.lua or kantech_proto, then run
--   python -m tools.wireshark.generate
-- Install: protolab wireshark install (or copy into ~/.local/lib/wireshark/plugins/).
-- Preferences: kantech.key (AES key text), kantech.aes_mode, kantech.checksum, ports.
"""


def dissector_text() -> str:
    return HEADER + "\n" + generated_section(build_schema()) + "\n" + ENGINE.read_text()


def main(argv: list[str] | None = None) -> int:
    return generate_main("tools.wireshark.generate", __doc__, DISSECTOR, dissector_text, argv)


if __name__ == "__main__":
    sys.exit(main())
