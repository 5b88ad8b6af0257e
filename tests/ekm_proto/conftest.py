"""Fixtures for the shipping and portal tests: a real Prosody in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from protolab.prosody import ProsodyServer
from tests.ekm_proto.xmpp_lab import USERS


@pytest.fixture
def prosody(tmp_path: Path) -> Iterator[ProsodyServer]:
    """Prosody on a free loopback port with its own test CA; agent, portal, admin and stranger
    registered before it starts; stopped by the PID it was started with."""
    server = ProsodyServer(tmp_path / "prosody", users=USERS)
    server.start()
    try:
        yield server
    finally:
        server.stop()
