"""Alert triage, steps one and two: native alert -> standard code -> category (sans-IO).

Step one gives every native alert a standard code shared across vendors, so a jam on an HP, a
Kyocera or a Xerox is the same ``JAM``: first the vendor's own code (a Xerox "077-103" in the
description, an HP "13.A2.D3"), then the Printer-MIB's prtAlertCode, then its group. Step two
puts the code in a category. Step three, routing by rules, is ``rules.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ekm_proto.printer_mib import textual_conventions as tc

CATEGORIES = ("jam", "media out", "media low", "consumable", "cover", "output", "system warning",
              "system fail", "availability", "change", "other")

#: standard code -> (category, what it means)
STANDARD_CODES: dict[str, tuple[str, str]] = {
    "JAM": ("jam", "paper jam"),
    "MEDIA_OUT": ("media out", "a tray is empty"),
    "MEDIA_LOW": ("media low", "a tray is low"),
    "TRAY_MISSING": ("media out", "a tray is open or missing"),
    "COVER_OPEN": ("cover", "a cover or door is open"),
    "OUTPUT_FULL": ("output", "an output bin is full"),
    "OUTPUT_ALMOST_FULL": ("output", "an output bin is almost full"),
    "TONER_LOW": ("consumable", "toner or ink is low"),
    "TONER_EMPTY": ("consumable", "toner or ink is empty"),
    "CARTRIDGE_MISSING": ("consumable", "a cartridge is missing"),
    "WASTE_ALMOST_FULL": ("consumable", "a waste receptacle is almost full"),
    "WASTE_FULL": ("consumable", "a waste receptacle is full"),
    "PART_LIFE_LOW": ("consumable", "a drum, developer or kit is near its end of life"),
    "PART_LIFE_OVER": ("consumable", "a drum, developer or kit has reached its end of life"),
    "FUSER_FAULT": ("system fail", "the fuser failed"),
    "SERVICE_REQUIRED": ("system fail", "an unrecoverable failure: field service"),
    "OFFLINE": ("system warning", "the printer is offline"),
    "WAITING": ("system warning", "the printer waits for someone (next original, warm-up)"),
    "UNAVAILABLE": ("availability", "the device does not answer"),
    "OTHER": ("other", "an alert with no standard meaning"),
}

_BY_ALERT_CODE: dict[str, str] = {
    "jam": "JAM", "coverOpen": "COVER_OPEN", "interlockOpen": "COVER_OPEN",
    "inputMediaSupplyEmpty": "MEDIA_OUT", "inputMediaSupplyLow": "MEDIA_LOW",
    "inputMediaTrayMissing": "TRAY_MISSING", "outputMediaTrayFull": "OUTPUT_FULL",
    "outputMediaTrayAlmostFull": "OUTPUT_ALMOST_FULL", "outputMediaTrayMissing": "OUTPUT_FULL",
    "markerTonerAlmostEmpty": "TONER_LOW", "markerInkAlmostEmpty": "TONER_LOW",
    "markerTonerEmpty": "TONER_EMPTY", "markerInkEmpty": "TONER_EMPTY",
    "markerTonerCartridgeMissing": "CARTRIDGE_MISSING",
    "markerWasteTonerReceptacleAlmostFull": "WASTE_ALMOST_FULL",
    "markerWasteInkReceptacleAlmostFull": "WASTE_ALMOST_FULL",
    "markerWasteTonerReceptacleFull": "WASTE_FULL", "markerWasteInkReceptacleFull": "WASTE_FULL",
    "subunitAlmostFull": "WASTE_ALMOST_FULL", "subunitFull": "WASTE_FULL",
    "markerOpcLifeAlmostOver": "PART_LIFE_LOW", "markerOpcLifeOver": "PART_LIFE_OVER",
    "markerDeveloperAlmostEmpty": "PART_LIFE_LOW", "markerDeveloperEmpty": "PART_LIFE_OVER",
    "subunitLifeAlmostOver": "PART_LIFE_LOW", "subunitLifeOver": "PART_LIFE_OVER",
    "subunitAlmostEmpty": "TONER_LOW", "subunitEmpty": "TONER_EMPTY",
    "markerFuserUnderTemperature": "FUSER_FAULT", "markerFuserOverTemperature": "FUSER_FAULT",
    "subunitUnrecoverableFailure": "SERVICE_REQUIRED", "subunitOffline": "OFFLINE",
    "subunitWarmingUp": "WAITING", "subunitPowerSaver": "WAITING",
}
_CODE_NAMES = tc.names(tc.ALERT_CODES)
_GROUP_NAMES = tc.names(tc.ALERT_GROUPS)
_BY_GROUP: dict[str, str] = {
    "cover": "COVER_OPEN", "input": "MEDIA_OUT", "output": "OUTPUT_FULL", "mediaPath": "JAM",
    "markerSupplies": "TONER_LOW", "marker": "SERVICE_REQUIRED",
}


@dataclass(frozen=True, slots=True)
class VendorCode:
    """A vendor's own alert code (a regular expression on it) and the standard code it means."""

    vendor: str  # as the asset's manufacturer reads, case-insensitive; "*" for any
    pattern: re.Pattern[str]
    standard: str


