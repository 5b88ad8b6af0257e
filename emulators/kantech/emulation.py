"""Running a fleet and its control API until told to stop: what ``protolab kantech emulate``
does, as a function a test or another program can call with values."""

from __future__ import annotations

import asyncio
import contextlib

from emulators.kantech.control_api import start_control_server
from emulators.kantech.fleet_config import DeviceConfig
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech.model_factory import ModelFactory
from emulators.kantech.wire_observer import WireObserver
from kantech_proto.errors import ConfigurationError
from protolab.clock import Clock, SystemClock
from protolab.logs import get_logger

log = get_logger("kantech.emulate")


async def emulate(configs: list[DeviceConfig], control: tuple[str, int] | None = None,
                  duration: float | None = None, model_factory: ModelFactory | None = None,
                  ready: asyncio.Event | None = None, *, stop: asyncio.Event | None = None,
                  clock: Clock | None = None, sockets: str = "shared",
                  observer: WireObserver | None = None) -> None:
    """Run the fleet (and its control API at ``control``) until ``stop`` is set, ``duration``
    seconds of ``clock`` pass, or the task is cancelled; ``ready`` is set once it all listens.
    ``observer`` sees every chunk of bytes the devices exchange (``--pcap``)."""
    if not configs:
        raise ConfigurationError("no devices: expected --kt400, --kt1, --iplink or a fleet file "
                                 "with [[devices]]")
    clock = clock or SystemClock()
    async with KantechFleet(configs, model_factory, clock=clock, sockets=sockets,
                            observer=observer) as fleet:
        server = None
        if control is not None:
            server = await start_control_server(fleet, *control)
            log.info("control API listening", url=f"{server.url}/devices")
        try:
            if ready is not None:
                ready.set()
            with contextlib.suppress(TimeoutError):
                await clock.wait_for((stop or asyncio.Event()).wait(), duration)
        finally:
            if server is not None:
                await server.close()
