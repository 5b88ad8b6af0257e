"""The page counters the meter loop asks for: the Printer-MIB's own (prtMarkerLifeCount, the
engine cycles; prtMarkerPowerOnCount) and vendors' private counters by enterprise, each with a
name for people and a meaning the portal rolls up (mono/colour, small/large, scans).

Like a real monitor's model database, this is knowledge of where vendors keep their counters;
discovery asks a device for its vendor's entries once and remembers those it answers, so the
meter loop then sends one GET with exactly the counters that device has. Wrap points come from
``ekm_proto.printer_mib.vendors`` (HP's impression registers wrap after 2^24 - 1).
"""

from __future__ import annotations

from dataclasses import dataclass

from ekm_proto.printer_mib.oids import MARKER_LIFE_COUNT, MARKER_POWER_ON_COUNT
from ekm_proto.snmp.types import Oid, parse_oid

MEANINGS = ("total", "mono", "colour", "mono_small", "colour_small", "mono_large",
            "colour_large", "scans", "scans_mono", "scans_colour", "power_on",
            # counters only web pages show (web_counters.py)
            "duplex_sheets", "sheets", "jobs", "equivalent_a4")
LIFE_COUNT = "prtMarkerLifeCount"
POWER_ON_COUNT = "prtMarkerPowerOnCount"


@dataclass(frozen=True, slots=True)
class KnownCounter:
    oid: Oid
    name: str
    meaning: str


def _known(enterprise_entries: dict[int, tuple[tuple[str, str, str], ...]]
           ) -> dict[int, tuple[KnownCounter, ...]]:
    return {enterprise: tuple(KnownCounter(parse_oid(oid), name, meaning)
                              for oid, name, meaning in entries)
            for enterprise, entries in enterprise_entries.items()}


VENDOR_COUNTERS: dict[int, tuple[KnownCounter, ...]] = _known({
    11: (  # HP
        ("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0", "total engine impressions", "total"),
        ("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.6.0", "mono impressions", "mono"),
        ("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.7.0", "colour impressions", "colour"),
        ("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.8.1.1.0", "Mono A4", "mono_small"),
        ("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.8.1.2.0", "Colour A4", "colour_small"),
        ("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.8.1.3.0", "Mono A3", "mono_large"),
        ("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.8.1.4.0", "Colour A3", "colour_large"),
        ("1.3.6.1.4.1.11.2.3.9.4.2.1.2.2.1.1.0", "Scans mono", "scans_mono"),
        ("1.3.6.1.4.1.11.2.3.9.4.2.1.2.2.1.2.0", "Scans colour", "scans_colour"),
    ),
    236: (  # Samsung
        ("1.3.6.1.4.1.236.11.5.1.1.3.22.0", "total pages", "total"),
        ("1.3.6.1.4.1.236.11.5.11.53.11.1.1.0", "total printed", "total"),
        ("1.3.6.1.4.1.236.11.5.11.53.11.1.2.0", "mono printed", "mono"),
        ("1.3.6.1.4.1.236.11.5.11.53.11.1.3.0", "colour printed", "colour"),
        ("1.3.6.1.4.1.236.11.5.11.53.11.1.4.0", "mono printed (large)", "mono_large"),
        ("1.3.6.1.4.1.236.11.5.11.53.11.1.5.0", "colour printed (large)", "colour_large"),
        ("1.3.6.1.4.1.236.11.5.11.53.11.1.6.0", "scanned", "scans"),
    ),
    641: (  # Lexmark
        ("1.3.6.1.4.1.641.2.1.2.1.6.1", "page count", "total"),
    ),
    1248: (  # Epson
        ("1.3.6.1.4.1.1248.1.2.2.27.1.1.30.1.1", "total printed pages", "total"),
        ("1.3.6.1.4.1.1248.1.2.2.27.1.1.33.1.1", "colour pages", "colour"),
        ("1.3.6.1.4.1.1248.1.2.2.27.1.1.34.1.1", "monochrome pages", "mono"),
    ),
    1347: (  # Kyocera
        ("1.3.6.1.4.1.1347.42.3.1.1.1.1.1", "total printed pages", "total"),
        ("1.3.6.1.4.1.1347.42.3.1.2.1.1.1.1", "printed pages, black", "mono"),
        ("1.3.6.1.4.1.1347.42.3.1.2.1.1.1.3", "printed pages, full colour", "colour"),
        ("1.3.6.1.4.1.1347.43.10.1.1.12.1.1", "engine service count", "total"),
        ("1.3.6.1.4.1.1347.46.10.1.1.5.3", "scanned pages", "scans"),
    ),
})
_BY_OID = {c.oid: c for entries in VENDOR_COUNTERS.values() for c in entries}


def standard_counters(device_index: int, marker_index: int) -> tuple[KnownCounter, ...]:
    """The Printer-MIB counters of one marker: life count (engine cycles) and power-on count."""
    return (KnownCounter((*MARKER_LIFE_COUNT, device_index, marker_index), LIFE_COUNT, "total"),
            KnownCounter((*MARKER_POWER_ON_COUNT, device_index, marker_index), POWER_ON_COUNT,
                         "power_on"))


def vendor_counters(enterprise: int | None) -> tuple[KnownCounter, ...]:
    return VENDOR_COUNTERS.get(enterprise, ()) if enterprise is not None else ()


def known(oid: Oid) -> KnownCounter | None:
    return _BY_OID.get(oid)
