"""protolab's pytest plugin, registered through the ``pytest11`` entry point: installing
protolab makes these fixtures available to any test suite, with no conftest code.

- ``manual_clock``: a ``protolab.clock.ManualClock`` to pass as ``clock=`` to the factories;
- ``kantech_gateway``, ``kantech_fleet``: a SimulatedGateway, and Kantech controllers with a
  handle each (swipe, door, input, offline, online, reboot, records, events);
- ``printer_fleet``: SNMP printers with their control API;
- ``monitor``: the print-monitoring agent reading a printer fleet; ``portal``: the portal
  receiving over XMPP from a ``prosody`` server;
- ``prosody``: a real XMPP server in a temporary folder (skipped when Prosody is missing);
- ``lab``: a lab description file (``protolab lab --config``) running in the test, with handles.

The async fixtures are pytest-asyncio fixtures: the user's tests are ``async def`` tests run by
pytest-asyncio (``asyncio_mode = "auto"``, or ``@pytest.mark.asyncio`` on each test).
"""

from __future__ import annotations

import importlib.util

import pytest

if importlib.util.find_spec("pytest_asyncio") is not None:
    from protolab.pytest_plugin.fixtures import (
        kantech_fleet,
        kantech_gateway,
        lab,
        manual_clock,
        monitor,
        portal,
        printer_fleet,
        prosody,
    )

    __all__ = ["kantech_fleet", "kantech_gateway", "lab", "manual_clock", "monitor", "portal",
               "printer_fleet", "prosody"]
else:  # protolab installed without pytest-asyncio: say how to get the fixtures
    __all__ = []

    def pytest_report_header(config: pytest.Config) -> str:
        return ("protolab: fixtures off, pytest-asyncio is not installed "
                "(pip install 'protolab[pytest]')")
