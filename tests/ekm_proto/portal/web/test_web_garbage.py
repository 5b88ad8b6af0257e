"""Garbage at the web interface: bytes that are no HTTP, oversized or odd form posts, odd query
values and stored hashes. Each gets a clear refusal, never a crash, and the server keeps
serving."""

from __future__ import annotations

import asyncio

from hypothesis import given
from hypothesis import strategies as st

from ekm_proto.portal.web.passwords import verify_password
from tests.ekm_proto.portal.web.web_lab import WebLab


@given(st.text(max_size=200), st.text(max_size=30))
def test_any_stored_text_is_a_hash_that_does_not_match(stored: str, password: str) -> None:
    assert verify_password(password, stored) is False


async def test_bytes_that_are_no_http_leave_the_server_serving(lab: WebLab) -> None:
    host, port = lab.server.address
    for garbage in (b"\x00\xff" * 500, b"GET / HTTP/9.9\r\n\r\n", b"\x16\x03\x01\x02\x00" * 20,
                    b"POST /login HTTP/1.1\r\nContent-Length: -5\r\n\r\n"):
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(garbage)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(200), 10)
        assert answer == b"" or (answer.startswith(b"HTTP/1.") and b" 400 " in answer[:20])
        writer.close()
    async with lab.client() as client, client.get("/login") as response:
        assert response.status == 200


async def test_odd_requests_are_refused_clearly(lab: WebLab) -> None:
    async with await lab.logged_in("vic") as client:
        async with client.get("/assets?page=99999999999999999999999") as response:
            assert "page 1 of 1" in await response.text()  # past the end: the last page
        for query in ("page=%00", "per=1e3", "sort=",
                      "order=ASC", "sort=model%20--", "page=-1"):
            async with client.get(f"/assets?{query}") as response:
                assert response.status == 400, query
        async with client.get("/assets?customer=%00%ff&site=%27%3B") as response:
            assert response.status == 200  # a filter that matches nothing
        async with client.get("/devices/%27%20OR%201%3D1") as response:
            assert response.status == 404
        async with client.post("/rules", data={"rules": "x" * (2 * 1024 * 1024)}) as response:
            assert response.status == 413 and 'id="error"' in await response.text()
        async with client.put("/assets") as response:
            assert response.status == 405
        async with client.get("/no/such/page") as response:
            assert response.status == 404 and "Not Found" in await response.text()
