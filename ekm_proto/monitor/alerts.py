"""Device alerts as records: prtAlertTable rows and hrPrinterDetectedErrorState bits become
conditions; conditions appearing open a record, conditions gone clear it (first-seen and cleared
times, a duration). Pure functions; the alert loop reads, the store keeps the records.

A vendor that repeats an alert for one condition (the same code, group, group index and location
under several alert indices) yields one condition, hence one record. An error-state bit that an
active alert row already explains adds nothing; a bit alone (a device without prtAlertTable, or a
condition no row describes, such as noPaper) is a condition of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ekm_proto.printer_mib import textual_conventions as tc

ALERT_COLUMNS = {2: "severity", 3: "training", 4: "group", 5: "group_index", 6: "location",
                 7: "code", 8: "description", 9: "time"}
SEVERITY_NAMES = {1: "Other", 3: "Critical", 4: "Warning (State)", 5: "Warning (Event)"}
TRAINING_NAMES = {1: "Other", 2: "Unknown", 3: "Untrained", 4: "Trained", 5: "Field Service",
                  6: "Management", 7: "No Intervention Required"}
_CODE_NAMES = tc.names(tc.ALERT_CODES)
_GROUP_NAMES = tc.names(tc.ALERT_GROUPS)
_C = tc.ALERT_CODES
#: the hrPrinterDetectedErrorState conditions an alert code explains
CODE_BITS: dict[int, frozenset[str]] = {code: frozenset(bits) for code, bits in (
    (_C["jam"], ("jammed",)), (_C["coverOpen"], ("doorOpen",)), (_C["interlockOpen"], ("doorOpen",)),
    (_C["inputMediaSupplyLow"], ("lowPaper",)),
    (_C["inputMediaSupplyEmpty"], ("noPaper", "inputTrayEmpty")),
    (_C["inputMediaTrayMissing"], ("inputTrayMissing",)),
    (_C["outputMediaTrayMissing"], ("outputTrayMissing",)),
    (_C["outputMediaTrayAlmostFull"], ("outputNearFull",)),
    (_C["outputMediaTrayFull"], ("outputFull",)),
    (_C["markerTonerAlmostEmpty"], ("lowToner",)), (_C["markerInkAlmostEmpty"], ("lowToner",)),
    (_C["markerTonerEmpty"], ("noToner",)), (_C["markerInkEmpty"], ("noToner",)),
    (_C["markerTonerCartridgeMissing"], ("markerSupplyMissing",)),
    (_C["subunitOffline"], ("offline",)),
    (_C["subunitUnrecoverableFailure"], ("serviceRequested",)),
    (_C["markerFuserUnderTemperature"], ("serviceRequested",)),
    (_C["markerFuserOverTemperature"], ("serviceRequested",)),
    (_C["markerOpcLifeOver"], ("overduePreventMaint",)), (_C["subunitLifeOver"],
                                                           ("overduePreventMaint",)),
    (_C["markerDeveloperEmpty"], ("overduePreventMaint",)),
)}
#: the alert code standing for a bit seen alone, and its group
BIT_CODES: dict[str, tuple[str, str]] = {
    "lowPaper": ("inputMediaSupplyLow", "input"), "noPaper": ("inputMediaSupplyEmpty", "input"),
    "lowToner": ("markerTonerAlmostEmpty", "markerSupplies"),
    "noToner": ("markerTonerEmpty", "markerSupplies"), "doorOpen": ("coverOpen", "cover"),
    "jammed": ("jam", "mediaPath"), "offline": ("subunitOffline", "generalPrinter"),
    "serviceRequested": ("subunitUnrecoverableFailure", "generalPrinter"),
    "inputTrayMissing": ("inputMediaTrayMissing", "input"),
    "outputTrayMissing": ("outputMediaTrayMissing", "output"),
    "markerSupplyMissing": ("markerTonerCartridgeMissing", "markerSupplies"),
    "outputNearFull": ("outputMediaTrayAlmostFull", "output"),
    "outputFull": ("outputMediaTrayFull", "output"),
    "inputTrayEmpty": ("inputMediaSupplyEmpty", "input"),
    "overduePreventMaint": ("subunitLifeOver", "markerSupplies"),
}


@dataclass(frozen=True, slots=True)
class Condition:
    """Something wrong with a device, as long as it lasts. ``key`` identifies the condition
    across reads (vendors renumber alert rows; a reboot rebuilds the table)."""

    key: str
    source: str  # "prtAlertTable", "hrPrinterDetectedErrorState" or "availability"
    code: int | None
    code_name: str
    group: str
    group_index: int
    location: int
    severity: str
    training: str
    description: str


def _int(row: dict[int, object], column: int, default: int) -> int:
    value = row.get(column)
    return value if isinstance(value, int) else default


def from_alert_rows(rows: dict[int, dict[int, object]]) -> list[Condition]:
    """Conditions from prtAlertTable rows (alert index -> column -> value), repeats merged."""
    found: dict[str, Condition] = {}
    for index in sorted(rows):
        row = rows[index]
        code = _int(row, 7, 1)
        group_number = _int(row, 4, 1)
        group_index, location = _int(row, 5, -1), _int(row, 6, -2)
        key = f"alert:{group_number}:{group_index}:{code}:{location}"
        if key in found:
            continue
        text = row.get(8)
        description = text.decode("utf-8", "replace").strip("\x00 ") if isinstance(text, bytes) \
            else ""
        found[key] = Condition(
            key, "prtAlertTable", code, _CODE_NAMES.get(code, str(code)),
            _GROUP_NAMES.get(group_number, str(group_number)), group_index, location,
            SEVERITY_NAMES.get(_int(row, 2, 1), "Other"),
            TRAINING_NAMES.get(_int(row, 3, 2), "Unknown"),
            description or _CODE_NAMES.get(code, f"alert code {code}"))
    return list(found.values())


def error_bits(octets: bytes) -> list[str]:
    """Condition names set in hrPrinterDetectedErrorState (one or two octets, MSB first)."""
    mask = int.from_bytes((octets + b"\x00\x00")[:2], "big")
    return tc.bit_names(mask)


def from_error_state(octets: bytes | None, explained_by: Iterable[Condition]) -> list[Condition]:
    """Conditions for the error-state bits no alert row explains."""
    if not octets:
        return []
    explained: set[str] = set()
    for condition in explained_by:
        if condition.code is not None:
            explained |= CODE_BITS.get(condition.code, frozenset())
    conditions = []
    for bit in error_bits(octets):
        if bit in explained:
            continue
        code_name, group = BIT_CODES[bit]
        critical = bit in tc.DOWN_BITS
        conditions.append(Condition(
            f"bit:{bit}", "hrPrinterDetectedErrorState", tc.ALERT_CODES[code_name], code_name,
            group, -1, -2, "Critical" if critical else "Warning (State)", "Untrained",
            f"hrPrinterDetectedErrorState: {bit}"))
    return conditions


@dataclass(frozen=True, slots=True)
class Change:
    """What one read did to a device's open records: conditions to open, keys to clear."""

    opened: tuple[Condition, ...]
    cleared: tuple[str, ...]


def reconcile(open_keys: Iterable[str], current: Iterable[Condition]) -> Change:
    """Compare the records open (by key, availability records excluded by the caller) with the
    conditions present now."""
    present = {c.key: c for c in current}
    keys = set(open_keys)
    return Change(tuple(c for k, c in present.items() if k not in keys),
                  tuple(sorted(k for k in keys if k not in present)))
