"""The protocol reference for gateway authors, generated from kantech_proto's own schemas and
tables (``python -m tools.reference.generate`` writes docs/kantech-protocol.md; ``protolab kantech
spec [--json]`` prints it)."""
