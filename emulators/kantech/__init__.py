"""Emulated Kantech controllers (KT-400, KT-1, IP-Link and its KT-100/KT-300 loop)."""
