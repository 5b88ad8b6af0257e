"""The numbers WIRE.md fixes: commands, NAK reasons, operations, models, record types, ports."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from kantech_proto.errors import ConfigurationError


class Command(enum.IntEnum):
    """WIRE.md section 3; the same codes on the IP and the serial link."""

    PULSE = 0x01
    DISCOVER = 0x02
    ANNOUNCE = 0x03
    ACK = 0x04
    NAK = 0x05
    POLL = 0x10
    STATUS_QUERY = 0x12
    STATUS_REPLY = 0x13
    SET_DATETIME = 0x14
    MANUAL_OP = 0x20
    MANUAL_OP_REPLY = 0x21
    RELOAD_BEGIN = 0x30
    RELOAD_RECORDS = 0x31
    RELOAD_END = 0x32
    EVENT = 0x40
    FIRMWARE_BLOCK = 0x50
    FIRMWARE_END = 0x51
    TUNNEL = 0x60


class NakReason(enum.IntEnum):
    UNKNOWN_COMMAND = 1
    BAD_DATA = 2
    BUSY = 3
    BAD_SEQUENCE = 4
    NOT_ALLOWED = 5


class ManualOperation(enum.IntEnum):
    UNLOCK_DOOR = 1
    LOCK_DOOR = 2
    UNLOCK_DOOR_TIMED = 3
    ACTIVATE_RELAY = 4
    DEACTIVATE_RELAY = 5
    ACTIVATE_RELAY_TIMED = 6
    SHUNT_INPUT = 7
    UNSHUNT_INPUT = 8


class ComponentKind(enum.IntEnum):
    DOOR = 1
    RELAY = 2
    INPUT = 3
    OUTPUT = 4


class DeviceModel(enum.IntEnum):
    KT_400 = 1
    KT_1 = 2
    IP_LINK = 3
    KT_100 = 4
    KT_300 = 5


#: the one name of each model that people type (fleet files, site files, command lines); any case,
#: and a dash, underscore or space anywhere, means the same model: ``KT-400``, ``kt_400``,
#: ``IP-Link`` and ``KT_400`` (the enum's own name) are all ``kt400`` / ``iplink``
MODEL_NAMES: dict[str, DeviceModel] = {
    "kt400": DeviceModel.KT_400, "kt1": DeviceModel.KT_1, "iplink": DeviceModel.IP_LINK,
    "kt100": DeviceModel.KT_100, "kt300": DeviceModel.KT_300,
}
_NAME_OF = {model: name for name, model in MODEL_NAMES.items()}


def model_name(model: DeviceModel) -> str:
    """The model's one typed name (``kt400``)."""
    return _NAME_OF[model]


def model_choices(allowed: Iterable[DeviceModel] | None = None) -> str:
    """What a person may type, for error messages: ``one of kt400, kt1 (any case, KT-400 ...)``."""
    names = [model_name(m) for m in (allowed if allowed is not None else DeviceModel)]
    return f"one of {', '.join(names)} (any case; KT-400 and kt-400 work too)"


def parse_device_model(text: str | DeviceModel, allowed: Iterable[DeviceModel] | None = None
                       ) -> DeviceModel:
    """The model a name means; ConfigurationError naming the choices when it means none of
    ``allowed`` (default: every model)."""
    choices = tuple(allowed) if allowed is not None else tuple(DeviceModel)
    if isinstance(text, DeviceModel):
        model: DeviceModel | None = text
    else:
        key = "".join(ch for ch in str(text).lower() if ch not in "-_ ")
        model = MODEL_NAMES.get(key)
    if model is None or model not in choices:
        raise ConfigurationError(f"device model {text!r}: expected {model_choices(choices)}")
    return model


class RecordType(enum.IntEnum):
    """WIRE.md section 4 record type codes (sizes live with the layouts in reload_records)."""

    GLOBAL_SYSTEM = 1
    CONTROLLER = 2
    READER_DRIVER = 3
    FLOOR_ASSIGNATION = 4
    SERIAL_NUMBER = 5
    DSC_MODULE = 6
    SPI_MODULE = 7
    FLOOR_DEFINITION = 8
    DOOR = 9
    RELAY = 10
    INPUT = 11
    OUTPUT = 12
    CARD_KT400 = 13
    CARD_KT100 = 14
    SCHEDULE_KT400 = 15
    SCHEDULE_KT100 = 16
    ACCESS_LEVEL = 17
    FLOOR_GROUP = 18
    FLOOR_GROUP_MASK = 19
    HOLIDAYS = 20
    RELAY_GROUP = 21
    INPUT_GROUP = 22
    ACTION_SCHEDULER = 23
    DATE_TIME = 24


class Port(enum.IntEnum):
    """WIRE.md section 6 defaults; every one is overridable where it is used."""

    DEVICE_TO_GATEWAY_UDP = 18801
    DEVICE_TO_GATEWAY_TCP = 18802
    DISCOVERY_BROADCAST_UDP = 18803
    GATEWAY_TO_DEVICE_UDP = 18810
    IPLINK_TFTP = 18001
    CONFIG_HTTP = 80
