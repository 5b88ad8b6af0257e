"""What a fleet of emulated Kantech IP devices looks like, before any socket opens.

Settings come in three layers, later ones winning: built-in defaults (WIRE.md section 6 ports), a
fleet TOML file's ``[defaults]`` table, then the options given on the command line. The result is a
flat list of frozen ``DeviceConfig``, one per device, so the runtime never has to re-derive
anything and a test can build a fleet without a file.

Fleet file::

    [defaults]
    key = "site-key"          # every CLI setting may appear here (dashes or underscores)
    site_id = 7
    gateway = "127.0.0.1:18801"
    first_address = "127.20.0.1"

    [[devices]]
    model = "kt400"           # kt400 | kt1 | iplink
    count = 10                # default 1; each entry's settings override the defaults
    replay = "none"

    [[devices]]
    model = "kt1"
    address = "127.20.1.5"    # only with count = 1, like mac and serial
    mac = "00:a0:c2:00:01:05"
    transport = "tcp"
"""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kantech_proto.codes import DeviceModel, Port
from kantech_proto.errors import ConfigurationError
from kantech_proto.replay import ReplayPolicy

MAC_PREFIX = bytes.fromhex("00a0c2")
TRANSPORTS = ("udp", "tcp")
MODEL_NAMES: dict[str, DeviceModel] = {
    "kt400": DeviceModel.KT_400, "kt-400": DeviceModel.KT_400, "kt_400": DeviceModel.KT_400,
    "kt1": DeviceModel.KT_1, "kt-1": DeviceModel.KT_1, "kt_1": DeviceModel.KT_1,
    "iplink": DeviceModel.IP_LINK, "ip-link": DeviceModel.IP_LINK, "ip_link": DeviceModel.IP_LINK,
}
_SERIAL_PREFIX = {DeviceModel.KT_400: "KT400", DeviceModel.KT_1: "KT1", DeviceModel.IP_LINK: "IPL"}


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
    tftp_port: int = int(Port.IPLINK_TFTP)  # IP-Links serve their firmware here

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
    tftp_port: int = int(Port.IPLINK_TFTP)
    first_address: str = "127.20.0.1"
    gateway: str = "127.0.0.1:18801"
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

    def merged(self, overrides: Mapping[str, Any]) -> FleetSettings:
        """These settings with ``overrides`` (None values ignored; dashes allowed in names)."""
        known = set(self.__dataclass_fields__)
        changes: dict[str, Any] = {}
        for raw_name, value in overrides.items():
            name = raw_name.replace("-", "_")
            if value is None:
                continue
            if name not in known:
                raise ConfigurationError(f"unknown fleet setting {raw_name!r}")
            changes[name] = value
        return replace(self, **changes)


_DEVICE_KEYS = {"model", "count", "address", "mac", "serial", "serial_number", "replay", "pulse",
                "transport", "key", "site_id", "gateway", "gateway_tcp_port", "device_port",
                "discovery_port", "netmask", "firmware", "loop_size", "tftp_port"}


def format_mac(mac: bytes) -> str:
    return ":".join(f"{b:02x}" for b in mac)


def parse_mac(text: str) -> bytes:
    """``00:a0:c2:00:00:01``, dashes or bare hex; exactly 6 bytes."""
    cleaned = text.replace(":", "").replace("-", "").strip()
    try:
        mac = bytes.fromhex(cleaned)
    except ValueError:
        raise ConfigurationError(f"MAC address {text!r} is not hex") from None
    if len(mac) != 6:
        raise ConfigurationError(f"MAC address {text!r} must be 6 bytes")
    return mac


def derive_mac(address: str) -> bytes:
    """Kantech's OUI plus the address's low 24 bits: stable across runs, unique within a /8."""
    return MAC_PREFIX + ipaddress.IPv4Address(address).packed[1:]


def derive_serial(model: DeviceModel, mac: bytes) -> str:
    return f"{_SERIAL_PREFIX.get(model, 'KT')}-{mac[3:].hex().upper()}"


def parse_host_port(text: str, default_port: int) -> tuple[str, int]:
    """``host:port`` or ``host``; the host must be an IPv4 address (no DNS in a lab fleet)."""
    host, sep, port_text = str(text).rpartition(":")
    if not sep:
        host, port_text = str(text), str(default_port)
    try:
        ipaddress.IPv4Address(host)
        port = int(port_text)
    except ValueError:
        raise ConfigurationError(f"{text!r} is not IPV4:PORT") from None
    _check_port(port, "port")
    return host, port


def parse_model(name: str | DeviceModel) -> DeviceModel:
    if isinstance(name, DeviceModel):
        return name
    try:
        return MODEL_NAMES[str(name).lower()]
    except KeyError:
        raise ConfigurationError(
            f"unknown device model {name!r}; expected kt400, kt1 or iplink") from None


def parse_firmware(text: str | Iterable[int]) -> tuple[int, int, int]:
    parts = [int(p) for p in text.split(".")] if isinstance(text, str) else [int(p) for p in text]
    if len(parts) != 3 or any(not 0 <= p <= 255 for p in parts):
        raise ConfigurationError(f"firmware {text!r} must be three numbers 0..255, e.g. 1.0.0")
    return parts[0], parts[1], parts[2]


def load_fleet_file(path: str | Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"cannot read fleet file {path}: {exc}") from None


