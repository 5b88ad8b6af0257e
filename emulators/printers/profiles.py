"""Printer profiles: what one printer model is, read from a TOML file and checked before use.

A profile is data (``profiles/*.toml``) so that adding a model, or tuning one to match a real device,
needs no code; everything is validated at load so that a fleet of 100,000 never starts half-wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ekm_proto.printer_mib import textual_conventions as tc
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue
from emulators.printers.errors import ProfileError
from emulators.printers.profile_sections import (
    COUNTER_SOURCES,
    MISSABLE_TABLES,
    IdentitySpec,
    PowerSpec,
    Quirks,
    UsageSpec,
    WebSpec,
    identity_spec,
    power_spec,
    quirks_spec,
    usage_spec,
    web_spec,
)
from emulators.printers.snmprec import parse_oid, read_snmprec
from protolab.config_file import ConfigTable, load_toml
from protolab.errors import ConfigurationError

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"

# sizes in tenThousandthsOfInches as (short edge, long edge); which edge feeds first depends on the
# engine (printer_tables.feed_dimensions)
MEDIA_SIZES: dict[str, tuple[int, int]] = {
    "A5": (58268, 82677), "A4": (82677, 116929), "A3": (116929, 165354),
    "Letter": (85000, 110000), "Legal": (85000, 140000), "Ledger": (110000, 170000),
}
LARGE_SIZES = frozenset({"A3", "Ledger"})
LEVEL_REPORTING = ("exact", "some-remaining", "unknown")
CONSUMES = ("all", "colour", "mono", "scans", "none")
COUNTER_TYPES = {"counter32": SnmpType.COUNTER32, "integer": SnmpType.INTEGER,
                 "gauge32": SnmpType.GAUGE32, "counter64": SnmpType.COUNTER64}
# re-exported: profiles name OIDs as text; the sections are part of what a profile is
__all__ = ["MISSABLE_TABLES", "IdentitySpec", "PowerSpec", "Quirks", "UsageSpec", "WebSpec",
           "parse_oid"]


@dataclass(frozen=True, slots=True)
class TraySpec:
    index: int
    name: str
    type: int
    size: str
    media_name: str
    capacity: int
    level_reporting: str = "exact"
    media_type: str = "stationery"
    low_percent: float = 10.0
    initial_sheets: int | None = None  # a recording's level; otherwise a random fill

    @property
    def large(self) -> bool:
        return self.size in LARGE_SIZES


@dataclass(frozen=True, slots=True)
class OutputSpec:
    index: int
    name: str
    type: int
    capacity: int


@dataclass(frozen=True, slots=True)
class SupplySpec:
    index: int
    description: str
    type: int
    supply_class: int
    unit: int
    max_capacity: int
    yield_pages: int
    consumes: str
    colorant: str | None = None
    low_percent: float = 10.0
    level_reporting: str = "exact"
    initial: tuple[float, float] = (0.2, 1.0)

    @property
    def filled(self) -> bool:
        """A receptacle (waste toner, waste ink) fills up instead of running out."""
        return self.supply_class == tc.FILLED


@dataclass(frozen=True, slots=True)
class CounterSpec:
    oid: Oid
    name: str
    source: str
    type: SnmpType
    wrap_bits: int | None


@dataclass(frozen=True, slots=True)
class StorageSpec:
    description: str
    kind: str  # "ram" | "disk" | "flash"
    size_kib: int
    used_percent: float


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    vendor: str
    model: str
    enterprise: int
    sys_object_id: Oid
    sys_descr: str
    printer_name: str
    device_descr: str
    color: bool
    a3: bool
    mark_tech: int
    ppm: int
    serial_format: str
    mac_oui: bytes
    trays: tuple[TraySpec, ...]
    supplies: tuple[SupplySpec, ...]
    outputs: tuple[OutputSpec, ...] = ()
    counters: tuple[CounterSpec, ...] = ()
    covers: tuple[str, ...] = ("Front cover",)
    storage: tuple[StorageSpec, ...] = ()
    usage: UsageSpec = field(default_factory=UsageSpec)
    power: PowerSpec = field(default_factory=PowerSpec)
    quirks: Quirks = field(default_factory=Quirks)
    identity: IdentitySpec = field(default_factory=lambda: IdentitySpec("", ""))
    web: WebSpec = field(default_factory=WebSpec)
    sys_name_format: str = "{vendor}{mac6}"
    sys_contact: str = ""
    sys_location: str = ""
    engine_id_format: str = "mac"
    device_index: int = 1
    duplex: bool = True
    console_lines: int = 2
    console_chars: int = 32
    if_descr: str = "Ethernet"
    if_speed: int = 100_000_000
    memory_kib: int = 524288
    fleet_weight: float = 1.0
    initial_total: int | None = None  # a recording's prtMarkerLifeCount: where its counters start
    recording: tuple[tuple[Oid, SnmpValue], ...] | None = None

    @property
    def colorants(self) -> tuple[str, ...]:
        """Distinct colorants in supply order: the rows of prtMarkerColorantTable."""
        seen: list[str] = []
        for supply in self.supplies:
            if supply.colorant and supply.colorant not in seen:
                seen.append(supply.colorant)
        return tuple(seen)


def _number(t: ConfigTable, key: str, table: dict[str, int], default: str | None = None) -> int:
    """A textual-convention value by name, or as a plain number."""
    value = t.lookup(key, table, numbers=True) if default is None else t.lookup(
        key, table, default, numbers=True)
    return int(value)


def _tray(t: ConfigTable, position: int) -> TraySpec:
    size = t.choice("size", tuple(MEDIA_SIZES), "A4")
    tray = TraySpec(
        index=t.integer("index", position, 1, 65535), name=t.string("name"),
        type=_number(t, "type", tc.INPUT_TYPES, "sheetFeedAutoRemovableTray"), size=size,
        media_name=t.string("media_name", size), capacity=t.integer("capacity", None, 1, 100000),
        level_reporting=t.choice("level_reporting", LEVEL_REPORTING, "exact"),
        media_type=t.string("media_type", "stationery"), low_percent=t.number("low_percent", 10, 0, 100))
    t.check_unknown()
    return tray


def _supply(t: ConfigTable, position: int, color: bool) -> SupplySpec:
    initial = t.get("initial", [0.2, 1.0])
    if (not isinstance(initial, list) or len(initial) != 2
            or not all(isinstance(x, int | float) and 0 <= x <= 1 for x in initial)
            or initial[0] > initial[1]):
        raise ProfileError(f"{t.where}: initial = {initial!r}: expected [low, high] within 0..1")
    supply = SupplySpec(
        index=t.integer("index", position, 1, 65535), description=t.string("description"),
        type=_number(t, "type", tc.SUPPLY_TYPES),
        supply_class=_number(t, "class", tc.SUPPLY_CLASSES, "supplyThatIsConsumed"),
        unit=_number(t, "unit", tc.SUPPLY_UNITS, "percent"),
        max_capacity=t.integer("max_capacity", 100, -2), yield_pages=t.integer("yield_pages", None, 1),
        consumes=t.choice("consumes", CONSUMES, "all"), colorant=t.get("colorant"),
        low_percent=t.number("low_percent", 10, 0, 100),
        level_reporting=t.choice("level_reporting", LEVEL_REPORTING, "exact"),
        initial=(float(initial[0]), float(initial[1])))
    if "None" in supply.description.split():
        raise ProfileError(f"{t.where}: description = {supply.description!r}: a missing part "
                           "number shows as nothing, not as \"None\" (vendors print the name alone)")
    if supply.colorant is not None and not isinstance(supply.colorant, str):
        raise ProfileError(f"{t.where}: colorant: expected a colour name such as \"black\"")
    if supply.consumes == "colour" and not color:
        raise ProfileError(f"{t.where}: consumes = \"colour\" on a mono profile (color = false)")
    t.check_unknown()
    return supply


def _counter(t: ConfigTable) -> CounterSpec:
    wrap = t.get("wrap_bits")
    if wrap is not None and (isinstance(wrap, bool) or wrap not in (16, 24, 31, 32, 64)):
        raise ProfileError(f"{t.where}: wrap_bits = {wrap!r}: expected 16, 24, 31, 32 or 64")
    counter = CounterSpec(
        oid=parse_oid(t.string("oid"), f"{t.where}: oid"), name=t.string("name"),
        source=t.choice("source", COUNTER_SOURCES),
        type=COUNTER_TYPES[t.choice("type", tuple(COUNTER_TYPES), "counter32")], wrap_bits=wrap)
    t.check_unknown()
    return counter


def profile_from_dict(data: dict[str, Any], name: str, where: str | None = None,
                      base_dir: Path | None = None) -> Profile:
    """Validate one parsed profile; ``where`` names the source in errors."""
    try:
        return _profile(ConfigTable(data, where or name), name, base_dir)
    except ProfileError:
        raise
    except ConfigurationError as exc:  # a key of the wrong type, found by ConfigTable
        raise ProfileError(str(exc), source=exc.source, table=exc.table, key=exc.key) from None


def _profile(t: ConfigTable, name: str, base_dir: Path | None) -> Profile:
    color = t.flag("color")
    oui_text = t.string("mac_oui").replace(":", "").replace("-", "")
    try:
        oui = bytes.fromhex(oui_text)
    except ValueError:
        oui = b""
    if len(oui) != 3:
        raise ProfileError(f"{t.where}: mac_oui = {oui_text!r}: expected 3 bytes like \"30:8D:99\"")
    serial_format = t.string("serial_format")
    if not any(ch in "#@*?" for ch in serial_format):
        raise ProfileError(f"{t.where}: serial_format = {serial_format!r}: expected at least one "
                           "placeholder (# digit, @ letter, * letter or digit, ? hex digit)")
    trays = tuple(_tray(x, i + 1) for i, x in enumerate(t.tables("trays")))
    supplies = tuple(_supply(x, i + 1, color) for i, x in enumerate(t.tables("supplies")))
    if not trays:
        raise ProfileError(f"{t.where}: at least one [[trays]] is required")
    outputs = []
    for i, x in enumerate(t.tables("outputs")):
        outputs.append(OutputSpec(x.integer("index", i + 1, 1, 65535), x.string("name"),
                                  _number(x, "type", tc.OUTPUT_TYPES, "unRemovableBin"),
                                  x.integer("capacity", 250, -2)))
        x.check_unknown()
    storage = []
    for x in t.tables("storage"):
        storage.append(StorageSpec(x.string("description"), x.choice("kind", ("ram", "disk", "flash")),
                                   x.integer("size_kib", None, 1), x.number("used_percent", 30, 0, 100)))
        x.check_unknown()
    recording = None
    rec_file = t.get("recording")
    if rec_file is not None:
        path = (base_dir or PROFILE_DIR) / str(rec_file)
        recording = tuple(read_snmprec(path))
    covers = t.get("covers", ["Front cover"])
    if not isinstance(covers, list) or not all(isinstance(c, str) for c in covers):
        raise ProfileError(f"{t.where}: covers = {covers!r}: expected a list of names")
    profile = Profile(
        name=name, vendor=t.string("vendor"), model=t.string("model"),
        enterprise=t.integer("enterprise", None, 1), sys_object_id=parse_oid(
            t.string("sys_object_id"), f"{t.where}: sys_object_id"),
        sys_descr=t.string("sys_descr"), printer_name=t.string("printer_name", t.data.get("model")),
        device_descr=t.string("device_descr", t.data.get("model")), color=color, a3=t.flag("a3"),
        mark_tech=_number(t, "mark_tech", tc.MARK_TECH, "electrophotographicLaser"),
        ppm=t.integer("ppm", 30, 1, 1000), serial_format=serial_format, mac_oui=oui, trays=trays,
        supplies=supplies, outputs=tuple(outputs),
        counters=tuple(_counter(x) for x in t.tables("counters")), covers=tuple(covers),
        storage=tuple(storage), usage=usage_spec(t.sub("usage")), power=power_spec(t.sub("power")),
        quirks=quirks_spec(t.sub("quirks")),
        identity=identity_spec(t.sub("identity"), t.string("vendor"),
                               t.string("printer_name", t.data.get("model"))),
        web=web_spec(t.sub("web"), t.string("vendor")),
        sys_name_format=t.string("sys_name_format", "{vendor}{mac6}"),
        sys_contact=t.string("sys_contact", ""), sys_location=t.string("sys_location", ""),
        engine_id_format=t.choice("engine_id_format", ("mac", "text"), "mac"),
        device_index=t.integer("device_index", 1, 1), duplex=t.flag("duplex", True),
        console_lines=t.integer("console_lines", 2, 0, 16), console_chars=t.integer("console_chars", 32, 1),
        if_descr=t.string("if_descr", "Ethernet"), if_speed=t.integer("if_speed", 100_000_000, 0, 2**32 - 1),
        memory_kib=t.integer("memory_kib", 524288, 1), fleet_weight=t.number("fleet_weight", 1.0, 0),
        recording=recording)
    t.get("description")  # free text for people reading the file
    t.check_unknown()
    if profile.a3 and not any(tray.large for tray in trays):
        raise ProfileError(f"{t.where}: a3 = true but no tray holds A3 or Ledger")
    if profile.usage.a3_fraction > 0 and not profile.a3:
        raise ProfileError(f"{t.where}: usage.a3_fraction > 0 on a profile with a3 = false")
    if profile.usage.colour_fraction > 0 and not color:
        raise ProfileError(f"{t.where}: usage.colour_fraction > 0 on a mono profile")
    return profile


def load_profile(path: Path) -> Profile:
    """One profile from a TOML file; its name is the file stem."""
    try:
        table = load_toml(path, "printer profile")
    except ConfigurationError as exc:
        raise ProfileError(str(exc), source=exc.source) from None
    return profile_from_dict(table.data, path.stem, str(path), path.parent)


def load_profiles(directory: Path = PROFILE_DIR) -> dict[str, Profile]:
    """Every ``*.toml`` in a directory, by name, in name order."""
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise ProfileError(f"no profiles (*.toml) in {directory}")
    return {path.stem: load_profile(path) for path in paths}
