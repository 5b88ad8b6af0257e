"""A free loopback port for a server started next: the one way tests, benchmarks and labs pick
a port that must be known before the server (snmpd, Prosody, PostgreSQL, an emulator process)
starts and binds it.

The port is bound, read and released, so another program could take it before the server
does. That race is accepted: it is small on loopback, and the caller hands the chosen port
straight to the process it starts, which fails loudly (a bind error) if it lost.
"""

from __future__ import annotations

import socket


def free_port(host: str = "127.0.0.1", kind: int = socket.SOCK_STREAM) -> int:
    """A port (TCP, or UDP for ``socket.SOCK_DGRAM``) nobody holds on ``host`` right now; ask
    for a fresh one per server (a stale one may still be held by a server left running)."""
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
