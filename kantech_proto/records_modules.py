"""Reload records for a controller's expansion hardware: the KT-300's serial numbers and DSC
alarm panel, and the KT-400's SPI expansion bus.

Module lists are packed from the first slot (unused slots are zero); DSC zones are numbered slots.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar

import construct as c

from kantech_proto.codes import RecordType
from kantech_proto.errors import FieldValueError
from kantech_proto.record_kinds import DIGITS, Choice, Flags, Nested, Number, Packed, Table, Text
from kantech_proto.records_base import ReloadRecord, WireModel, record


class ModuleKind(enum.IntEnum):
    RELAY_8 = 1  # KT-MOD-REL8
    INPUT_16 = 2  # KT-MOD-INP16
    OUTPUT_16 = 3  # KT-MOD-OUT16
    DSC_PANEL = 4
    READER_2 = 5


ModuleSerialLayout = c.Struct(
    "kind" / c.Int8ub * "ModuleKind",
    "bus_address" / c.Int8ub * "1..15",
    "serial" / c.Bytes(12) * "ASCII, zero-padded",
)


@dataclass(frozen=True, slots=True)
class ModuleSerial(WireModel):
    STRUCT: ClassVar = ModuleSerialLayout
    KINDS: ClassVar = {"kind": Choice(ModuleKind), "bus_address": Number(1, 15),
                       "serial": Text(12)}
    kind: ModuleKind
    bus_address: int
    serial: str = ""


SerialNumberLayout = c.Struct(
    "controller_serial" / c.Bytes(16) * "ASCII, zero-padded, as in ANNOUNCE",
    "hardware_revision" / c.Int8ub * "board revision EntraPass expects (0..255)",
    "modules" / c.Array(7, ModuleSerialLayout) * "listed first, unused slots zero",
)


@record(RecordType.SERIAL_NUMBER, SerialNumberLayout)
@dataclass(frozen=True, slots=True)
class SerialNumber(ReloadRecord):
    """The KT-300 and expansion modules EntraPass expects, so a swapped board is reported."""

    controller_serial: str
    hardware_revision: int = 0
    modules: tuple[ModuleSerial, ...] = ()
    KINDS: ClassVar = {"controller_serial": Text(16), "modules": Packed(Nested(ModuleSerial), 7)}
    BEHAVIOUR: ClassVar = ("KT-300 only (other models answer NAK 2). Kept as sent and listed by "
                           "the control API; the emulated controller compares nothing with it.")


class DscPanel(enum.IntEnum):
    POWER_SERIES = 1
    MAXSYS = 2


class DscOption(enum.IntFlag):
    DISARM_ON_GRANT = 0x01  # a granted card at the zone's door disarms its partition
    ARM_ON_LOCK = 0x02  # locking the door by schedule arms the partition
    REPORT_TROUBLES = 0x04


class ZoneType(enum.IntEnum):
    UNUSED = 0
    INSTANT = 1
    DELAY = 2
    FOLLOWER = 3
    H24 = 4
    FIRE = 5


DscZoneLayout = c.Struct(
    "input" / c.Int8ub * "the controller input that mirrors the zone; 0 = none",
    "partition" / c.Int8ub * "1..8",
    "zone_type" / c.Int8ub * "ZoneType",
)


@dataclass(frozen=True, slots=True)
class DscZone(WireModel):
    STRUCT: ClassVar = DscZoneLayout
    KINDS: ClassVar = {"partition": Number(0, 8), "zone_type": Choice(ZoneType)}
    input: int = 0
    partition: int = 0
    zone_type: ZoneType = ZoneType.UNUSED

    def check(self) -> None:
        if self.zone_type == ZoneType.UNUSED:
            if self.input or self.partition:
                raise FieldValueError("an unused zone has no input and no partition")
        elif not self.partition:
            raise FieldValueError("a used zone belongs to a partition 1..8")


DscModuleLayout = c.Struct(
    "panel" / c.Int8ub * "DscPanel",
    "bus_address" / c.Int8ub * "address of the panel's interface on the controller's bus",
    "partitions" / c.Int8ub * "1..8",
    "options" / c.Int8ub * "DscOption",
    "exit_delay" / c.Int8ub * "s",
    "entry_delay" / c.Int8ub * "s",
    "access_code" / c.Bytes(6) * "ASCII digits the controller keys in to arm/disarm",
    "zones" / c.Array(64, DscZoneLayout) * "zone n at slot n",
)


@record(RecordType.DSC_MODULE, DscModuleLayout)
@dataclass(frozen=True, slots=True)
class DscModule(ReloadRecord):
    """A DSC alarm panel on a KT-300: its partitions and which inputs mirror its zones."""

    panel: DscPanel
    bus_address: int = 0
    partitions: int = 1
    options: DscOption = DscOption(0)
    exit_delay: int = 30
    entry_delay: int = 30
    access_code: str = ""
    zones: tuple[DscZone, ...] = ()
    KINDS: ClassVar = {
        "panel": Choice(DscPanel), "partitions": Number(1, 8), "options": Flags(DscOption),
        "access_code": Text(6, DIGITS), "zones": Table(Nested(DscZone), 64),
    }
    BEHAVIOUR: ClassVar = ("KT-300 only (other models answer NAK 2). Kept as sent and listed by "
                           "the control API; no DSC panel is emulated behind it.")

    def check(self) -> None:
        if any(z.partition > self.partitions for z in self.zones):
            raise FieldValueError(f"a zone names a partition over {self.partitions}")


class SpiOption(enum.IntFlag):
    SUPERVISED = 0x01  # a missing module is reported
    REQUIRED = 0x02  # the controller refuses to run without it


SpiModuleLayout = c.Struct(
    "kind" / c.Int8ub * "ModuleKind",
    "bus_address" / c.Int8ub * "1..15",
    "first_point" / c.Int8ub * "number of its first relay/input/output on the controller",
    "point_count" / c.Int8ub * "relays, inputs or outputs the module adds",
    "options" / c.Int8ub * "SpiOption",
    "poll_interval" / c.Int8ub * "1/100 s",
)


@dataclass(frozen=True, slots=True)
class SpiModule(WireModel):
    STRUCT: ClassVar = SpiModuleLayout
    KINDS: ClassVar = {"kind": Choice(ModuleKind), "bus_address": Number(1, 15),
                       "first_point": Number(1, 255), "options": Flags(SpiOption)}
    kind: ModuleKind
    bus_address: int
    first_point: int
    point_count: int
    options: SpiOption = SpiOption.SUPERVISED
    poll_interval: int = 10


SpiBusLayout = c.Struct(
    "modules" / c.Array(15, SpiModuleLayout) * "up to 15 modules listed from the first slot; "
    "unused slots are zero",
)


@record(RecordType.SPI_MODULE, SpiBusLayout)
@dataclass(frozen=True, slots=True)
class SpiBus(ReloadRecord):
    """The expansion modules on a KT-400's SPI bus, and where their points are numbered."""

    modules: tuple[SpiModule, ...] = ()
    KINDS: ClassVar = {"modules": Packed(Nested(SpiModule), 15)}
    BEHAVIOUR: ClassVar = ("KT-400 only (other models answer NAK 2). Kept as sent and listed by "
                           "the control API; the points a controller has come from its model.")
