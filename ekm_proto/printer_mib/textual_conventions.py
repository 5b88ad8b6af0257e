"""Enumerated values of RFC 3805 / IANA-PRINTER-MIB / RFC 2790, by name.

Profiles and monitors name values ("tonerCartridge", "percent"); the MIB carries the numbers.
Keeping both in one table means a typo is reported with the list of names that would have worked,
and a monitor can show a number it reads under the name a person knows (``names``).
"""

from __future__ import annotations

# PrtMarkerSuppliesTypeTC (IANA-PRINTER-MIB)
SUPPLY_TYPES: dict[str, int] = {
    "other": 1, "unknown": 2, "toner": 3, "wasteToner": 4, "ink": 5, "inkCartridge": 6,
    "inkRibbon": 7, "wasteInk": 8, "opc": 9, "developer": 10, "fuserOil": 11, "solidWax": 12,
    "ribbonWax": 13, "wasteWax": 14, "fuser": 15, "coronaWire": 16, "fuserOilWick": 17,
    "cleanerUnit": 18, "fuserCleaningPad": 19, "transferUnit": 20, "tonerCartridge": 21,
    "fuserOiler": 22, "water": 23, "wasteWater": 24, "glueWaterAdditive": 25, "wastePaper": 26,
    "bindingSupply": 27, "bandingSupply": 28, "stitchingWire": 29, "shrinkWrap": 30,
    "paperWrap": 31, "staples": 32, "inserts": 33, "covers": 34,
}

# PrtMarkerSuppliesSupplyUnitTC (Printer-MIB v2)
SUPPLY_UNITS: dict[str, int] = {
    "other": 1, "unknown": 2, "tenThousandthsOfInches": 3, "micrometers": 4, "impressions": 7,
    "sheets": 8, "hours": 11, "thousandthsOfOunces": 12, "tenthsOfGrams": 13,
    "hundrethsOfFluidOunces": 14, "tenthsOfMilliliters": 15, "feet": 16, "meters": 17,
    "items": 18, "percent": 19,
}

# PrtMarkerSuppliesClassTC
SUPPLY_CLASSES: dict[str, int] = {"other": 1, "supplyThatIsConsumed": 3, "receptacleThatIsFilled": 4}
CONSUMED = 3
FILLED = 4

# PrtInputTypeTC / PrtOutputTypeTC
INPUT_TYPES: dict[str, int] = {
    "other": 1, "unknown": 2, "sheetFeedAutoRemovableTray": 3, "sheetFeedAutoNonRemovableTray": 4,
    "sheetFeedManual": 5, "continuousRoll": 6, "continuousFanFold": 7,
}
OUTPUT_TYPES: dict[str, int] = {
    "other": 1, "unknown": 2, "removableBin": 3, "unRemovableBin": 4, "continuousRollDevice": 5,
    "mailBox": 6, "continuousFanFold": 7,
}

# PrtMarkerMarkTechTC
MARK_TECH: dict[str, int] = {
    "other": 1, "unknown": 2, "electrophotographicLED": 3, "electrophotographicLaser": 4,
    "electrophotographicOther": 5, "inkjetAqueous": 12, "inkjetSolid": 13, "inkjetOther": 14,
    "thermalTransfer": 16, "thermalOther": 19,
}

# PrtMediaPathTypeTC
MEDIA_PATH_TYPES: dict[str, int] = {
    "other": 1, "unknown": 2, "longEdgeBindingDuplex": 3, "shortEdgeBindingDuplex": 4, "simplex": 5,
}

# PrtAlertSeverityLevelTC, PrtAlertTrainingLevelTC, PrtAlertGroupTC
SEVERITIES: dict[str, int] = {"other": 1, "critical": 3, "warning": 4, "warningBinaryChangeEvent": 5}
TRAININGS: dict[str, int] = {
    "other": 1, "unknown": 2, "untrained": 3, "trained": 4, "fieldService": 5, "management": 6,
    "noInterventionRequired": 7,
}
ALERT_GROUPS: dict[str, int] = {
    "other": 1, "hostResourcesMIBStorageTable": 3, "hostResourcesMIBDeviceTable": 4,
    "generalPrinter": 5, "cover": 6, "localization": 7, "input": 8, "output": 9, "marker": 10,
    "markerSupplies": 11, "markerColorant": 12, "mediaPath": 13, "channel": 14, "interpreter": 15,
    "consoleDisplayBuffer": 16, "consoleLights": 17, "alert": 18,
}

