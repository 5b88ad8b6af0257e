"""Fuzz target: the factory-default configuration page's form (the body a browser POSTs).

Invariants beyond "only FormError escapes": checking the fields gives either settings that obey
every rule (1..16 printable ASCII key, a 32-bit site id, loopback address, a real netmask) or
errors keyed by the form's own field names.
"""

from __future__ import annotations

import ipaddress

from emulators.kantech.config_form import (
    FIELDS,
    FactorySettings,
    FormError,
    check_form,
    parse_body,
)


def TestOneInput(data: bytes) -> None:
    try:
        fields = parse_body(data)
    except FormError:
        return
    result = check_form(fields)
    if isinstance(result, FactorySettings):
        assert 1 <= len(result.key) <= 16 and result.key.isascii()
        assert 0 <= result.site_id <= 0xFFFFFFFF and 1 <= result.gateway[1] <= 0xFFFF
        assert ipaddress.IPv4Address(result.ip).is_loopback
    else:
        assert result and set(result) <= set(FIELDS)


def seeds() -> list[bytes]:
    good = (b"token=abc&key=lab-key&site_id=4242&gateway=127.0.0.1%3A18801&ip=127.20.0.9"
            b"&netmask=255.0.0.0&router=127.0.0.1")
    return [
        good,
        good.replace(b"18801", b"99999"),
        b"key=&site_id=&gateway=&ip=&netmask=&router=",
        b"key=%F0%9F%94%91&site_id=-1&ip=10.0.0.1&netmask=0.0.0.0",
        b"a=1&a=2&key=k&key=kk",
    ]
