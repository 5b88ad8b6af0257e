"""Requests a control API must refuse cleanly: every route, path parameters that are not what
the route expects, bodies that are not JSON, JSON that is not an object, and objects whose
keys the API reads hold values of every JSON type and size.

An API survives when every answer is below 500 and every refusal has the shared error shape
(a JSON object with ``error`` and ``status``); afterwards it still answers a plain GET.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Sequence
from typing import Any

from aiohttp.test_utils import TestClient

VALUES: tuple[Any, ...] = (
    0, 1, -1, 2, 255, 256, 65535, 65536, 2**31 - 1, 2**31, 2**32, 2**63, -(2**63), 10**30,
    0.5, -0.0, 1e308, -1e308, math.inf, -math.inf, math.nan, True, False, None,
    "", "0", "1", "-1", "abc", "0x10", "1e3", "\u0661\u0662", "9" * 40, "\x00", "A4", "on",
    "normal", "short", "toner", "HP", "127.0.0.1", "::1", "x" * 5000,
    [], [1, 2], [None], {}, {"a": 1}, {"level": {"x": []}},
)
NOT_JSON = (b"{", b"\xff\xfe\x00", b"[1,", b"nul", b"{\"a\":}", b"1" * 5000)
NOT_OBJECTS = (b"[]", b"1", b"\"text\"", b"null", b"true", b"[{}]")


def _value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if pick < 0.8 or depth > 2:
        return rng.choice(VALUES)
    if pick < 0.9:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(("level", "value", "a")): _value(rng, depth + 1)}


def body(rng: random.Random, keys: Sequence[str]) -> bytes | None:
    """No body, bytes that are not JSON, JSON that is no object, or an object of the API's keys
    (and some it does not know) with any values."""
    kind = rng.random()
    if kind < 0.1:
        return None
    if kind < 0.2:
        return rng.choice(NOT_JSON)
    if kind < 0.3:
        return rng.choice(NOT_OBJECTS)
    chosen = rng.sample(list(keys), rng.randrange(min(len(keys), 5) + 1))
    if rng.random() < 0.2:
        chosen.append(rng.choice(("", "unknown", "\u00e9")))
    return json.dumps({k: _value(rng) for k in chosen}, allow_nan=True).encode()


def fill(rng: random.Random, template: str, params: dict[str, Sequence[str]]) -> str:
    """The route with each ``{name}`` (or ``{name:regex}``) replaced by one of its values."""
    return re.sub(r"\{(\w+)(?::[^}]*)?\}", lambda m: rng.choice(params[m.group(1)]), template)


async def assault(client: TestClient, routes: Sequence[tuple[str, str]],
                  params: dict[str, Sequence[str]], keys: Sequence[str], count: int,
                  seed: int = 0) -> dict[int, int]:
    """``count`` requests over ``routes`` ((method, template)); statuses seen -> how many.
    Fails naming the request that got a 5xx or a refusal without the error shape."""
    rng = random.Random(seed)
    seen: dict[int, int] = {}
    for number in range(count):
        method, template = rng.choice(routes)
        path = fill(rng, template, params)
        data = body(rng, keys) if method != "GET" else None
        response = await client.request(method, path, data=data,
                                        headers={"Content-Type": "application/json"})
        text = await response.text()
        where = (f"request {number}: {method} {path} {(data or b'')[:300]!r} -> "
                 f"{response.status} {text[:300]}")
        assert response.status < 500, where
        if response.status >= 400:
            error = json.loads(text)
            assert isinstance(error, dict) and error["status"] == response.status, where
            assert error["error"], where
        seen[response.status] = seen.get(response.status, 0) + 1
    return seen
