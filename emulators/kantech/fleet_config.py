"""What a fleet of emulated Kantech IP devices looks like, before any socket opens.

Settings come in layers, later ones winning: built-in defaults (WIRE.md section 6 ports), a
fleet TOML file's ``[defaults]`` table, the options given on the command line, then each
``[[devices]]`` entry's own. The file is read like every protolab TOML file
(``protolab.config_file``): a bad value names the file, the table, the key and what was expected,
a bad option names the option, and a key nobody reads is an error. The result is a flat list of
frozen ``DeviceConfig``, one per device, so the runtime never has to re-derive anything and a
test can build a fleet without a file.

Fleet file::

    [defaults]
    key = "site-key"          # every CLI setting may appear here (dashes or underscores)
    site_id = 7
    gateway = "127.0.0.1:18801"
    first_address = "127.20.0.1"

    [[devices]]
    model = "kt400"           # kt400 | kt1 | iplink (any case; KT-400, kt-400 ... too)
    count = 10                # default 1; each entry's settings override the defaults
    replay = "none"

    [[devices]]
    model = "kt1"
    address = "127.20.1.5"    # only with count = 1, like mac and serial
    mac = "00:a0:c2:00:01:05"
    transport = "tcp"
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from emulators.kantech.event_buffer import DEFAULT_BOUND
from kantech_proto.codes import DeviceModel, Port, model_choices, model_name, parse_device_model
from kantech_proto.errors import ConfigurationError
from kantech_proto.replay import ReplayPolicy
from kantech_proto.wire_profile import AesMode, ChecksumKind, WireProfile
from protolab.config_file import ConfigTable, load_toml

MAC_PREFIX = bytes.fromhex("00a0c2")
TRANSPORTS = ("udp", "tcp")
#: the models a fleet runs on the IP network (KT-100/KT-300 live on an IP-Link's loop)
FLEET_MODELS = (DeviceModel.KT_400, DeviceModel.KT_1, DeviceModel.IP_LINK)
_SERIAL_PREFIX = {DeviceModel.KT_400: "KT400", DeviceModel.KT_1: "KT1", DeviceModel.IP_LINK: "IPL"}
#: the fleet-wide counts (``--kt400 N`` ...), named after each model's one spelling
_COUNTS = tuple((model_name(model), model) for model in FLEET_MODELS)


@dataclass(frozen=True, slots=True)
class DeviceConfig:
    """Everything one emulated IP device needs; ``index`` is its place in the fleet."""

    index: int
    model: DeviceModel
    address: str
    mac: bytes
    serial_number: str
    key: str
    site_id: int
    gateway: tuple[str, int]
    gateway_tcp_port: int = int(Port.DEVICE_TO_GATEWAY_TCP)
    device_port: int = int(Port.GATEWAY_TO_DEVICE_UDP)
    discovery_port: int = int(Port.DISCOVERY_BROADCAST_UDP)
    replay: ReplayPolicy = ReplayPolicy.WINDOW
    pulse: float = 10.0
    transport: str = "udp"
    firmware: tuple[int, int, int] = (1, 0, 0)
    netmask: str = "255.0.0.0"
    loop_size: int = 0
    loop_link: str = ""  # IP-Link: poll its loop over this serial device (else in-process)
    loop_serve: str = ""  # IP-Link: run its loop's controllers on this serial device
    loop_baud: int = 9600
    tftp_port: int = int(Port.IPLINK_TFTP)  # IP-Links serve their firmware here
    event_buffer: int = DEFAULT_BOUND  # unacknowledged events kept; past it the oldest go
    checksum: str = ChecksumKind.CRC16_CCITT_FALSE.value  # the wire profile (WIRE.md section 1)
    aes_mode: str = AesMode.CBC_ZERO_IV.value
    factory_default: bool = False  # silent, serving its configuration page until configured
    http_port: int = int(Port.CONFIG_HTTP)
    router: str = ""  # the IP default router ANNOUNCE reports (else the gateway's address)

    @property
    def profile(self) -> WireProfile:
        return WireProfile.from_names(self.checksum, self.aes_mode)

    @property
    def name(self) -> str:
        """Log name: model and address, what a lab engineer looks for."""
        return f"{self.model.name}@{self.address}"

    @property
    def mac_text(self) -> str:
        return format_mac(self.mac)


@dataclass(frozen=True, slots=True)
class FleetSettings:
    """Fleet-wide settings (the CLI's options); every one can be overridden per device."""

    kt400: int = 0
    kt1: int = 0
    iplink: int = 0
    loop_size: int = 4
    loop_link: str = ""
    loop_serve: str = ""
    loop_baud: int = 9600
    tftp_port: int = int(Port.IPLINK_TFTP)
    first_address: str = "127.20.0.1"
    gateway: str = "127.0.0.1"  # port: 18801 over UDP, gateway_tcp_port (18802) over TCP
    gateway_tcp_port: int = int(Port.DEVICE_TO_GATEWAY_TCP)
    key: str = "protolab"
    site_id: int = 1
    device_port: int = int(Port.GATEWAY_TO_DEVICE_UDP)
    discovery_port: int = int(Port.DISCOVERY_BROADCAST_UDP)
    replay: str = ReplayPolicy.WINDOW.value
    pulse: float = 10.0
    transport: str = "udp"
    netmask: str = "255.0.0.0"
    firmware: str = "1.0.0"
    event_buffer: int = DEFAULT_BOUND
    checksum: str = ChecksumKind.CRC16_CCITT_FALSE.value
    aes_mode: str = AesMode.CBC_ZERO_IV.value
    factory_default: bool = False
    http_port: int = int(Port.CONFIG_HTTP)

    def merged(self, overrides: Mapping[str, Any]) -> FleetSettings:
        """These settings with ``overrides`` (None values ignored; dashes allowed in names)."""
        known = set(self.__dataclass_fields__)
        changes: dict[str, Any] = {}
        for raw_name, value in overrides.items():
            name = raw_name.replace("-", "_")
            if value is None:
                continue
            if name not in known:
                raise ConfigurationError(f"unknown fleet setting {raw_name!r}; expected one of "
                                         f"{', '.join(sorted(known))}")
            changes[name] = value
        return replace(self, **changes)


class OptionTable(ConfigTable):
    """Command-line options read like a table; an error names the option (``--site-id``)."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        super().__init__({k: v for k, v in options.items() if v is not None}, "command line",
                         dashes=True)

    def error(self, key: str, expected: str) -> ConfigurationError:
        flag = "--" + key.replace("_", "-")
        return ConfigurationError(f"{flag} {self.data.get(key)!r}: expected {expected}",
                                  source=self.source, key=key)


# -- reading one setting --------------------------------------------------------------------
def format_mac(mac: bytes) -> str:
    return ":".join(f"{b:02x}" for b in mac)


def parse_mac(text: str) -> bytes:
    """``00:a0:c2:00:00:01``, dashes or bare hex; exactly 6 bytes."""
    cleaned = text.replace(":", "").replace("-", "").strip()
    try:
        mac = bytes.fromhex(cleaned)
    except ValueError:
        mac = b""
    if len(mac) != 6:
        raise ConfigurationError(f"MAC address {text!r}: expected 6 bytes in hex, such as "
                                 "00:a0:c2:00:00:01")
    return mac


def derive_mac(address: str) -> bytes:
    """Kantech's OUI plus the address's low 24 bits: stable across runs, unique within a /8."""
    return MAC_PREFIX + ipaddress.IPv4Address(address).packed[1:]


def derive_serial(model: DeviceModel, mac: bytes) -> str:
    return f"{_SERIAL_PREFIX.get(model, 'KT')}-{mac[3:].hex().upper()}"


def parse_firmware(text: str | list[int] | tuple[int, ...]) -> tuple[int, int, int]:
    """``"1.0.0"`` or three numbers, each 0..255."""
    parts = text.split(".") if isinstance(text, str) else list(text)
    numbers = [int(p) for p in parts if isinstance(p, int) or str(p).isdigit()]
    if len(parts) != 3 or len(numbers) != 3 or any(not 0 <= p <= 255 for p in numbers):
        raise ConfigurationError(f"firmware {text!r}: expected three numbers 0..255, "
                                 "such as 1.0.0")
    return numbers[0], numbers[1], numbers[2]


def _ipv4(table: ConfigTable, key: str) -> str:
    value = table.get(key)
    try:
        return str(ipaddress.IPv4Address(str(value)))
    except ValueError:
        raise table.error(key, "an IPv4 address such as 127.20.0.1") from None


def _port(table: ConfigTable, key: str) -> int:
    return table.integer(key, lo=0, hi=0xFFFF)


def _gateway(table: ConfigTable, key: str) -> tuple[str, int]:
    value = table.get(key)
    if isinstance(value, tuple) and len(value) == 2:
        table.data[key] = f"{value[0]}:{value[1]}"
    host, port = table.host_port(key, 0)  # 0: not given, the transport's default port
    if ":" in host:  # ANNOUNCE carries the gateway as 4 bytes: WIRE.md's devices are IPv4
        raise table.error(key, "an IPv4 HOST:PORT such as 127.0.0.1:18801")
    return host, port


def _word(choices: tuple[str, ...]) -> Callable[[ConfigTable, str], str]:
    def read(table: ConfigTable, key: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or value.lower() not in choices:
            raise table.error(key, "one of " + ", ".join(choices))
        return value.lower()
    return read


def _pulse(table: ConfigTable, key: str) -> float:
    value = table.number(key)
    if value <= 0:
        raise table.error(key, "a positive number of seconds")
    return value


def _firmware(table: ConfigTable, key: str) -> tuple[int, int, int]:
    try:
        return parse_firmware(table.get(key))
    except (ConfigurationError, TypeError):
        raise table.error(key, "three numbers 0..255, such as 1.0.0") from None


_REPLAY = _word(tuple(p.value for p in ReplayPolicy))
#: every setting a device takes, and how to read and check it
DEVICE_SETTINGS: dict[str, Callable[[ConfigTable, str], Any]] = {
    "key": lambda t, k: t.string(k, max_length=16, ascii_only=True),
    "site_id": lambda t, k: t.integer(k, lo=0, hi=0xFFFFFFFF),
    "gateway": _gateway,
    "gateway_tcp_port": _port, "device_port": _port, "discovery_port": _port, "tftp_port": _port,
    "replay": lambda t, k: ReplayPolicy(_REPLAY(t, k)),
    "pulse": _pulse,
    "transport": _word(TRANSPORTS),
    "netmask": _ipv4,
    "firmware": _firmware,
    "loop_size": lambda t, k: t.integer(k, lo=0, hi=127),
    "loop_link": lambda t, k: t.string(k),
    "loop_serve": lambda t, k: t.string(k),
    "loop_baud": lambda t, k: t.integer(k, lo=300, hi=1_000_000),
    "event_buffer": lambda t, k: t.integer(k, lo=1, hi=1_000_000),
    "checksum": _word(tuple(kind.value for kind in ChecksumKind)),
    "aes_mode": _word(tuple(mode.value for mode in AesMode)),
    "factory_default": lambda t, k: t.flag(k),
    "http_port": _port,
}
#: fleet-wide settings on top of those (the file's [defaults] and the command line)
FLEET_SETTINGS: dict[str, Callable[[ConfigTable, str], Any]] = {
    **DEVICE_SETTINGS,
    "first_address": _ipv4,
    **{name: lambda t, k: t.integer(k, lo=0) for name, _ in _COUNTS},
}
_ONE_DEVICE = ("address", "mac", "serial", "serial_number")
_ENTRY_KEYS = ("model", "count", *_ONE_DEVICE, *DEVICE_SETTINGS)


# -- the fleet --------------------------------------------------------------------------------
def load_fleet_file(path: str | Path) -> ConfigTable:
    """A fleet file's top level (keys may use dashes or underscores)."""
    table = load_toml(path, "fleet file")
    return ConfigTable(table.data, table.source, dashes=True)


def build_fleet(settings: FleetSettings | None = None,
                fleet: ConfigTable | Mapping[str, Any] | None = None,
                cli_overrides: Mapping[str, Any] | None = None) -> list[DeviceConfig]:
    """The devices of a fleet: the file's ``[[devices]]`` entries, then the CLI's counts.

    ``cli_overrides`` are options the user typed (None: not given); they beat the file's
    ``[defaults]`` but not a device entry's own settings, which are the most specific.
    """
    top = fleet if isinstance(fleet, ConfigTable) else ConfigTable(fleet or {}, "<fleet>",
                                                                   dashes=True)
    defaults = top.sub("defaults")
    entries = top.tables("devices")
    top.check_unknown()
    defaults.check_unknown(tuple(FLEET_SETTINGS))
    options = OptionTable(cli_overrides or {})
    options.check_unknown(tuple(FLEET_SETTINGS))
    base = ConfigTable(dataclasses.asdict(settings or FleetSettings()), "fleet settings")
    layers = (options, defaults, base)
    shared = {name: read(next(t for t in layers if name in t), name)
              for name, read in FLEET_SETTINGS.items()}
    devices: list[tuple[ConfigTable, DeviceModel, int]] = [
        _entry(entry) for entry in entries]
    for name, model in _COUNTS:
        if shared[name]:
            devices.append((ConfigTable({}, "command line"), model, shared[name]))
    first = ipaddress.IPv4Address(shared["first_address"])
    configs: list[DeviceConfig] = []
    for entry, model, count in devices:
        values = {name: read(entry, name) if name in entry else shared[name]
                  for name, read in DEVICE_SETTINGS.items()}
        for _ in range(count):
            configs.append(_device(len(configs), first, model, entry, values))
    _check_unique(configs)
    return configs


def _entry(entry: ConfigTable) -> tuple[ConfigTable, DeviceModel, int]:
    entry.check_unknown(_ENTRY_KEYS)
    try:
        model = parse_device_model(entry.get("model", "kt400"), FLEET_MODELS)
    except ConfigurationError:
        raise entry.error("model", model_choices(FLEET_MODELS)) from None
    count = entry.integer("count", 1, lo=1)
    if count > 1 and any(k in entry for k in _ONE_DEVICE):
        raise entry.error("count", "1 when address, mac or serial is given (they name one "
                          "device)")
    return entry, model, count


def _device(index: int, first: ipaddress.IPv4Address, model: DeviceModel, entry: ConfigTable,
            values: dict[str, Any]) -> DeviceConfig:
    if "address" in entry:
        address = _ipv4(entry, "address")
    else:
        try:
            address = str(first + index)
        except ipaddress.AddressValueError:
            raise ConfigurationError(f"device {index}: first address {first} + {index} runs "
                                     "past 255.255.255.255") from None
    mac = derive_mac(address)
    if "mac" in entry:
        try:
            mac = parse_mac(entry.string("mac"))
        except ConfigurationError:
            raise entry.error("mac", "6 bytes in hex, such as 00:a0:c2:00:00:01") from None
    serial_key = "serial" if "serial" in entry else "serial_number"
    serial = entry.string(serial_key, derive_serial(model, mac), max_length=16, ascii_only=True)
    loop_size = values["loop_size"] if model is DeviceModel.IP_LINK else 0
    if values["loop_serve"] and not values["loop_link"] and model is DeviceModel.IP_LINK:
        raise ConfigurationError(f"device {index}: loop_serve {values['loop_serve']!r} needs "
                                 "loop_link: expected the serial device the IP-Link polls its "
                                 "loop over (the other end of the pair)")
    host, port = values["gateway"]
    if not port:  # the port given is used whatever the transport; else the transport's own
        port = values["gateway_tcp_port"] if values["transport"] == "tcp" else int(
            Port.DEVICE_TO_GATEWAY_UDP)
    return DeviceConfig(index=index, model=model, address=address, mac=mac,
                        serial_number=serial, **{**values, "loop_size": loop_size,
                                                 "gateway": (host, port)})


def _check_unique(configs: list[DeviceConfig]) -> None:
    seen_addr: dict[tuple[str, int], int] = {}
    seen_mac: dict[bytes, int] = {}
    for cfg in configs:
        where = (cfg.address, cfg.device_port)
        if cfg.device_port and where in seen_addr:
            raise ConfigurationError(f"devices {seen_addr[where]} and {cfg.index} both use "
                                     f"{cfg.address}:{cfg.device_port}: expected one address "
                                     "per device (or device_port = 0)")
        if cfg.mac in seen_mac:
            raise ConfigurationError(f"devices {seen_mac[cfg.mac]} and {cfg.index} share MAC "
                                     f"{cfg.mac_text}: expected one MAC per device")
        seen_addr[where] = cfg.index
        seen_mac[cfg.mac] = cfg.index
