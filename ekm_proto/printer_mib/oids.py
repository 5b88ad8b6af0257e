"""The OIDs of what a printer serves and a monitor reads: MIB-II system and interfaces (RFC 1213,
RFC 3418), Host Resources (RFC 2790) and Printer-MIB v2 (RFC 3805).

Table entries are given without index; Printer-MIB rows are indexed (hrDeviceIndex, table index),
Host Resources device rows by hrDeviceIndex. Column numbers are the RFC's.
"""

from __future__ import annotations

from ekm_proto.snmp.types import Oid

MIB2: Oid = (1, 3, 6, 1, 2, 1)
ENTERPRISES: Oid = (1, 3, 6, 1, 4, 1)
ZERO_DOT_ZERO: Oid = (0, 0)

# MIB-II system group: scalars (instance .0 appended)
SYSTEM: Oid = (*MIB2, 1)
SYS_DESCR, SYS_OBJECT_ID, SYS_UPTIME = (*SYSTEM, 1), (*SYSTEM, 2), (*SYSTEM, 3)
SYS_CONTACT, SYS_NAME, SYS_LOCATION, SYS_SERVICES = ((*SYSTEM, 4), (*SYSTEM, 5), (*SYSTEM, 6),
                                                     (*SYSTEM, 7))
INTERFACES: Oid = (*MIB2, 2)
IF_ENTRY: Oid = (*INTERFACES, 2, 1)
IF_PHYS_ADDRESS: Oid = (*IF_ENTRY, 6)
IP_ADDR_ENTRY: Oid = (*MIB2, 4, 20, 1)

# Host Resources
HOST: Oid = (*MIB2, 25)
HR_SYSTEM_UPTIME: Oid = (*HOST, 1, 1)
HR_STORAGE_ENTRY: Oid = (*HOST, 2, 3, 1)
HR_STORAGE_TYPES: Oid = (*HOST, 2, 1)
HR_DEVICE_ENTRY: Oid = (*HOST, 3, 2, 1)
HR_DEVICE_PRINTER: Oid = (*HOST, 3, 1, 5)  # hrDeviceType of a printer
HR_DEVICE_STATUS: Oid = (*HR_DEVICE_ENTRY, 5)
HR_DEVICE_ERRORS: Oid = (*HR_DEVICE_ENTRY, 6)
HR_PRINTER_ENTRY: Oid = (*HOST, 3, 5, 1)
HR_PRINTER_STATUS: Oid = (*HR_PRINTER_ENTRY, 1)
HR_PRINTER_DETECTED_ERROR_STATE: Oid = (*HR_PRINTER_ENTRY, 2)

# Printer-MIB v2 (RFC 3805)
PRINTMIB: Oid = (*MIB2, 43)
GENERAL_ENTRY: Oid = (*PRINTMIB, 5, 1, 1)
GENERAL_PRINTER_NAME: Oid = (*GENERAL_ENTRY, 16)
GENERAL_SERIAL_NUMBER: Oid = (*GENERAL_ENTRY, 17)
COVER_ENTRY: Oid = (*PRINTMIB, 6, 1, 1)
LOCALIZATION_ENTRY: Oid = (*PRINTMIB, 7, 1, 1)
INPUT_ENTRY: Oid = (*PRINTMIB, 8, 2, 1)
OUTPUT_ENTRY: Oid = (*PRINTMIB, 9, 2, 1)
MARKER_ENTRY: Oid = (*PRINTMIB, 10, 2, 1)
MARKER_LIFE_COUNT: Oid = (*MARKER_ENTRY, 4)
MARKER_POWER_ON_COUNT: Oid = (*MARKER_ENTRY, 5)
SUPPLIES_ENTRY: Oid = (*PRINTMIB, 11, 1, 1)
SUPPLIES_CLASS, SUPPLIES_TYPE = (*SUPPLIES_ENTRY, 4), (*SUPPLIES_ENTRY, 5)
SUPPLIES_DESCRIPTION, SUPPLIES_UNIT = (*SUPPLIES_ENTRY, 6), (*SUPPLIES_ENTRY, 7)
SUPPLIES_MAX_CAPACITY, SUPPLIES_LEVEL = (*SUPPLIES_ENTRY, 8), (*SUPPLIES_ENTRY, 9)
COLORANT_ENTRY: Oid = (*PRINTMIB, 12, 1, 1)
MEDIA_PATH_ENTRY: Oid = (*PRINTMIB, 13, 4, 1)
CONSOLE_DISPLAY_BUFFER_ENTRY: Oid = (*PRINTMIB, 16, 5, 1)
ALERT_ENTRY: Oid = (*PRINTMIB, 18, 1, 1)
ALERT_SEVERITY, ALERT_TRAINING, ALERT_GROUP = ((*ALERT_ENTRY, 2), (*ALERT_ENTRY, 3),
                                               (*ALERT_ENTRY, 4))
ALERT_CODE, ALERT_DESCRIPTION, ALERT_TIME = ((*ALERT_ENTRY, 7), (*ALERT_ENTRY, 8),
                                             (*ALERT_ENTRY, 9))

# the tables by name (each one's subtree), as profiles and quirks name them
TABLES: dict[str, Oid] = {
    "hrStorageTable": HR_STORAGE_ENTRY[:-1], "hrDeviceTable": HR_DEVICE_ENTRY[:-1],
    "hrPrinterTable": HR_PRINTER_ENTRY[:-1], "ifTable": IF_ENTRY[:-1],
    "ipAddrTable": IP_ADDR_ENTRY[:-1], "prtGeneralTable": GENERAL_ENTRY[:-1],
    "prtCoverTable": COVER_ENTRY[:-1], "prtLocalizationTable": LOCALIZATION_ENTRY[:-1],
    "prtInputTable": INPUT_ENTRY[:-1], "prtOutputTable": OUTPUT_ENTRY[:-1],
    "prtMarkerTable": MARKER_ENTRY[:-1], "prtMarkerSuppliesTable": SUPPLIES_ENTRY[:-1],
    "prtMarkerColorantTable": COLORANT_ENTRY[:-1], "prtMediaPathTable": MEDIA_PATH_ENTRY[:-1],
    "prtConsoleDisplayBufferTable": CONSOLE_DISPLAY_BUFFER_ENTRY[:-1],
    "prtAlertTable": ALERT_ENTRY[:-1],
}


def instance(column: Oid, *index: int) -> Oid:
    """A column's OID for one row (``instance(SUPPLIES_LEVEL, 1, 3)``), or a scalar's
    (``instance(SYS_NAME, 0)``)."""
    return (*column, *index)
