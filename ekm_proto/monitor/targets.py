"""Where to look for printers: IP ranges (``A-B``, ``A-N`` for the last octet, CIDR), point
addresses, and an imported CSV asset list (address, optional serial, asset number, zone).

SNMP only: the agent never pings, broadcasts or multicasts, so a range is just the list of
addresses it will ask; the list is produced lazily and bounded, so a typo such as a /8 is an
error rather than sixteen million requests.
"""

from __future__ import annotations

import csv
import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from protolab.errors import ConfigurationError

MAX_RANGE = 1 << 20  # addresses in one range or network


@dataclass(frozen=True, slots=True)
class Asset:
    """One line of an imported asset list: where a device is expected, and what the customer
    calls it (asset number, zone); the serial, if given, is checked against the device."""

    address: str
    serial: str = ""
    asset_number: str = ""
    zone: str = ""


def _address(text: str, what: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        raise ConfigurationError(f"{what} {text!r}: expected an IP address such as "
                                 "192.168.1.80") from None


def parse_range(text: str) -> tuple[str, ...]:
    """The addresses of ``A-B`` (inclusive), ``A-N`` (last octet up to N) or a CIDR network
    (its hosts: without network and broadcast addresses for IPv4 prefixes up to /30)."""
    what = "range"
    text = text.strip()
    if "/" in text:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise ConfigurationError(f"range {text!r}: expected A-B or a network such as "
                                     "192.168.1.0/24") from None
        if network.num_addresses > MAX_RANGE:
            raise ConfigurationError(f"range {text!r} holds {network.num_addresses:,} addresses; "
                                     f"expected at most {MAX_RANGE:,} per range")
        return tuple(str(a) for a in network.hosts())
    first_text, dash, last_text = text.partition("-")
    if not dash:
        raise ConfigurationError(f"range {text!r}: expected A-B (192.168.1.10-192.168.1.99), "
                                 "A-N (192.168.1.10-99) or a network (192.168.1.0/24)")
    first = _address(first_text, what)
    last: ipaddress.IPv4Address | ipaddress.IPv6Address
    octet = last_text.strip()  # ASCII digits only: "²" and "\x1e5" pass isdigit/strip, not int()
    if octet.isascii() and octet.isdigit() and first.version == 4 and int(octet) <= 255:
        last = ipaddress.IPv4Address((int(first) & ~0xFF) | int(octet))
    else:
        last = _address(last_text, what)
    if last.version != first.version or int(last) < int(first):
        raise ConfigurationError(f"range {text!r}: expected the first address before the last")
    count = int(last) - int(first) + 1
    if count > MAX_RANGE:
        raise ConfigurationError(f"range {text!r} holds {count:,} addresses; expected at most "
                                 f"{MAX_RANGE:,} per range")
    kind = type(first)
    return tuple(str(kind(int(first) + i)) for i in range(count))


def parse_point(text: str) -> str:
    return str(_address(text, "point address"))


_COLUMNS = {"address": ("address", "ip", "ip address", "ip_address"),
            "serial": ("serial", "serial number", "serial_number"),
            "asset_number": ("asset", "asset number", "asset_number"),
            "zone": ("zone", "site", "location")}


def read_assets(path: Path) -> list[Asset]:
    """An asset list from a file (see parse_assets)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot read the asset list: {exc.strerror}",
                                 source=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigurationError(f"{path}: the asset list is not UTF-8 text",
                                 source=str(path)) from None
    return parse_assets(text, path)


def parse_assets(text: str, path: Path | str) -> list[Asset]:
    """An asset list: a CSV with a header naming at least an address column (also accepted:
    ip, "IP Address"); serial, asset number and zone columns are optional. ``path`` names the
    source in errors."""
    try:
        return _assets(text, path)
    except csv.Error as exc:
        raise ConfigurationError(f"{path}: not a CSV file: {exc}", source=str(path)) from None


def _assets(text: str, path: Path | str) -> list[Asset]:
    rows = csv.reader(text.splitlines())
    header = next(rows, None)
    if header is None:
        raise ConfigurationError(f"{path}: the asset list is empty; expected a header line "
                                 "such as address,serial,asset_number,zone", source=str(path))
    names = [h.strip().lower() for h in header]
    where = {key: next((i for i, n in enumerate(names) if n in spellings), None)
             for key, spellings in _COLUMNS.items()}
    if where["address"] is None:
        raise ConfigurationError(f"{path}: no address column in the header {header!r}; "
                                 "expected address,serial,asset_number,zone", source=str(path))
    assets = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row: list[str] = row) -> str:
            i = where[key]
            return row[i].strip() if i is not None and i < len(row) else ""

        try:
            address = parse_point(cell("address"))
        except ConfigurationError as exc:
            raise ConfigurationError(f"{path}:{number}: {exc}", source=str(path)) from None
        assets.append(Asset(address, cell("serial"), cell("asset_number"), cell("zone")))
    return assets


def candidates(ranges: Iterable[str], points: Iterable[str],
               assets: Iterable[Asset] = ()) -> Iterator[str]:
    """Every address to ask, once each, in the order given (points and assets first: they are
    known devices)."""
    seen: set[str] = set()
    for address in (*(parse_point(p) for p in points), *(a.address for a in assets)):
        if address not in seen:
            seen.add(address)
            yield address
    for text in ranges:
        for address in parse_range(text):
            if address not in seen:
                seen.add(address)
                yield address
