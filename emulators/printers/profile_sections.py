"""The sub-tables of a printer profile: usage (how the office prints), power (sleep and switched-off
hours), quirks (vendor oddities), identity (IEEE 1284 device id, JetDirect ports, resolution) and
web (the embedded web server's style and the counters only it shows).

Each parser takes the ``ConfigTable`` of its TOML table and reports unknown keys and bad values
with the file, table and key (protolab.config_file).
"""

from __future__ import annotations

from dataclasses import dataclass

from ekm_proto.printer_mib.device_ids import VENDOR_ID_OIDS
from ekm_proto.printer_mib.oids import TABLES
from emulators.printers.errors import ProfileError
from protolab.config_file import ConfigTable

SLEEP_MODES = ("normal", "counters-unavailable", "counters-zero", "no-response")
SWITCHED_OFF = ("never", "nights", "weekends")
# tables a "missing" quirk may remove (printer_mib maps each to its OID subtree)
MISSABLE_TABLES = (*TABLES, "vendor")
COUNTER_SOURCES = (
    "total", "mono", "colour", "small", "large", "mono_small", "colour_small", "mono_large",
    "colour_large", "a4_total", "a4_mono", "a4_colour", "scans", "scans_mono", "scans_colour",
    "sheets", "duplex_sheets", "power_on", "jobs",
)
WEB_STYLES = ("hp", "samsung", "kyocera", "lexmark", "epson", "none")
_DEFAULT_STYLE = {"HP": "hp", "Samsung": "samsung", "Kyocera": "kyocera", "Lexmark": "lexmark",
                  "Epson": "epson"}
_DEFAULT_VENDOR_IDS = {"HP": ("hp",), "Lexmark": ("lexmark",), "Dell": ("dell",),
                       "Ricoh": ("ricoh",), "Xerox": ("xerox",)}
_DEFAULT_COMMAND_SET = "PJL,PCL,POSTSCRIPT"


@dataclass(frozen=True, slots=True)
class UsageSpec:
    pages_per_day: float = 60.0
    colour_fraction: float = 0.0
    a3_fraction: float = 0.0
    duplex_fraction: float = 0.3
    mean_job_pages: float = 4.0
    scans_per_day: float = 0.0
    scan_colour_fraction: float = 0.3
    office_share: float = 0.85
    weekend_factor: float = 0.05
    jam_per_10k_pages: float = 2.0
    fuser_fault_per_million_pages: float = 3.0
    tray_refill_minutes: float = 40.0
    supply_replace_hours: float = 20.0
    jam_clear_minutes: float = 12.0
    field_service_hours: float = 30.0
    initial_age_days: tuple[int, int] = (30, 1500)


@dataclass(frozen=True, slots=True)
class PowerSpec:
    sleep_after_minutes: float = 15.0
    sleep_mode: str = "normal"
    warmup_seconds: float = 12.0
    switched_off: str = "never"


@dataclass(frozen=True, slots=True)
class Quirks:
    counter_as_integer: bool = False
    missing: tuple[str, ...] = ()
    response_delay: float = 0.0
    drop_rate: float = 0.0
    waste_level: str = "remaining"  # RFC 3805: a receptacle reports remaining space; "fill" inverts
    error_state_octets: int = 2




def usage_spec(t: ConfigTable) -> UsageSpec:
    d = UsageSpec()
    age = t.get("initial_age_days", list(d.initial_age_days))
    if not (isinstance(age, list) and len(age) == 2 and all(isinstance(a, int) for a in age)
            and 0 <= age[0] <= age[1]):
        raise ProfileError(f"{t.where}: initial_age_days = {age!r}: expected [min, max] days")
    usage = UsageSpec(
        pages_per_day=t.number("pages_per_day", d.pages_per_day, 0, 1e6),
        colour_fraction=t.number("colour_fraction", d.colour_fraction, 0, 1),
        a3_fraction=t.number("a3_fraction", d.a3_fraction, 0, 1),
        duplex_fraction=t.number("duplex_fraction", d.duplex_fraction, 0, 1),
        mean_job_pages=t.number("mean_job_pages", d.mean_job_pages, 1, 10000),
        scans_per_day=t.number("scans_per_day", d.scans_per_day, 0, 1e6),
        scan_colour_fraction=t.number("scan_colour_fraction", d.scan_colour_fraction, 0, 1),
        office_share=t.number("office_share", d.office_share, 0, 1),
        weekend_factor=t.number("weekend_factor", d.weekend_factor, 0, 10),
        jam_per_10k_pages=t.number("jam_per_10k_pages", d.jam_per_10k_pages, 0, 10000),
        fuser_fault_per_million_pages=t.number(
            "fuser_fault_per_million_pages", d.fuser_fault_per_million_pages, 0, 1e6),
        tray_refill_minutes=t.number("tray_refill_minutes", d.tray_refill_minutes, 0.1),
        supply_replace_hours=t.number("supply_replace_hours", d.supply_replace_hours, 0.01),
        jam_clear_minutes=t.number("jam_clear_minutes", d.jam_clear_minutes, 0.1),
        field_service_hours=t.number("field_service_hours", d.field_service_hours, 0.1),
        initial_age_days=(age[0], age[1]))
    t.check_unknown()
    return usage


