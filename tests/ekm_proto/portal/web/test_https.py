"""The web interface over HTTPS with a certificate from a private CA (the client verifies it,
never with checks off), and certificate problems named before anything listens."""

from __future__ import annotations

import re
import ssl
from pathlib import Path

import aiohttp
import pytest

from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.web.app import create_app
from ekm_proto.portal.web.server import serve
from protolab.clock import ManualClock
from protolab.errors import AddressUnavailableError, ConfigurationError
from protolab.prosody import make_test_ca


async def test_the_log_in_form_over_verified_https(tmp_path: Path, store: PortalStore,
                                                   clock: ManualClock) -> None:
    certificates = make_test_ca(tmp_path / "tls", "portal.test")
    server = await serve(create_app(store, clock), "127.0.0.1", 0, certificates.certificate,
                         certificates.key)
    try:
        assert server.url.startswith("https://127.0.0.1:")
        trust = ssl.create_default_context(cafile=str(certificates.ca))
        async with aiohttp.ClientSession() as client, \
                client.get(server.url + "/login", ssl=trust) as response:
            assert response.status == 200 and 'id="login-form"' in await response.text()
            assert response.cookies["protolab_login"]["secure"]
        async with aiohttp.ClientSession() as client:
            with pytest.raises(aiohttp.ClientError):  # plain HTTP on the TLS port: no page
                await client.get(server.url.replace("https", "http") + "/login")
    finally:
        await server.close()


async def test_unusable_certificate_files_are_named(tmp_path: Path, store: PortalStore,
                                                    clock: ManualClock) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("not a certificate\n")
    key.write_text("not a key\n")
    with pytest.raises(ConfigurationError, match=re.escape(f"--web-cert {cert} --web-key {key}")):
        await serve(create_app(store, clock), "127.0.0.1", 0, cert, key)


async def test_a_busy_port_says_what_to_do(store: PortalStore, clock: ManualClock) -> None:
    first = await serve(create_app(store, clock), "127.0.0.1", 0)
    try:
        with pytest.raises(AddressUnavailableError, match=re.escape("pass --web 127.0.0.1:0")):
            await serve(create_app(store, clock), "127.0.0.1", first.address[1])
    finally:
        await first.close()