def vendor_code(vendor: str, pattern: str, standard: str) -> VendorCode:
    return VendorCode(vendor, re.compile(pattern, re.I), standard)


#: built-in vendor codes (Xerox-style fault codes as the overview shows them, HP control-panel
#: codes), the first match wins; a rules file adds its own before these
VENDOR_CODES: tuple[VendorCode, ...] = (
    vendor_code("*", r"^07[0-9]-4[5-9]\d", "MEDIA_OUT"),
    vendor_code("*", r"^0(7[1-9]|8\d)-", "JAM"),
    vendor_code("*", r"^010-", "FUSER_FAULT"),
    vendor_code("*", r"^003-9", "WAITING"),
    vendor_code("HP", r"^13\.", "JAM"),
    vendor_code("HP", r"^41\.", "MEDIA_OUT"),
    vendor_code("HP", r"^10\.", "CARTRIDGE_MISSING"),
    vendor_code("HP", r"^50\.", "FUSER_FAULT"),
)
_LEADING_CODE = re.compile(r"^\s*(\d{3}-\d{3}|\d{2}\.[0-9A-Z]{2}(\.[0-9A-Z]{2})?)\b")


@dataclass(frozen=True, slots=True)
class Triage:
    standard_code: str
    category: str
    step: str  # which of vendor code, alert code, group gave the standard code


def native_vendor_code(given: str | None, description: str) -> str | None:
    """The vendor's code: as the agent sent it, or leading the description ("077-103 ...")."""
    if given:
        return given.strip()
    match = _LEADING_CODE.match(description)
    return match.group(1) if match else None


def triage(*, manufacturer: str | None, code: int, group: int, vendor: str | None,
           description: str, extra: Sequence[VendorCode] = ()) -> Triage:
    """Steps one and two for one native alert."""
    native = native_vendor_code(vendor, description)
    if native is not None:
        found = _vendor_match(manufacturer, native, (*extra, *VENDOR_CODES))
        if found is not None:
            return Triage(found, STANDARD_CODES[found][0], f"vendor code {native}")
    name = _CODE_NAMES.get(code)
    if name in _BY_ALERT_CODE:
        standard = _BY_ALERT_CODE[name]
        return Triage(standard, STANDARD_CODES[standard][0], f"prtAlertCode {name}")
    group_name = _GROUP_NAMES.get(group)
    if group_name in _BY_GROUP:
        standard = _BY_GROUP[group_name]
        return Triage(standard, STANDARD_CODES[standard][0], f"prtAlertGroup {group_name}")
    return Triage("OTHER", "other", "no match")


def _vendor_match(manufacturer: str | None, native: str, table: Sequence[VendorCode]
                  ) -> str | None:
    maker = (manufacturer or "").lower()
    for entry in table:
        if (entry.vendor == "*" or entry.vendor.lower() == maker) and entry.pattern.search(native):
            return entry.standard
    return None


SEVERITY_TEXT = {"critical": "Critical", "warning": "Warning (State)",
                 "warningBinaryChangeEvent": "Warning (Event)", "other": "Other"}
TRAINING_TEXT = {"untrained": "Untrained", "trained": "Trained", "fieldService": "Field Service",
                 "management": "Management", "noInterventionRequired": "No Intervention Required",
                 "unknown": "Unknown", "other": "Other"}
NOT_SET = "[Not set]"
_SEVERITY_NAMES = tc.names(tc.SEVERITIES)
_TRAINING_NAMES = tc.names(tc.TRAININGS)


def severity_text(severity: int | None) -> str:
    """As the overview's alert tables show it ("Critical", "Warning (State)", "[Not set]")."""
    name = _SEVERITY_NAMES.get(severity) if severity else None
    return SEVERITY_TEXT.get(name, NOT_SET) if name else NOT_SET


def training_text(training: int | None) -> str:
    name = _TRAINING_NAMES.get(training) if training else None
    return TRAINING_TEXT.get(name, NOT_SET) if name else NOT_SET