# PrtAlertCodeTC: the codes the emulator raises (the full TC has ~100 values; numbers are accepted too)
ALERT_CODES: dict[str, int] = {
    "other": 1, "unknown": 2, "coverOpen": 3, "coverClosed": 4, "interlockOpen": 5, "jam": 8,
    "subunitMissing": 9, "subunitLifeAlmostOver": 10, "subunitLifeOver": 11,
    "subunitAlmostEmpty": 12, "subunitEmpty": 13, "subunitAlmostFull": 14, "subunitFull": 15,
    "subunitOffline": 22, "subunitPowerSaver": 23, "subunitWarmingUp": 24,
    "subunitUnrecoverableFailure": 30, "powerUp": 503, "inputMediaTrayMissing": 801,
    "inputMediaSupplyLow": 807, "inputMediaSupplyEmpty": 808, "outputMediaTrayMissing": 901,
    "outputMediaTrayAlmostFull": 902, "outputMediaTrayFull": 903,
    "markerFuserUnderTemperature": 1001, "markerFuserOverTemperature": 1002,
    "markerTonerEmpty": 1101, "markerInkEmpty": 1102, "markerTonerAlmostEmpty": 1104,
    "markerInkAlmostEmpty": 1105, "markerWasteTonerReceptacleAlmostFull": 1107,
    "markerWasteInkReceptacleAlmostFull": 1108, "markerWasteTonerReceptacleFull": 1109,
    "markerWasteInkReceptacleFull": 1110, "markerOpcLifeAlmostOver": 1111, "markerOpcLifeOver": 1112,
    "markerDeveloperAlmostEmpty": 1113, "markerDeveloperEmpty": 1114,
    "markerTonerCartridgeMissing": 1115,
}

# PrtCoverStatusTC
COVER_OPEN = 3
COVER_CLOSED = 4

# RFC 2790 hrDeviceStatus / hrPrinterStatus
DEVICE_RUNNING, DEVICE_WARNING, DEVICE_DOWN = 2, 3, 5
PRINTER_OTHER, PRINTER_IDLE, PRINTER_PRINTING, PRINTER_WARMUP = 1, 3, 4, 5

# hrPrinterDetectedErrorState bit numbers (RFC 2790 / RFC 3805): bit 0 is the MSB of the first octet
ERROR_BITS: dict[str, int] = {
    "lowPaper": 0, "noPaper": 1, "lowToner": 2, "noToner": 3, "doorOpen": 4, "jammed": 5,
    "offline": 6, "serviceRequested": 7, "inputTrayMissing": 8, "outputTrayMissing": 9,
    "markerSupplyMissing": 10, "outputNearFull": 11, "outputFull": 12, "inputTrayEmpty": 13,
    "overduePreventMaint": 14,
}
# RFC 2790: the hrDeviceStatus each of the first eight conditions implies (down beats warning)
DOWN_BITS = frozenset({"noPaper", "noToner", "doorOpen", "jammed", "offline"})


def bit_mask(*names: str) -> int:
    """A 16-bit mask with the named conditions set, in the MSB-first numbering of the RFC."""
    mask = 0
    for name in names:
        mask |= 0x8000 >> ERROR_BITS[name]
    return mask


def bit_names(mask: int) -> list[str]:
    """The condition names set in a 16-bit mask, in bit order (for the control API)."""
    return [name for name, bit in ERROR_BITS.items() if mask & (0x8000 >> bit)]


DOWN_MASK = bit_mask(*DOWN_BITS)
WARNING_MASK = bit_mask("lowPaper", "lowToner", "serviceRequested")


def names(table: dict[str, int]) -> dict[int, str]:
    """Number -> name for one of the tables above (the first name of a number wins)."""
    reverse: dict[int, str] = {}
    for name, number in table.items():
        reverse.setdefault(number, name)
    return reverse
