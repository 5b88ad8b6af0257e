"""The OIDs each loop needs, with the types that make them usable: what the loops read and what
the device analyser checks a device for ("each sub-process only reading the specific information
it needs", as the overview says). Columns are given without index."""

from __future__ import annotations

from dataclasses import dataclass

from ekm_proto.printer_mib import oids
from ekm_proto.snmp.types import Oid, SnmpType

INT, STR, TICKS, C32 = SnmpType.INTEGER, SnmpType.OCTET_STRING, SnmpType.TIMETICKS, \
    SnmpType.COUNTER32
GENERAL_ALERT_ALL_EVENTS: Oid = (*oids.GENERAL_ENTRY, 19)
MARKER_STATUS: Oid = (*oids.MARKER_ENTRY, 15)
STANDBY = 2  # PrtSubUnitStatusTC availability: availableAndStandby (power save)
INPUT_MAX_CAPACITY, INPUT_LEVEL, INPUT_STATUS, INPUT_MEDIA, INPUT_NAME = (
    (*oids.INPUT_ENTRY, 9), (*oids.INPUT_ENTRY, 10), (*oids.INPUT_ENTRY, 11),
    (*oids.INPUT_ENTRY, 12), (*oids.INPUT_ENTRY, 13))
SUPPLIES_COLORANT_INDEX: Oid = (*oids.SUPPLIES_ENTRY, 3)
COLORANT_VALUE: Oid = (*oids.COLORANT_ENTRY, 4)
ALERT_GROUP_INDEX, ALERT_LOCATION = (*oids.ALERT_ENTRY, 5), (*oids.ALERT_ENTRY, 6)
ALERT_TABLE_COLUMNS: tuple[Oid, ...] = tuple((*oids.ALERT_ENTRY, c) for c in range(2, 9))
SUPPLY_COLUMNS: tuple[Oid, ...] = tuple((*oids.SUPPLIES_ENTRY, c) for c in range(3, 10))
TRAY_COLUMNS: tuple[Oid, ...] = (INPUT_MAX_CAPACITY, INPUT_LEVEL, INPUT_STATUS, INPUT_MEDIA,
                                 INPUT_NAME)


@dataclass(frozen=True, slots=True)
class Need:
    """An object a loop reads: ``scalar`` objects are read at ``.0``, columns at the printer's
    rows. Without a ``required`` object the loop cannot do its job; the others it can do
    without (with less detail)."""

    name: str
    oid: Oid
    types: frozenset[SnmpType]
    required: bool = True
    scalar: bool = False


def _need(name: str, oid: Oid, *types: SnmpType, required: bool = True,
          scalar: bool = False) -> Need:
    return Need(name, oid, frozenset(types), required, scalar)


UPTIME = _need("sysUpTime", oids.SYS_UPTIME, TICKS, scalar=True)
LIFE_COUNT = _need("prtMarkerLifeCount", oids.MARKER_LIFE_COUNT, C32)
NEEDS: dict[str, tuple[Need, ...]] = {
    "alert": (
        UPTIME, _need("hrDeviceStatus", oids.HR_DEVICE_STATUS, INT),
        _need("hrPrinterDetectedErrorState", oids.HR_PRINTER_DETECTED_ERROR_STATE, STR),
        _need("prtAlertAllEvents", GENERAL_ALERT_ALL_EVENTS, C32, required=False),
        # an empty alert table is no fault: rows exist only while something is wrong
        _need("prtAlertSeverityLevel", oids.ALERT_SEVERITY, INT, required=False),
        _need("prtAlertTrainingLevel", oids.ALERT_TRAINING, INT, required=False),
        _need("prtAlertGroup", oids.ALERT_GROUP, INT, required=False),
        _need("prtAlertGroupIndex", ALERT_GROUP_INDEX, INT, required=False),
        _need("prtAlertLocation", ALERT_LOCATION, INT, required=False),
        _need("prtAlertCode", oids.ALERT_CODE, INT, required=False),
        _need("prtAlertDescription", oids.ALERT_DESCRIPTION, STR, required=False)),
    "identity": (
        UPTIME, _need("sysName", oids.SYS_NAME, STR, scalar=True),
        _need("sysLocation", oids.SYS_LOCATION, STR, scalar=True),
        _need("prtGeneralSerialNumber", oids.GENERAL_SERIAL_NUMBER, STR),
        _need("ifPhysAddress", oids.IF_PHYS_ADDRESS, STR, required=False), LIFE_COUNT),
    "meter": (
        UPTIME, LIFE_COUNT,
        _need("prtMarkerPowerOnCount", oids.MARKER_POWER_ON_COUNT, C32, required=False),
        _need("prtMarkerStatus", MARKER_STATUS, INT, required=False)),
    "consumables": (
        _need("prtMarkerSuppliesDescription", oids.SUPPLIES_DESCRIPTION, STR),
        _need("prtMarkerSuppliesType", oids.SUPPLIES_TYPE, INT, required=False),
        _need("prtMarkerSuppliesClass", oids.SUPPLIES_CLASS, INT, required=False),
        _need("prtMarkerSuppliesSupplyUnit", oids.SUPPLIES_UNIT, INT, required=False),
        _need("prtMarkerSuppliesMaxCapacity", oids.SUPPLIES_MAX_CAPACITY, INT),
        _need("prtMarkerSuppliesLevel", oids.SUPPLIES_LEVEL, INT),
        _need("prtMarkerColorantValue", COLORANT_VALUE, STR, required=False)),
    "tray": (
        _need("prtInputMaxCapacity", INPUT_MAX_CAPACITY, INT),
        _need("prtInputCurrentLevel", INPUT_LEVEL, INT),
        _need("prtInputStatus", INPUT_STATUS, INT, required=False),
        _need("prtInputMediaName", INPUT_MEDIA, STR, required=False),
        _need("prtInputName", INPUT_NAME, STR, required=False)),
}
