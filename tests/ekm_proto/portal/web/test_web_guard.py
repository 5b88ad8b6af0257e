"""Who may do what: log-in and log-out, CSRF tokens on every form, viewers refused rule
changes, session cookies' flags, rules checked before they replace working ones."""

from __future__ import annotations

import aiohttp

from ekm_proto.portal.rules import PortalRules
from ekm_proto.portal.store import PortalStore
from protolab.clock import ManualClock
from tests.ekm_proto.portal.web.web_lab import RULES_TOML, WebLab, csrf_of, start_web_lab


async def test_the_root_shows_the_log_in_form_and_pages_need_a_session(lab: WebLab) -> None:
    async with lab.client() as client:
        async with client.get("/") as response:
            page = await response.text()
            assert response.status == 200 and 'id="login-form"' in page
            cookie = response.cookies["protolab_login"]
            assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Strict"
        for path in ("/assets", "/devices/MXCK751Y", "/rules", "/agents", "/requests"):
            async with client.get(path, allow_redirects=False) as response:
                assert (response.status, response.headers["Location"]) == (303, "/login"), path


async def test_log_in_and_out(lab: WebLab, store: PortalStore) -> None:
    client = await lab.logged_in("ada")
    async with client:
        async with client.get("/assets") as response:
            page = await response.text()
            assert response.status == 200 and "ada (admin)" in page
        [session] = store.query("SELECT token_hash, operator FROM web_sessions")
        token = next(c.value for c in client.cookie_jar if c.key == "protolab_session")
        assert session["operator"] == "ada" and token not in session["token_hash"]
        async with client.post("/logout", data={"csrf_token": csrf_of(page)},
                               allow_redirects=False) as response:
            assert (response.status, response.headers["Location"]) == (303, "/login")
        assert store.query("SELECT token_hash FROM web_sessions") == []
        async with client.get("/assets", allow_redirects=False) as response:
            assert response.status == 303


async def test_a_wrong_password_is_refused(lab: WebLab) -> None:
    async with lab.client() as client:
        async with client.get("/login") as page:
            token = csrf_of(await page.text())
        for name, password in (("ada", "not-her-password"), ("nobody", "whatever1")):
            async with client.post("/login", data={"name": name, "password": password,
                                                   "csrf_token": token}) as response:
                text = await response.text()
                assert response.status == 401 and "Wrong operator name or password" in text
                token = csrf_of(text)  # each form has a fresh token


async def test_every_form_needs_its_csrf_token(lab: WebLab) -> None:
    async with lab.client() as client:  # the log-in form: the token of its cookie
        for token in (None, "forged"):
            data = {"name": "ada", "password": "ada-admin-pass"}
            if token:
                data["csrf_token"] = token
            async with client.post("/login", data=data, allow_redirects=False) as response:
                assert response.status == 403
    client = await lab.logged_in("ada")
    async with client:
        for path, data in (("/logout", {}), ("/rules", {"rules": RULES_TOML}),
                           ("/logout", {"csrf_token": "forged"})):
            async with client.post(path, data=data, allow_redirects=False) as response:
                assert response.status == 403, path
        async with client.get("/assets") as response:
            assert response.status == 200  # still logged in: the forged log-out did nothing


async def test_a_viewer_cannot_change_the_rules(lab: WebLab) -> None:
    before = lab.rules_file.read_text()
    client = await lab.logged_in("vic")
    async with client:
        async with client.get("/rules") as response:
            page = await response.text()
        assert 'id="viewer-note"' in page and 'id="rules-form"' not in page
        async with client.post("/rules", data={"csrf_token": csrf_of(page), "rules": "[[rules]]"
                               }) as response:
            assert response.status == 403
    assert lab.rules_file.read_text() == before


async def test_an_admin_changes_the_rules_after_they_are_checked(
        store: PortalStore, clock: ManualClock, tmp_path: object) -> None:
    applied: list[object] = []
    lab = await start_web_lab(store, clock, tmp_path, applied)  # type: ignore[arg-type]
    try:
        client = await lab.logged_in("ada")
        async with client:
            async with client.get("/rules") as response:
                token = csrf_of(await response.text())
            broken = RULES_TOML.replace('"service"]', '"nowhere"]')
            async with client.post("/rules", data={"csrf_token": token, "rules": broken}
                                   ) as response:
                page = await response.text()
                assert response.status == 400 and str(lab.rules_file) in page
                assert "nowhere" in page
            assert lab.rules_file.read_text() == RULES_TOML and applied == []
            changed = RULES_TOML.replace('["jam"]', '["jam", "cover"]')
            async with client.post("/rules", data={"csrf_token": token, "rules": changed}
                                   ) as response:
                assert response.status == 200 and 'id="saved"' in await response.text()
        assert lab.rules_file.read_text() == changed
        [rules] = applied
        assert isinstance(rules, PortalRules)
        assert rules.route("cover", "Critical", None, "opened") == ("record", "service")
    finally:
        await lab.close()


async def test_sessions_expire(lab: WebLab, clock: ManualClock) -> None:
    client = await lab.logged_in("vic")
    async with client:
        clock.advance(12 * 3600 + 1)
        async with client.get("/assets", allow_redirects=False) as response:
            assert response.status == 303


async def test_pages_carry_security_headers(lab: WebLab) -> None:
    async with aiohttp.ClientSession() as client, client.get(lab.url + "/login") as response:
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
