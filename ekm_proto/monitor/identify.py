"""Who a device is, from what it answered: the requests discovery sends and the identity they
give (manufacturer, model, serial, MAC, location, engine cycles, the rows the loops will read).

Pure: varbinds in, an ``Identity`` (or None for something that is not a printer) out. A printer
is what serves the Printer-MIB's general table; its hrDeviceIndex is the first index of that row,
so devices whose printer is not device 1 are read at the right rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from ekm_proto.monitor.counter_catalog import KnownCounter
from ekm_proto.printer_mib import oids
from ekm_proto.printer_mib.vendors import VENDORS, vendor_of
from ekm_proto.snmp.types import EXCEPTIONS, Oid, SnmpType, SnmpValue, VarBind

PROBE: tuple[Oid, ...] = (oids.instance(oids.SYS_DESCR, 0), oids.instance(oids.SYS_OBJECT_ID, 0),
                          oids.instance(oids.SYS_UPTIME, 0), oids.instance(oids.SYS_NAME, 0),
                          oids.instance(oids.SYS_LOCATION, 0))
HR_DEVICE_DESCR: Oid = (*oids.HR_DEVICE_ENTRY, 3)
MEDIA_PATH_SPEED_UNIT: Oid = (*oids.MEDIA_PATH_ENTRY, 2)
MEDIA_PATH_SPEED: Oid = (*oids.MEDIA_PATH_ENTRY, 4)
#: first rows of these columns (one GETNEXT): the printer's row, model, counter, speed, MAC
FIRST_ROWS: tuple[Oid, ...] = (oids.GENERAL_SERIAL_NUMBER, oids.GENERAL_PRINTER_NAME,
                               oids.MARKER_LIFE_COUNT, MEDIA_PATH_SPEED_UNIT, MEDIA_PATH_SPEED,
                               oids.IF_PHYS_ADDRESS)
IMPRESSIONS_PER_HOUR = 7  # PrtMediaPathMaxSpeedPrintUnitTC
_INTEGERS = frozenset((SnmpType.INTEGER, SnmpType.COUNTER32, SnmpType.GAUGE32,
                       SnmpType.COUNTER64))


@dataclass(frozen=True, slots=True)
class Identity:
    """What discovery learnt about the device answering at ``address``."""

    address: str
    port: int
    credential: str
    serial: str
    mac: str
    manufacturer: str
    model: str
    name: str
    location: str
    engine_cycles: int | None
    uptime_ticks: int | None
    enterprise: int | None
    device_index: int
    marker_index: int
    if_index: int | None
    max_speed: int | None
    counters: tuple[KnownCounter, ...] = ()  # the vendor counters it answered

    @property
    def key(self) -> str:
        return self.serial or f"mac:{self.mac}"


def text(value: SnmpValue | None) -> str:
    if value is None or not isinstance(value[1], bytes):
        return ""
    return value[1].decode("utf-8", "replace").replace("\x00", "").strip()


def integer(value: SnmpValue | None) -> int | None:
    if value is None or value[0] not in _INTEGERS or not isinstance(value[1], int):
        return None
    return value[1]


def ticks(value: SnmpValue | None) -> int | None:
    """sysUpTime's TimeTicks (hundredths of a second), or None."""
    if value is None or value[0] != SnmpType.TIMETICKS or not isinstance(value[1], int):
        return None
    return value[1]


def format_mac(raw: bytes) -> str:
    return raw.hex(":").upper()


def mac_of(value: SnmpValue) -> bytes | None:
    """The 6-byte MAC an ifPhysAddress holds, or None (loopbacks and tunnels have none)."""
    raw = value[1]
    return raw if isinstance(raw, bytes) and len(raw) == 6 and any(raw) else None


def _in(column: Oid, varbind: VarBind) -> tuple[int, ...] | None:
    """The index of a GETNEXT answer if it is still in ``column``."""
    name, value = varbind
    if value[0] in EXCEPTIONS or name[:len(column)] != column or len(name) == len(column):
        return None
    return name[len(column):]


def manufacturer_of(sys_object_id: SnmpValue | None, *texts: str) -> tuple[str, int | None]:
    """(vendor name, enterprise number) from sysObjectID, else from a vendor named in text."""
    oid = sys_object_id[1] if sys_object_id is not None else None
    if isinstance(oid, tuple):
        vendor = vendor_of(oid)
        if vendor is not None:
            return vendor, oid[6]
    for line in texts:
        for enterprise, name in VENDORS.items():
            if name.lower() in line.lower().split() or line.lower().startswith(name.lower()):
                return name, enterprise
    return "Unknown", None


def identify(address: str, port: int, credential: str, probe: list[VarBind],
             first_rows: list[VarBind], device_descr: SnmpValue | None = None,
             mac: tuple[int, bytes] | None = None) -> Identity | None:
    """The identity of a printer, or None when the device serves no Printer-MIB.

    ``probe`` answers PROBE, ``first_rows`` answers a GETNEXT of FIRST_ROWS; ``device_descr`` is
    hrDeviceDescr of the printer's row, ``mac`` (ifIndex, address) a MAC found by walking
    ifPhysAddress when the first interface had none."""
    system = {name: value for name, value in probe}
    serial_row = _in(oids.GENERAL_SERIAL_NUMBER, first_rows[0])
    if serial_row is None:
        return None
    device_index = serial_row[0]
    model = text(first_rows[1][1]) if _in(oids.GENERAL_PRINTER_NAME, first_rows[1]) else ""
    model = model or text(device_descr) or text(system.get(PROBE[0]))
    life_row = _in(oids.MARKER_LIFE_COUNT, first_rows[2])
    marker_index = life_row[1] if life_row is not None and len(life_row) > 1 else 1
    engine_cycles = integer(first_rows[2][1]) if life_row is not None else None
    unit = integer(first_rows[3][1]) if _in(MEDIA_PATH_SPEED_UNIT, first_rows[3]) else None
    speed = integer(first_rows[4][1]) if _in(MEDIA_PATH_SPEED, first_rows[4]) else None
    if_row = _in(oids.IF_PHYS_ADDRESS, first_rows[5])
    if_index, mac_text = None, ""
    first_mac = mac_of(first_rows[5][1])
    if if_row is not None and first_mac is not None:
        if_index, mac_text = if_row[0], format_mac(first_mac)
    elif mac is not None:
        if_index, mac_text = mac[0], format_mac(mac[1])
    vendor, enterprise = manufacturer_of(system.get(PROBE[1]), text(device_descr), model,
                                         text(system.get(PROBE[0])))
    return Identity(
        address=address, port=port, credential=credential, serial=text(first_rows[0][1]),
        mac=mac_text, manufacturer=vendor, model=model, name=text(system.get(PROBE[3])),
        location=text(system.get(PROBE[4])), engine_cycles=engine_cycles,
        uptime_ticks=ticks(system.get(PROBE[2])), enterprise=enterprise, device_index=device_index,
        marker_index=marker_index, if_index=if_index,
        max_speed=speed if unit == IMPRESSIONS_PER_HOUR and speed and speed > 0 else None)
