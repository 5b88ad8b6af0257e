"""Fixtures for the monitor's tests: the shipped printer profiles, and printers and agents
started and stopped around a test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from emulators.printers.profiles import Profile, load_profiles
from tests.ekm_proto.monitor.lab import Agent, Printers, make_agent, serve_printers, settings_for


@pytest.fixture(scope="session")
def profiles() -> dict[str, Profile]:
    return load_profiles()


@pytest.fixture
async def lab(tmp_path: Path) -> AsyncIterator[Callable[..., Any]]:
    """``await lab(profiles, count, first)`` -> (printers, agent); both closed after the test."""
    opened: list[Printers | Agent] = []

    async def make(profiles: list[Profile], count: int, first: str, *,
                   printer_options: dict[str, Any] | None = None,
                   **settings: Any) -> tuple[Printers, Agent]:
        printers = await serve_printers(profiles, count, first, **(printer_options or {}))
        opened.append(printers)
        agent = await make_agent(settings_for(tmp_path / "monitor.db", printers, **settings),
                                 printers.clock)
        opened.append(agent)
        return printers, agent

    try:
        yield make
    finally:
        for thing in reversed(opened):
            await thing.close()
