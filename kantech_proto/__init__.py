"""Sans-IO codecs and protocol endpoints for Kantech controllers (WIRE.md profile "kt-v1")."""
