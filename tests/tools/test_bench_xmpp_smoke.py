"""The XMPP benchmark, small: its soak loses and doubles nothing through Prosody restarts and an
agent kill, and its traffic measurement ships a whole fleet day (figures live in BENCHMARKS.md)."""

from __future__ import annotations

from pathlib import Path

from bench.bench_xmpp import soak
from bench.xmpp_fleet_day import fleet_day
from bench.xmpp_traffic import encoded_sizes, shipped_bytes


def test_the_soak_counts_nothing_lost_or_doubled(tmp_path: Path) -> None:
    result = soak(total=2000, restarts=2, kills=1, rate=1000.0, folder=tmp_path)
    assert (result.messages, result.restarts, result.kills) == (2000, 2, 1)
    assert (result.lost, result.duplicated) == (0, 0)


async def test_a_fleet_day_is_shipped_whole(tmp_path: Path) -> None:
    shipped = await shipped_bytes(20, tmp_path)
    assert shipped.messages == len(fleet_day(20)) and shipped.stanzas >= 1
    sizes = encoded_sizes(20)
    assert sizes["deflate-base64, 100 messages a stanza"] < sizes["base64, 1 message a stanza"]
