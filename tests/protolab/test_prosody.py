"""protolab.prosody: a Prosody run from a folder, restarted on its port, stopped by its PID."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from protolab.errors import ConfigurationError
from protolab.prosody import ProsodyServer


def accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def test_start_restart_on_the_same_port_and_stop(tmp_path: Path) -> None:
    server = ProsodyServer(tmp_path / "p", domain="lab.test", users={"agent": "pw"})
    assert (tmp_path / "p" / "certs" / "ca.pem").exists()
    server.start()
    try:
        assert server.running and accepts(server.port)
        with pytest.raises(ConfigurationError, match="already running"):
            server.start()
        first = server.process
        server.restart(hard=True)
        assert server.process is not first and accepts(server.port)
        assert first is not None and first.returncode == -9
    finally:
        # 0, or -15 when SIGTERM comes before Prosody has set its handler (just after start)
        assert server.stop() in (0, -15)
    assert not server.running and not accepts(server.port)
    assert "\tinfo\t" in server.log_tail()  # the server's own log lines (level between tabs)


def test_users_are_registered_before_the_server_starts(tmp_path: Path) -> None:
    server = ProsodyServer(tmp_path / "p", users={"agent": "pw", "portal": "pw2"})
    accounts = tmp_path / "p" / "data" / "xmpp%2etest" / "accounts"
    assert sorted(p.stem for p in accounts.iterdir()) == ["agent", "portal"]
    assert server.jid("agent") == "agent@xmpp.test"
