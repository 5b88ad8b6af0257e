"""The numbers WIRE.md fixes: commands, NAK reasons, operations, models, record types, ports."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from kantech_proto.errors import ConfigurationError


class Command(enum.IntEnum):
    """WIRE.md section 3; the same codes on the IP and the serial link."""

    PULSE = 0x01  # device -> gateway, every heartbeat; never answered
    DISCOVER = 0x02  # gateway or finder -> broadcast or one device (UDP 18803)
    ANNOUNCE = 0x03  # device -> gateway: at boot (ACK it), and the answer to DISCOVER
    ACK = 0x04  # both: a request done, or a device-initiated message received
    NAK = 0x05  # both: a request refused, with a reason
    POLL = 0x10  # gateway or IP-Link -> a loop controller (serial); answered by presence/event
    STATUS_QUERY = 0x12  # gateway -> device: answered by STATUS_REPLY
    STATUS_REPLY = 0x13  # device -> gateway: the 63-byte complete status
    SET_DATETIME = 0x14  # gateway -> device: sets its clock; answered ACK
    MANUAL_OP = 0x20  # gateway -> device: unlock, relay, shunt...; answered MANUAL_OP_REPLY
    MANUAL_OP_REPLY = 0x21  # device -> gateway: 8 bytes per component
    RELOAD_BEGIN = 0x30  # gateway -> device: starts a reload; answered ACK
    RELOAD_RECORDS = 0x31  # gateway -> device: records of one type; answered ACK
    RELOAD_END = 0x32  # gateway -> device: the record count; answered ACK or NAK 2
    EVENT = 0x40  # device -> gateway, event id 0: one event; the gateway ACKs it
    FIRMWARE_BLOCK = 0x50  # gateway -> device: 128 bytes of an image; answered ACK
    FIRMWARE_END = 0x51  # gateway -> device: count and CRC-32; ACK, then the device reboots
    TUNNEL = 0x60  # gateway <-> IP-Link: whole serial frames for or from its loop


class NakReason(enum.IntEnum):
    UNKNOWN_COMMAND = 1  # a command code WIRE.md does not define, or one this device never takes
    BAD_DATA = 2  # data that does not fit the command's layout, or a field out of its range
    BUSY = 3  # an IP-Link whose loop could not carry the TUNNEL (link down, stopping)
    BAD_SEQUENCE = 4  # reserved by WIRE.md; the emulators do not send it
    NOT_ALLOWED = 5  # a valid command the device's state refuses (RELOAD_RECORDS/END outside a reload)


class ManualOperation(enum.IntEnum):
    UNLOCK_DOOR = 1  # doors: unlocked until locked (or for duration when not 0)
    LOCK_DOOR = 2  # doors: locked now
    UNLOCK_DOOR_TIMED = 3  # doors: for duration, or the door's unlock_time when 0
    ACTIVATE_RELAY = 4  # relays and outputs: on until deactivated (or for duration)
    DEACTIVATE_RELAY = 5  # relays and outputs: off now
    ACTIVATE_RELAY_TIMED = 6  # relays and outputs: for duration, or the programmed time when 0
    SHUNT_INPUT = 7  # inputs: ignored until unshunted (or for duration)
    UNSHUNT_INPUT = 8  # inputs: watched again


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
