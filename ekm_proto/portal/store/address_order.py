"""The order a person expects of device addresses: 10.0.0.9 before 10.0.0.10 (as text it comes
after), IPv4 before IPv6 before names. Stored beside each address so the asset list sorts on an
index in SQLite and PostgreSQL alike, with no backend function."""

from __future__ import annotations

import ipaddress


def address_sort_key(address: str | None) -> str | None:
    """A text whose order is the addresses' (None stays None: empty values sort last)."""
    if address is None or address == "":
        return None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "9" + address.lower()
    if isinstance(parsed, ipaddress.IPv4Address):
        return f"4{int(parsed):08x}"
    return f"6{int(parsed):032x}"