def build_fleet(settings: FleetSettings, fleet: Mapping[str, Any] | None = None,
                cli_overrides: Mapping[str, Any] | None = None) -> list[DeviceConfig]:
    """The devices of a fleet: the file's ``[[devices]]`` entries, then the CLI's counts.

    ``cli_overrides`` are options the user typed; they beat the file's ``[defaults]`` (but not a
    device entry's own settings, which are the most specific).
    """
    fleet = fleet or {}
    unknown = set(fleet) - {"defaults", "devices"}
    if unknown:
        raise ConfigurationError(f"unknown fleet file tables: {', '.join(sorted(unknown))}")
    base = settings.merged(fleet.get("defaults", {})).merged(cli_overrides or {})
    entries: list[dict[str, Any]] = []
    for entry in fleet.get("devices", []):
        if not isinstance(entry, Mapping):
            raise ConfigurationError("each [[devices]] entry must be a table")
        entries.append({k.replace("-", "_"): v for k, v in entry.items()})
    for name, count in (("kt400", base.kt400), ("kt1", base.kt1), ("iplink", base.iplink)):
        if count < 0:
            raise ConfigurationError(f"--{name} must not be negative")
        if count:
            entries.append({"model": name, "count": count})
    first = _address(base.first_address)
    configs: list[DeviceConfig] = []
    for entry in entries:
        bad = set(entry) - _DEVICE_KEYS
        if bad:
            raise ConfigurationError(f"unknown device settings: {', '.join(sorted(bad))}")
        count = int(entry.get("count", 1))
        if count < 1:
            raise ConfigurationError("a device entry's count must be at least 1")
        if count > 1 and any(k in entry for k in ("address", "mac", "serial", "serial_number")):
            raise ConfigurationError("address, mac and serial apply to one device (count = 1)")
        for _ in range(count):
            configs.append(_device(len(configs), first, base, entry))
    _check_unique(configs)
    return configs


def _device(index: int, first: ipaddress.IPv4Address, base: FleetSettings,
            entry: Mapping[str, Any]) -> DeviceConfig:
    def get(name: str) -> Any:
        return entry.get(name, getattr(base, name))

    model = parse_model(entry.get("model", "kt400"))
    if "address" in entry:
        address = str(_address(entry["address"]))
    else:
        try:
            address = str(first + index)
        except ipaddress.AddressValueError:
            raise ConfigurationError(f"device {index} runs past 255.255.255.255") from None
    mac = parse_mac(entry["mac"]) if "mac" in entry else derive_mac(address)
    serial = str(entry.get("serial", entry.get("serial_number", derive_serial(model, mac))))
    if len(serial) > 16 or not serial.isascii():
        raise ConfigurationError(f"serial {serial!r} must be at most 16 ASCII characters")
    key = str(get("key"))
    if len(key) > 16 or not key.isascii():
        raise ConfigurationError("the key must be at most 16 ASCII characters")
    site_id = int(get("site_id"))
    if not 0 <= site_id <= 0xFFFFFFFF:
        raise ConfigurationError(f"site id {site_id} does not fit 32 bits")
    try:
        replay = ReplayPolicy(str(get("replay")).lower())
    except ValueError:
        raise ConfigurationError(f"replay policy {get('replay')!r}: none, strict or window") from None
    transport = str(get("transport")).lower()
    if transport not in TRANSPORTS:
        raise ConfigurationError(f"transport {transport!r}: udp or tcp")
    pulse = float(get("pulse"))
    if pulse <= 0:
        raise ConfigurationError("the pulse interval must be positive")
    ports = {name: int(get(name))
             for name in ("gateway_tcp_port", "device_port", "discovery_port", "tftp_port")}
    for name, port in ports.items():
        _check_port(port, name)
    loop_size = int(get("loop_size")) if model is DeviceModel.IP_LINK else 0
    if not 0 <= loop_size <= 127:
        raise ConfigurationError("an RS-485 loop holds at most 127 controllers")
    return DeviceConfig(
        index=index, model=model, address=address, mac=mac, serial_number=serial, key=key,
        site_id=site_id, gateway=parse_host_port(get("gateway"), int(Port.DEVICE_TO_GATEWAY_UDP)),
        replay=replay, pulse=pulse, transport=transport, firmware=parse_firmware(get("firmware")),
        netmask=str(ipaddress.IPv4Address(get("netmask"))), loop_size=loop_size, **ports)


def _address(text: Any) -> ipaddress.IPv4Address:
    try:
        return ipaddress.IPv4Address(str(text))
    except ValueError:
        raise ConfigurationError(f"{text!r} is not an IPv4 address") from None


def _check_port(port: int, what: str) -> None:
    if not 0 <= port <= 0xFFFF:
        raise ConfigurationError(f"{what} {port} is not a port number")


def _check_unique(configs: list[DeviceConfig]) -> None:
    seen_addr: dict[tuple[str, int], int] = {}
    seen_mac: dict[bytes, int] = {}
    for cfg in configs:
        where = (cfg.address, cfg.device_port)
        if cfg.device_port and where in seen_addr:
            raise ConfigurationError(f"devices {seen_addr[where]} and {cfg.index} both use "
                                     f"{cfg.address}:{cfg.device_port}")
        if cfg.mac in seen_mac:
            raise ConfigurationError(f"devices {seen_mac[cfg.mac]} and {cfg.index} share MAC "
                                     f"{cfg.mac_text}")
        seen_addr[where] = cfg.index
        seen_mac[cfg.mac] = cfg.index
