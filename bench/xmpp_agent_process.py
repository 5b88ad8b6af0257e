"""``python -m bench.xmpp_agent_process``: a shipping agent in its own process, over a reference
SQLite outbox, so benchmarks and tests can SIGKILL it mid-stream and start it again.

It ships until SIGTERM (or SIGKILL); the outbox file is the only state it keeps.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
from pathlib import Path

from ekm_proto.shipping.agent_client import Shipper, ShipperSettings
from ekm_proto.shipping.connection import ServerAddress, XmppSettings
from ekm_proto.shipping.outbox import SqliteOutbox
from protolab.clock import SystemClock
from protolab.logs import configure_logging
from protolab.prosody import ProsodyServer

ROOT = Path(__file__).resolve().parent.parent


def start_agent(server: ProsodyServer, outbox: Path, folder: Path, password: str, *,
                receipt_timeout: float = 5.0) -> subprocess.Popen[bytes]:
    """This module as a child process shipping ``outbox`` as the server's user "agent" to its
    user "portal"; its log goes to ``folder``/agent.log."""
    secret = folder / "agent.secret"
    secret.write_text(password)
    log = (folder / "agent.log").open("ab")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "bench.xmpp_agent_process", "--outbox", str(outbox),
             "--jid", server.jid("agent"), "--password-file", str(secret),
             "--server", f"{server.host}:{server.port}", "--ca", str(server.ca),
             "--portal-jid", server.jid("portal"), "--receipt-timeout", str(receipt_timeout)],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    finally:
        log.close()


def kill_agent(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL, as a crash or a power cut of the process would."""
    process.send_signal(signal.SIGKILL)
    process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.xmpp_agent_process")
    parser.add_argument("--outbox", type=Path, required=True)
    parser.add_argument("--jid", required=True)
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument("--server", required=True, help="HOST:PORT")
    parser.add_argument("--ca", type=Path, required=True)
    parser.add_argument("--portal-jid", required=True)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--receipt-timeout", type=float, default=20.0)
    args = parser.parse_args()
    configure_logging("INFO", json=True)
    host, port = args.server.rsplit(":", 1)
    xmpp = XmppSettings(args.jid, args.password_file.read_text().strip(),
                        (ServerAddress(host, int(port)),), args.ca)
    settings = ShipperSettings(xmpp, args.portal_jid, batch_size=args.batch_size,
                               receipt_timeout=args.receipt_timeout, retry_delay=0.5,
                               poll_interval=0.1)

    async def run() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await Shipper(settings, SqliteOutbox(args.outbox), SystemClock()).run(stop)

    asyncio.run(run())


if __name__ == "__main__":
    main()
