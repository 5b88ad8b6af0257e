"""``protolab portal run --web`` as an operator runs it: the portal process receives from an
agent through a real Prosody and serves its pages over HTTPS; rules an administrator saves in
the browser route the next alert of the running portal."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import ssl
import subprocess
import sys
from pathlib import Path

import aiohttp

from ekm_proto.shipping.outbox import SqliteOutbox
from protolab.cli.main import main
from protolab.prosody import ProsodyServer
from tests.ekm_proto.portal.web.web_lab import PASSWORDS, RULES_TOML, csrf_of
from tests.ekm_proto.xmpp_lab import (
    JULY_13_2020,
    USERS,
    alert,
    asset,
    eventually,
    make_shipper,
    running,
)


async def _url_of(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), 60)
    assert line.startswith("portal web interface on "), line
    return line.split(" on ", 1)[1].strip().rstrip("/")


async def _log_in(client: aiohttp.ClientSession, url: str, trust: ssl.SSLContext) -> str:
    async with client.get(url + "/login", ssl=trust) as page:
        token = csrf_of(await page.text())
    async with client.post(url + "/login", ssl=trust, data={
            "name": "ada", "password": PASSWORDS["ada"], "csrf_token": token}) as response:
        page_text = await response.text()
        assert response.status == 200 and "ada (admin)" in page_text
    return csrf_of(page_text)


async def test_portal_run_serves_https_and_applies_saved_rules(
        prosody: ProsodyServer, tmp_path: Path) -> None:
    db, secret = tmp_path / "portal.db", tmp_path / "portal.secret"
    secret.write_text(USERS["portal"] + "\n")
    (tmp_path / "ada.secret").write_text(PASSWORDS["ada"] + "\n")
    assert main(["portal", "user", "add", "ada", "--role", "admin", "--password-file",
                 str(tmp_path / "ada.secret"), "--db", str(db)]) == 0
    drop = tmp_path / "drop"  # a file destination's folder is taken as given: absolute here
    drop.mkdir()
    jams = RULES_TOML.replace('folder = "drop"', f'folder = "{drop}"')
    rules = tmp_path / "rules.toml"
    rules.write_text(jams)
    certificates = prosody.certificates
    process = subprocess.Popen(
        [sys.executable, "-m", "protolab", "portal", "run", "--jid", prosody.jid("portal"),
         "--password-file", str(secret), "--xmpp-server", "{}:{}".format(*prosody.address),
         "--ca", str(prosody.ca), "--db", str(db), "--rules", str(rules),
         "--web", "127.0.0.1:0", "--web-cert", str(certificates.certificate),
         "--web-key", str(certificates.key)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=dict(os.environ))
    try:
        url = await _url_of(process)
        assert url.startswith("https://127.0.0.1:")
        trust = ssl.create_default_context(cafile=str(prosody.ca))
        outbox = SqliteOutbox(tmp_path / "outbox.db")
        outbox.add_many([asset("MXCK751Y")], JULY_13_2020)
        shipper = make_shipper(prosody, outbox)
        jar = aiohttp.CookieJar(unsafe=True)
        async with running(shipper.run), aiohttp.ClientSession(cookie_jar=jar) as client:
            assert await shipper.drain(30) == 0
            token = await _log_in(client, url, trust)
            async with client.get(url + "/assets", ssl=trust) as response:
                assert 'data-serial="MXCK751Y"' in await response.text()
            async with client.get(url + "/agents", ssl=trust) as response:
                assert prosody.jid("agent") in await response.text()
            covers = jams.replace('["jam"]', '["cover"]')
            async with client.post(url + "/rules", ssl=trust, data={
                    "csrf_token": token, "rules": covers}) as response:
                assert response.status == 200 and 'id="saved"' in await response.text()
            outbox.add_many([alert("MXCK751Y", key="c1", code=3, group=6,
                                   description="Front cover open.", opened_at=JULY_13_2020)],
                            JULY_13_2020)
            assert await shipper.drain(30) == 0
            await eventually(lambda: any(drop.iterdir()), what="the cover alert in the drop")
            [notice] = [json.loads(p.read_text()) for p in drop.iterdir()]
            assert "Front cover open." in json.dumps(notice)
        outbox.close()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