def power_spec(t: ConfigTable) -> PowerSpec:
    power = PowerSpec(
        sleep_after_minutes=t.number("sleep_after_minutes", 15, 0.1),
        sleep_mode=t.choice("sleep_mode", SLEEP_MODES, "normal"),
        warmup_seconds=t.number("warmup_seconds", 12, 0, 3600),
        switched_off=t.choice("switched_off", SWITCHED_OFF, "never"))
    t.check_unknown()
    return power


def quirks_spec(t: ConfigTable) -> Quirks:
    missing = t.get("missing", [])
    if not isinstance(missing, list) or any(m not in MISSABLE_TABLES for m in missing):
        raise ProfileError(f"{t.where}: missing = {missing!r}: expected a list of: "
                           + ", ".join(MISSABLE_TABLES))
    quirks = Quirks(
        counter_as_integer=t.flag("counter_as_integer", False), missing=tuple(missing),
        response_delay=t.number("response_delay", 0, 0, 60), drop_rate=t.number("drop_rate", 0, 0, 1),
        waste_level=t.choice("waste_level", ("remaining", "fill"), "remaining"),
        error_state_octets=t.integer("error_state_octets", 2, 1, 2))
    t.check_unknown()
    return quirks


@dataclass(frozen=True, slots=True)
class IdentitySpec:
    """How the printer names itself to drivers: the IEEE 1284 device id (MFG, MDL, CMD, DES)
    served in the PWG Port Monitor MIB and the vendor OIDs CUPS and HPLIP ask, the JetDirect
    ``community.N`` forms it accepts, and its engine's resolution (dots per inch)."""

    manufacturer: str
    model: str
    command_set: str = _DEFAULT_COMMAND_SET
    vendor_ids: tuple[str, ...] = ()
    jetdirect_ports: int = 0
    resolution: int = 600


@dataclass(frozen=True, slots=True)
class WebCounter:
    """A counter the embedded web server shows and SNMP does not."""

    name: str
    source: str


@dataclass(frozen=True, slots=True)
class WebSpec:
    style: str = "none"
    counters: tuple[WebCounter, ...] = ()


def identity_spec(t: ConfigTable, vendor: str, model: str) -> IdentitySpec:
    vendor_ids = t.get("vendor_ids", list(_DEFAULT_VENDOR_IDS.get(vendor, ())))
    if not isinstance(vendor_ids, list) or any(v not in VENDOR_ID_OIDS for v in vendor_ids):
        raise ProfileError(f"{t.where}: vendor_ids = {vendor_ids!r}: expected a list of: "
                           + ", ".join(VENDOR_ID_OIDS))
    identity = IdentitySpec(
        manufacturer=t.string("manufacturer", vendor), model=t.string("model", model),
        command_set=t.string("command_set", _DEFAULT_COMMAND_SET), vendor_ids=tuple(vendor_ids),
        jetdirect_ports=t.integer("jetdirect_ports", 1 if vendor == "HP" else 0, 0, 3),
        resolution=t.integer("resolution", 600, 72, 4800))
    for field in (identity.manufacturer, identity.model, identity.command_set):
        if ";" in field or ":" in field:
            raise ProfileError(f"{t.where}: {field!r}: an IEEE 1284 field cannot hold ':' or ';'")
    t.check_unknown()
    return identity


def web_spec(t: ConfigTable, vendor: str) -> WebSpec:
    counters = []
    for x in t.tables("counters"):
        counters.append(WebCounter(x.string("name"), x.choice("source", COUNTER_SOURCES)))
        x.check_unknown()
    web = WebSpec(style=t.choice("style", WEB_STYLES, _DEFAULT_STYLE.get(vendor, "none")),
                  counters=tuple(counters))
    t.check_unknown()
    return web
