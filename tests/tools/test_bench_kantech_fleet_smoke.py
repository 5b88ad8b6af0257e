"""Smoke test of bench/bench_kantech_fleet.py: 20 devices, fast pulses, every figure filled in.

Keeps the 10,000-device benchmark runnable: a broken child protocol or gateway driver shows here in
a few seconds instead of at `make bench` time.
"""

from __future__ import annotations

from bench.bench_kantech_fleet import FleetResult, run_benchmark


async def test_small_fleet_reports_every_figure() -> None:
    result: FleetResult = await run_benchmark(20, pulse=0.5, window=1.6, status_seconds=0.5,
                                              first_address="127.42.0.1", in_flight=16, pin=False)
    assert result.devices == 20
    assert result.devices_pulsing == 20
    assert result.pulses_received >= result.pulses_expected - 2
    assert result.jitter_ms and result.jitter(1.0) < 500
    assert result.status_answers > 0 and result.status_bytes == 63
    assert result.rss_after_start > result.rss_before
    assert "| devices | 20 |" in result.markdown()
