"""A lab description file (the TOML of ``protolab lab --config``) running inside a user's test.

The lab runs as a background task of the test's event loop; the test gets the handles run_lab
reports (gateway, control URLs, addresses) once the printers answer too. By default the file's
ports become free ports and its loopback ranges fresh ones, so the same file runs beside
``make run`` or another test.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import random
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

from protolab.clock import Clock
from protolab.errors import ProtolabError
from protolab.lab import LabHandles, LabSettings, run_lab
from protolab.lab_file import load_lab
from protolab.logs import get_logger
from protolab.ports import free_port
from protolab.pytest_plugin.kantech import fresh_first_address

START_TIMEOUT = 60.0
log = get_logger("pytest_plugin.lab")


@dataclasses.dataclass(frozen=True)
class RunningLab(LabHandles):
    """A running lab: where its parts are, and the settings it runs with (after isolation)."""

    settings: LabSettings = LabSettings()


def isolated(settings: LabSettings, rng: random.Random | None = None) -> LabSettings:
    """The same lab on free ports and fresh loopback ranges."""
    rng = rng or random.Random()
    return dataclasses.replace(
        settings, gateway_port=0, discovery_port=free_port(kind=socket.SOCK_DGRAM),
        kantech_control=0, printer_port=0, printer_control=0, xmpp_port=0,
        kantech_first_address=fresh_first_address(rng),
        printer_first_address=fresh_first_address(rng))


@contextlib.asynccontextmanager
async def running_lab(path: str | Path, *, isolate: bool = True, clock: Clock | None = None,
                      **overrides: object) -> AsyncIterator[RunningLab]:
    """Run the lab file at ``path`` (``overrides`` replace LabSettings fields) until the block
    ends; the lab's own failure to start is raised here, not swallowed by the task."""
    settings = load_lab(path)
    if isolate:
        settings = isolated(settings)
    settings = dataclasses.replace(settings, **overrides)  # type: ignore[arg-type]
    stop = asyncio.Event()
    reported: asyncio.Future[LabHandles] = asyncio.get_running_loop().create_future()
    task = asyncio.ensure_future(run_lab(settings, stop, clock, ready=reported.set_result))
    try:
        handles = await _started(task, reported, settings)
        yield RunningLab(**vars(handles), settings=settings)
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, 15)
        except TimeoutError:
            log.warning("lab stop timed out, cancelled", path=str(path))
        except Exception as exc:  # raised from _started already, or after the test's own end
            log.warning("lab ended with an error", path=str(path), error=str(exc))


async def _started(task: asyncio.Future[None], reported: asyncio.Future[LabHandles],
                   settings: LabSettings) -> LabHandles:
    both: set[asyncio.Future[Any]] = {task, reported}
    done, _ = await asyncio.wait(both, timeout=START_TIMEOUT,
                                 return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()  # the lab failed to start: its own error
        raise ProtolabError("the lab stopped before it was ready")
    if not done:
        raise ProtolabError(f"the lab did not start within {START_TIMEOUT:.0f} s")
    handles = reported.result()
    if settings.printers:
        await _answering(handles.printer_control_url, task)
    return handles


async def _answering(url: str, task: asyncio.Future[None]) -> None:
    """Wait (bounded) for the printers' control API, started just after ``ready``."""
    async with aiohttp.ClientSession() as session:
        for _ in range(int(START_TIMEOUT / 0.05)):
            if task.done():
                task.result()
                raise ProtolabError("the lab stopped before its printers answered")
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{url}/printers/0") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.05)
    raise ProtolabError(f"the lab's printer control API at {url} never answered")
