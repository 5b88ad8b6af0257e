"""Who a printer is: serial number, MAC, SNMP engine id and sysName, derived from its slot number.

Derivations are bijections of the slot number, so 100,000 printers get distinct serials and MACs
without a set of used values in memory, and the same fleet seed always yields the same identities.
"""

from __future__ import annotations

import zlib

_PLACEHOLDERS = {"#": "0123456789", "@": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                 "*": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "?": "0123456789ABCDEF"}
_PRIME = 982_451_653  # larger than every prime factor of the placeholder radices: a bijection
SWAP_STRIDE = 1 << 20  # a swapped-in device takes the slot number plus this times its generation


def salt(*parts: object) -> int:
    """A stable 32-bit number from names (profile, fleet seed): unlike hash(), the same every run."""
    return zlib.crc32("/".join(str(p) for p in parts).encode())


def serial_capacity(pattern: str) -> int:
    """How many distinct serials a pattern can produce."""
    capacity = 1
    for ch in pattern:
        if ch in _PLACEHOLDERS:
            capacity *= len(_PLACEHOLDERS[ch])
    return capacity


def serial_number(pattern: str, n: int, seed: int = 0) -> str:
    """The n-th serial of a pattern (# digit, @ letter, * alphanumeric, ? hex, others literal)."""
    space = serial_capacity(pattern)
    value = (n * _PRIME + seed) % space
    out = list(pattern)
    for pos in range(len(out) - 1, -1, -1):
        alphabet = _PLACEHOLDERS.get(out[pos])
        if alphabet is not None:
            value, digit = divmod(value, len(alphabet))
            out[pos] = alphabet[digit]
    return "".join(out)


def mac_address(oui: bytes, n: int, seed: int = 0) -> bytes:
    """The n-th MAC under a vendor OUI (distinct for n below 2^24)."""
    tail = (n * _PRIME + seed) % (1 << 24)
    return oui + tail.to_bytes(3, "big")


def engine_id(enterprise: int, fmt: str, mac: bytes, serial: str) -> bytes:
    """An RFC 3411 snmpEngineID: 0x80 | enterprise, then format 3 (MAC) or 4 (text, the serial)."""
    head = (0x80000000 | enterprise).to_bytes(4, "big")
    if fmt == "mac":
        return head + b"\x03" + mac
    return head + b"\x04" + serial.encode("ascii", "replace")[:27]


def sys_name(fmt: str, vendor: str, mac: bytes, serial: str, index: int) -> str:
    """sysName as the vendor's factory default would make it (e.g. HP's NPI + MAC tail)."""
    return fmt.format(vendor=vendor.upper(), mac6=mac[3:].hex().upper(), mac12=mac.hex().upper(),
                      serial=serial, index=index)
