"""What each emulated controller model has, in one table.

| model  | doors | relays | inputs | outputs | door timers | card type  | schedule type  |
|--------|-------|--------|--------|---------|-------------|------------|----------------|
| KT-400 | 4     | 4      | 16     | 16      | 65,535 s    | CARD_KT400 | SCHEDULE_KT400 |
| KT-1   | 1     | 2      | 5      | 5       | 65,535 s    | CARD_KT400 | SCHEDULE_KT400 |
| KT-100 | 1     | 2      | 4      | 2       | 255 s       | CARD_KT100 | SCHEDULE_KT100 |
| KT-300 | 2     | 2      | 8      | 4       | 255 s       | CARD_KT100 | SCHEDULE_KT100 |

KT-400 and KT-1 counts come from the issue; the KT-100 and KT-300 counts are protolab's choice,
after the boards' base (unexpanded) hardware. Default wiring, used while no DoorRecord names the
points: door ``d`` has its contact on input ``2d - 1``, its request-to-exit on input ``2d`` and
its lock on relay ``d`` (on a KT-1: contact input 1, REX input 2, lock relay 1, as the issue says).

Record types marked "(KT-300)" or "(KT-400)" in WIRE.md section 4 are taken only by those boards;
a KT-1 shares the KT-400's card and schedule layouts but has no SPI bus.
"""

from __future__ import annotations

from dataclasses import dataclass

from kantech_proto.codes import DeviceModel, RecordType
from kantech_proto.errors import ConfigurationError

_ALL = frozenset(RecordType)


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """The sizes and record types one controller model is built with."""

    model: DeviceModel
    doors: int
    relays: int
    inputs: int
    outputs: int
    max_timer: int
    card_type: RecordType
    schedule_type: RecordType
    record_types: frozenset[RecordType]

    def count(self, kind_name: str) -> int:
        """Components of a kind by its ``ComponentKind`` name (DOOR, RELAY, INPUT, OUTPUT)."""
        return {"DOOR": self.doors, "RELAY": self.relays, "INPUT": self.inputs,
                "OUTPUT": self.outputs}[kind_name]

    def contact_input(self, door: int) -> int:
        return 2 * door - 1

    def rex_input(self, door: int) -> int:
        return 2 * door

    def lock_relay(self, door: int) -> int:
        return door


_KT100_ONLY = {RecordType.CARD_KT100, RecordType.SCHEDULE_KT100}
_KT400_ONLY = {RecordType.CARD_KT400, RecordType.SCHEDULE_KT400}
_KT300_MODULES = {RecordType.SERIAL_NUMBER, RecordType.DSC_MODULE}

SPECS: dict[DeviceModel, ModelSpec] = {
    DeviceModel.KT_400: ModelSpec(DeviceModel.KT_400, 4, 4, 16, 16, 0xFFFF, RecordType.CARD_KT400,
                                  RecordType.SCHEDULE_KT400,
                                  _ALL - _KT100_ONLY - _KT300_MODULES),
    DeviceModel.KT_1: ModelSpec(DeviceModel.KT_1, 1, 2, 5, 5, 0xFFFF, RecordType.CARD_KT400,
                                RecordType.SCHEDULE_KT400,
                                _ALL - _KT100_ONLY - _KT300_MODULES - {RecordType.SPI_MODULE}),
    DeviceModel.KT_100: ModelSpec(DeviceModel.KT_100, 1, 2, 4, 2, 255, RecordType.CARD_KT100,
                                  RecordType.SCHEDULE_KT100,
                                  _ALL - _KT400_ONLY - _KT300_MODULES - {RecordType.SPI_MODULE}),
    DeviceModel.KT_300: ModelSpec(DeviceModel.KT_300, 2, 2, 8, 4, 255, RecordType.CARD_KT100,
                                  RecordType.SCHEDULE_KT100,
                                  _ALL - _KT400_ONLY - {RecordType.SPI_MODULE}),
}


def spec_for(model: DeviceModel) -> ModelSpec:
    """The spec of a controller model; an IP-Link is a bridge, not a controller."""
    try:
        return SPECS[model]
    except KeyError:
        raise ConfigurationError(f"{model.name} is not an emulated controller model: expected "
                                 "KT_400, KT_1, KT_100 or KT_300") from None
