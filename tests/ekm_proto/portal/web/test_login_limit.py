"""Password guessing is slowed per source address: five failures in a quarter of an hour refuse
that address (429, Retry-After) until the oldest is fifteen minutes old, even with the right
password; a success forgets its failures; other addresses are not affected; memory is bounded.
HTTPS portals also tell browsers to stay on HTTPS (Strict-Transport-Security)."""

from __future__ import annotations

import aiohttp
import pytest

from ekm_proto.portal.web.login_limit import LoginLimiter
from protolab.clock import ManualClock
from tests.ekm_proto.portal.web.web_lab import PASSWORDS, WebLab, csrf_of


def test_five_failures_refuse_the_address_until_the_oldest_is_a_window_old() -> None:
    limiter = LoginLimiter(attempts=5, window=900.0)
    for second in (0.0, 10.0, 20.0, 30.0):
        limiter.failed("198.51.100.7", second)
        assert limiter.retry_after("198.51.100.7", second) is None
    limiter.failed("198.51.100.7", 40.0)
    assert limiter.retry_after("198.51.100.7", 40.0) == pytest.approx(860.0)
    assert limiter.retry_after("198.51.100.8", 40.0) is None, "another address may try"
    assert limiter.retry_after("198.51.100.7", 899.0) == pytest.approx(1.0)
    assert limiter.retry_after("198.51.100.7", 900.0) is None, "the first failure has aged out"
    limiter.failed("198.51.100.7", 900.0)
    assert limiter.retry_after("198.51.100.7", 900.0) == pytest.approx(10.0)
    limiter.succeeded("198.51.100.7")
    assert limiter.retry_after("198.51.100.7", 900.0) is None


def test_a_flood_of_sources_is_remembered_within_bounds() -> None:
    limiter = LoginLimiter(attempts=1, window=900.0, max_sources=3)
    for n in range(4):
        limiter.failed(f"203.0.113.{n}", 0.0)
    assert limiter.retry_after("203.0.113.0", 1.0) is None, "the oldest source was forgotten"
    assert all(limiter.retry_after(f"203.0.113.{n}", 1.0) is not None for n in (1, 2, 3))


async def _try(client: aiohttp.ClientSession, password: str) -> tuple[int, str, dict[str, str]]:
    async with client.get("/login") as page:
        token = csrf_of(await page.text())
    async with client.post("/login", data={"name": "ada", "password": password,
                                           "csrf_token": token},
                           allow_redirects=False) as response:
        return response.status, await response.text(), dict(response.headers)


async def test_the_portal_refuses_a_guessing_address_then_lets_it_in_again(
        lab: WebLab, clock: ManualClock) -> None:
    async with lab.client() as client:
        for _ in range(5):
            status, text, headers = await _try(client, "guess")
            assert status == 401 and "Wrong operator name or password" in text
        status, text, headers = await _try(client, PASSWORDS["ada"])
        assert status == 429 and "Too many failed log-ins from your address" in text
        assert 0 < int(headers["Retry-After"]) <= 900
        assert "max-age=" in headers["Strict-Transport-Security"]
        clock.advance(int(headers["Retry-After"]))
        status, _, headers = await _try(client, PASSWORDS["ada"])
        assert status == 303 and headers["Location"] == "/"
