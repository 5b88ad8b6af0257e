"""What the printer tests share besides fixtures: the simulated Monday morning they start on, and
the type of the ``make_fleet`` fixture."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from emulators.printers.fleet import PrinterFleet
from protolab.clock import ManualClock

MONDAY_9AM = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC).timestamp()
FleetFactory = Callable[..., tuple[PrinterFleet, ManualClock]]
