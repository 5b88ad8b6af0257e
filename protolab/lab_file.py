"""A lab description file (TOML): what ``protolab lab --config LAB.toml`` runs and ``protolab lab
--check LAB.toml`` validates, so a lab is written down once and shared instead of retyped as
flags.

Tables: ``[kantech]`` (the site: key, site id, site file, pulse, addresses and ports, swipes),
``[kantech.devices]`` (KT-400s, KT-1s, IP-Links and each IP-Link's loop size), ``[printers]``
(the fleet: count, first address, SNMP and control ports), ``[monitor]`` and ``[portal]`` (the
monitoring chain, when the lab runs one). Keys may be spelt with dashes or underscores; a key
left out keeps ``LabSettings``'s default; a path is relative to the lab file. Every error names
the file, the table, the key, the value and what was expected.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Callable
from pathlib import Path
from typing import Any

from emulators.kantech_gateway.site_description import load_site
from protolab.config_file import ConfigTable, load_toml
from protolab.errors import ConfigurationError
from protolab.lab import LabSettings

SHIPPED_LAB = Path(__file__).resolve().parent / "labs" / "demo.toml"
Reader = Callable[[ConfigTable, str, Path], Any]


def _count(table: ConfigTable, key: str, _: Path) -> int:
    return table.integer(key, lo=0, hi=100_000)


def _port(table: ConfigTable, key: str, _: Path) -> int:
    return table.integer(key, lo=0, hi=65535)


def _seconds(table: ConfigTable, key: str, _: Path) -> float:
    value = table.number(key, lo=0.0, hi=86400.0)
    if value <= 0:
        raise table.error(key, "a positive number of seconds")
    return value


def _loopback(table: ConfigTable, key: str, _: Path) -> str:
    text = table.string(key)
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        address = None
    if address is None or not address.is_loopback:
        raise table.error(key, "a loopback IPv4 address such as 127.20.0.1 (a lab stays on "
                          "127.0.0.0/8)")
    return text


def _key(table: ConfigTable, key: str, _: Path) -> str:
    return table.string(key, max_length=16, ascii_only=True)


def _site_id(table: ConfigTable, key: str, _: Path) -> int:
    return table.integer(key, lo=0, hi=0xFFFF)


def _integer(table: ConfigTable, key: str, _: Path) -> int:
    return table.integer(key, lo=0, hi=2**31 - 1)


def _flag(table: ConfigTable, key: str, _: Path) -> bool:
    return table.flag(key)


def _site_file(table: ConfigTable, key: str, folder: Path) -> Path:
    path = (folder / table.string(key)).resolve()
    if not path.is_file():
        raise table.error(key, f"a site file (TOML); {path} does not exist")
    return path


#: table -> {key in the file: (LabSettings field, reader)}
SCHEMA: dict[str, dict[str, tuple[str, Reader]]] = {
    "kantech": {
        "key": ("key", _key), "site_id": ("site_id", _site_id), "site_file": ("site_file",
                                                                              _site_file),
        "pulse": ("pulse", _seconds), "first_address": ("kantech_first_address", _loopback),
        "gateway_port": ("gateway_port", _port), "discovery_port": ("discovery_port", _port),
        "control_port": ("kantech_control", _port), "swipe_every": ("swipe_every", _seconds),
        "seed": ("seed", _integer)},
    "kantech.devices": {
        "kt400": ("kt400", _count), "kt1": ("kt1", _count), "iplink": ("iplink", _count),
        "loop_size": ("loop_size", _count)},
    "printers": {
        "count": ("printers", _count), "first_address": ("printer_first_address", _loopback),
        "port": ("printer_port", _port), "control_port": ("printer_control", _port)},
    "monitor": {"enabled": ("monitoring", _flag), "alert_every": ("alert_every", _seconds)},
    "portal": {"xmpp_port": ("xmpp_port", _port)},
}


def _schema() -> dict[str, dict[str, tuple[str, Reader]]]:
    """The tables and keys this build's LabSettings can take (the monitoring chain's keys exist
    only where the lab runs it)."""
    fields = {f.name for f in dataclasses.fields(LabSettings)}
    tables = {name: {key: entry for key, entry in keys.items() if entry[0] in fields}
              for name, keys in SCHEMA.items()}
    return {name: keys for name, keys in tables.items() if keys}


def parse_lab(top: ConfigTable, folder: Path) -> LabSettings:
    """The settings a parsed lab file describes (paths relative to ``folder``)."""
    schema = _schema()
    values: dict[str, Any] = {}
    tables = {"": top}
    for name in schema:
        parent, _, child = name.rpartition(".")
        tables[name] = tables[parent].sub(child)
    for name, keys in schema.items():
        table = tables[name]
        for key, (field, read) in keys.items():
            if key in table:
                values[field] = read(table, key, folder)
        table.check_unknown()
    top.check_unknown()
    settings = LabSettings(**values)
    if settings.kt400 + settings.kt1 + settings.iplink + settings.printers == 0:
        raise ConfigurationError(f"{top.source}: the lab runs nothing: expected devices in "
                                 "[kantech.devices] or a count in [printers]",
                                 source=top.source)
    return settings


def load_lab(path: str | Path) -> LabSettings:
    """Read and check a lab file, the site file it names included; ConfigurationError naming
    file, table, key, value and what was expected."""
    top = load_toml(path, "lab file")
    settings = parse_lab(ConfigTable(top.data, top.source, dashes=True), Path(path).parent)
    load_site(settings.site_file)
    return settings


def describe(settings: LabSettings) -> str:
    """One line saying what a checked lab would run."""
    return (f"{settings.kt400} KT-400, {settings.kt1} KT-1, {settings.iplink} IP-Link "
            f"(loops of {settings.loop_size}) on site {settings.site_id}; "
            f"{settings.printers} printers")
