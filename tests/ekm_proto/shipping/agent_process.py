"""Starting the agent process (bench.xmpp_agent_process) from a test, and killing it."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from protolab.prosody import ProsodyServer
from tests.ekm_proto.xmpp_lab import USERS

ROOT = Path(__file__).resolve().parents[3]


def start_agent(server: ProsodyServer, outbox: Path, folder: Path) -> subprocess.Popen[bytes]:
    secret = folder / "agent.secret"
    secret.write_text(USERS["agent"])
    log = (folder / "agent.log").open("ab")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "bench.xmpp_agent_process", "--outbox", str(outbox),
             "--jid", server.jid("agent"), "--password-file", str(secret),
             "--server", f"{server.host}:{server.port}", "--ca", str(server.ca),
             "--portal-jid", server.jid("portal"), "--receipt-timeout", "5"],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    finally:
        log.close()


def kill_agent(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()
