"""The factory-default configuration form (paper, table 14: HTTP 80, factory-default mode only),
sans-IO: the submitted body in, the new settings or the errors by field out.

A technician sets the site key, the site id, the gateway address and the device's IP settings.
Every field is checked the way the fleet file checks it; an error names the field and what was
expected, and the page shows it beside that field.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import parse_qsl

from kantech_proto.errors import KantechError

MAX_BODY = 4096
FIELDS = ("key", "site_id", "gateway", "ip", "netmask", "router")
LABELS = {"key": "Site key", "site_id": "Site id", "gateway": "Gateway (IP:port)",
          "ip": "IP address", "netmask": "Netmask", "router": "Default router"}


class FormError(KantechError):
    """A body that is not a form at all (too long, not URL-encoded text)."""


@dataclass(frozen=True, slots=True)
class FactorySettings:
    """What the technician saved: the device leaves factory mode with these."""

    key: str
    site_id: int
    gateway: tuple[str, int]
    ip: str
    netmask: str
    router: str


def parse_body(body: bytes) -> dict[str, str]:
    """``application/x-www-form-urlencoded`` fields (the last of a repeated name wins)."""
    if len(body) > MAX_BODY:
        raise FormError(f"form of {len(body)} bytes: expected at most {MAX_BODY}")
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        raise FormError("form body is not URL-encoded ASCII") from None
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False,
                          max_num_fields=32, encoding="utf-8", errors="strict")
    except ValueError as exc:
        raise FormError(f"form body does not parse: {exc}") from None
    return dict(pairs)


def _ipv4(value: str) -> str | None:
    try:
        return str(ipaddress.IPv4Address(value.strip()))
    except ValueError:
        return None


def check_form(fields: dict[str, str], default_gateway_port: int = 18801
               ) -> FactorySettings | dict[str, str]:
    """The settings, or {field: what was expected} for every field that is wrong."""
    errors: dict[str, str] = {}
    key = fields.get("key", "")
    if not 1 <= len(key) <= 16 or not key.isascii() or not key.isprintable():
        errors["key"] = "1 to 16 printable ASCII characters"
    site_text = fields.get("site_id", "").strip()
    site_id = int(site_text) if site_text.isdigit() and len(site_text) <= 10 else -1
    if not 0 <= site_id <= 0xFFFFFFFF:
        errors["site_id"] = "a whole number 0..4294967295"
    host, _, port_text = fields.get("gateway", "").strip().partition(":")
    gateway_host = _ipv4(host)
    port = int(port_text) if port_text.isdigit() and len(port_text) <= 5 else (
        default_gateway_port if not port_text else -1)
    if gateway_host is None or not 1 <= port <= 0xFFFF:
        errors["gateway"] = "an IPv4 address, optionally with :port (1..65535), such as " \
                            "127.0.0.1:18801"
    ip = _ipv4(fields.get("ip", ""))
    if ip is None or not ip.startswith("127."):
        errors["ip"] = "an IPv4 address on loopback (127.x.y.z): the lab stays on this machine"
    netmask = _ipv4(fields.get("netmask", ""))
    if netmask is None or not _is_netmask(netmask):
        errors["netmask"] = "a netmask such as 255.0.0.0 (ones, then zeros)"
    router = _ipv4(fields.get("router", ""))
    if router is None:
        errors["router"] = "an IPv4 address"
    if errors:
        return errors
    assert gateway_host is not None and ip is not None and netmask is not None
    assert router is not None
    return FactorySettings(key, site_id, (gateway_host, port), ip, netmask, router)


def _is_netmask(text: str) -> bool:
    bits = int(ipaddress.IPv4Address(text))
    inverted = ~bits & 0xFFFFFFFF
    return bits != 0 and inverted & (inverted + 1) == 0
