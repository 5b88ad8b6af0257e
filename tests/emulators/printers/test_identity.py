"""Serials, MACs, engine ids (RFC 3411) and the printers' small random generator."""

from __future__ import annotations

import statistics

from emulators.printers.identity import (
    engine_id,
    mac_address,
    serial_capacity,
    serial_number,
    sys_name,
)
from emulators.printers.random64 import Rng


def test_serial_patterns() -> None:
    assert serial_capacity("CN##@@X##P") == 10**4 * 26**2
    serials = {serial_number("CN##@@X##P", n) for n in range(50_000)}
    assert len(serials) == 50_000  # a bijection below the capacity
    for serial in list(serials)[:100]:
        assert serial[:2] == "CN" and serial[6] == "X" and serial[9] == "P"
        assert serial[2:4].isdigit() and serial[4:6].isalpha() and serial[7:9].isdigit()
    assert all(c in "0123456789ABCDEF" for c in serial_number("??????", 12345))


def test_macs_keep_the_vendor_oui() -> None:
    oui = bytes.fromhex("308D99")
    macs = {mac_address(oui, n) for n in range(10_000)}
    assert len(macs) == 10_000 and all(m[:3] == oui and len(m) == 6 for m in macs)


def test_engine_ids_follow_rfc_3411() -> None:
    mac = bytes.fromhex("308D99A4B8EA")
    # first bit 1, then the 31-bit enterprise number (HP = 11), then the format octet
    assert engine_id(11, "mac", mac, "CNBVH85138") == bytes.fromhex("8000000b03308d99a4b8ea")
    assert engine_id(1248, "text", mac, "SDYY000055") == bytes.fromhex("800004e004") + b"SDYY000055"
    assert len(engine_id(11, "text", mac, "X" * 40)) == 32  # snmpEngineID is at most 32 octets


def test_factory_host_names() -> None:
    mac = bytes.fromhex("308D99A4B8EA")
    assert sys_name("NPI{mac6}", "HP", mac, "S", 0) == "NPIA4B8EA"
    assert sys_name("SEC{mac12}", "Samsung", mac, "S", 0) == "SEC308D99A4B8EA"


def test_generator_distributions() -> None:
    rng = Rng(42)
    uniform = [rng.random() for _ in range(20_000)]
    assert 0.0 <= min(uniform) and max(uniform) < 1.0
    assert abs(statistics.mean(uniform) - 0.5) < 0.01
    pages = [rng.geometric(4.0) for _ in range(20_000)]
    assert min(pages) == 1 and abs(statistics.mean(pages) - 4.0) < 0.15
    waits = [rng.exponential(30.0) for _ in range(20_000)]
    assert abs(statistics.mean(waits) - 30.0) < 1.0
    assert [Rng(7).random() for _ in range(2)] == [Rng(7).random() for _ in range(2)]
