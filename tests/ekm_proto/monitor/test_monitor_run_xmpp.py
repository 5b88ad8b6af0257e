"""``protolab monitor run --once`` with XMPP configured, in its own process: with the portal
offline it waits --drain-timeout and exits 1 naming what still waits; with the portal online it
exits 0 only once the portal acknowledged everything in its outbox."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from protolab.prosody import ProsodyServer
from tests.ekm_proto.xmpp_lab import USERS, make_portal, running
from tests.protolab.monitor_processes import monitor, run_args, shown, start_emulator


async def test_once_exits_0_only_when_the_portal_acknowledged_everything(
        prosody: ProsodyServer, tmp_path: Path) -> None:
    emulator = start_emulator(3, "127.45.10.1", "--mix", "--static")
    try:
        db = tmp_path / "agent.db"
        secret = tmp_path / "agent.password"
        secret.write_text(USERS["agent"] + "\n")
        host, port = prosody.address
        xmpp = ("--xmpp-jid", prosody.jid("agent"), "--xmpp-password-file", str(secret),
                "--xmpp-server", f"{host}:{port}", "--portal-jid", prosody.jid("portal"),
                "--ca", str(prosody.ca))
        offline = await asyncio.to_thread(
            monitor, *run_args(db, emulator, "--once", *xmpp, "--drain-timeout", "2"))
        assert offline.returncode == 1, offline.stderr[-2000:]
        found = re.search(r"error: (\d+) messages still waiting for the portal after 2 s "
                          r"\(--drain-timeout\)", offline.stderr)
        assert found, offline.stderr[-2000:]
        waiting = [r for r in shown("outbox", db) if r["state"] == "waiting"]
        assert int(found.group(1)) == len(waiting) > 0
        async with running(make_portal(prosody, tmp_path / "portal.db").run):
            online = await asyncio.to_thread(monitor, *run_args(db, emulator, "--once", *xmpp))
        assert online.returncode == 0, online.stderr[-2000:]
        rows = shown("outbox", db)
        states = {r["state"] for r in rows}
        assert states == {"sent", "kept"} and len(rows) > len(waiting)  # kept: tray levels
        assert {r["kind"] for r in rows if r["state"] == "kept"} == {"trays"}
    finally:
        emulator.stop()


def test_xmpp_options_without_a_portal_are_refused(tmp_path: Path) -> None:
    done = monitor("run", "--db", str(tmp_path / "a.db"), "--point", "127.0.0.1", "--once",
                   "--xmpp-jid", "agent@example.test")
    assert done.returncode == 2 and "--xmpp-jid needs --portal-jid" in done.stderr
