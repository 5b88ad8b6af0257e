"""Serving the web interface: HTTPS with the operator's certificate and key; plain HTTP only on
a loopback address (a lab on one machine), because passwords and session cookies cross it."""

from __future__ import annotations

import ipaddress
import ssl
from pathlib import Path

from aiohttp import web

from protolab.errors import ConfigurationError, bind_failure
from protolab.http_api import ApiServer

WHAT = "portal web interface"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    """A server context (TLS 1.2 or later); ConfigurationError naming the files if unusable."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigurationError(f"--web-cert {cert} --web-key {key}: cannot load the web "
                                 f"interface's certificate and key: {reason}; expected PEM "
                                 "files (the certificate chain and its private key)") from None
    return context


def check_web_options(host: str, cert: Path | None, key: Path | None) -> None:
    """ConfigurationError unless the options make a safe server (see the module's reason)."""
    if (cert is None) != (key is None):
        raise ConfigurationError("--web-cert and --web-key go together: pass both (PEM files) "
                                 "to serve HTTPS, or neither for plain HTTP on loopback")
    if cert is None and not is_loopback(host):
        raise ConfigurationError(f"--web {host}: plain HTTP is refused on an address other "
                                 "machines reach (passwords would cross the network in clear); "
                                 "pass --web-cert FILE --web-key FILE to serve HTTPS, or use "
                                 "--web 127.0.0.1:PORT")


async def serve(app: web.Application, host: str, port: int, cert: Path | None = None,
                key: Path | None = None) -> ApiServer:
    """The running server (``.url``, ``.close()``); typed errors for bad options or a busy
    address."""
    check_web_options(host, cert, key)
    context = tls_context(cert, key) if cert is not None and key is not None else None
    try:
        return await ApiServer.start(app, host, port, allow_remote=True, what=WHAT,
                                     ssl_context=context)
    except OSError as exc:
        raise bind_failure(exc, host, port, flag="--web", what=WHAT) from None
