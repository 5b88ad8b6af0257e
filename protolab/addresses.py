"""Addresses as people write them: ``HOST:PORT`` in flags and files, one parser for both.

A lab names its devices and services by IP address, never through DNS, so the host must be an
IP address (``[v6]:PORT`` for IPv6).
"""

from __future__ import annotations

import ipaddress

from protolab.errors import ConfigurationError


def parse_host_port(text: str, default_port: int | None = None, *, what: str = "address"
                    ) -> tuple[str, int]:
    """``HOST:PORT`` (``[v6]:PORT`` for IPv6), or a bare ``HOST`` when a default port exists.
    Hosts are IP addresses: a lab names its devices by address, never through DNS."""
    text = str(text).strip()
    host, port_text = text, None
    if text.startswith("["):
        end = text.find("]")
        host, rest = text[1:end], text[end + 1:] if end > 0 else ""
        port_text = rest[1:] if rest.startswith(":") else None
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    example = "127.0.0.1:8811"
    if port_text is None:
        if default_port is None:
            raise ConfigurationError(f"{what} {text!r}: expected HOST:PORT such as {example}")
        port_text = str(default_port)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ConfigurationError(f"{what} {text!r}: {host!r} is not an IP address; expected "
                                 f"HOST:PORT such as {example}") from None
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ConfigurationError(f"{what} {text!r}: port {port_text!r} is not 0..65535; "
                                 f"expected HOST:PORT such as {example}")
    return host, int(port_text)


def format_host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
