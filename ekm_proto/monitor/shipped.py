"""The monitoring agent with its shipper: the loops write the outbox, the shipper empties it to
the portal over XMPP and answers the portal's (and administrators') commands from the agent.

``run_shipped`` is what ``protolab monitor run --xmpp-jid ...`` and the lab run: with ``once``,
discovery and one pass of every loop, then shipping until the portal acknowledged everything or
``drain_timeout`` passed.
"""

from __future__ import annotations

import asyncio
import contextlib

from ekm_proto.monitor.agent import MonitorAgent
from ekm_proto.monitor.remote_commands import AgentCommands
from ekm_proto.shipping.agent_client import Shipper, ShipperSettings
from protolab.clock import Clock


def shipper_for(agent: MonitorAgent, settings: ShipperSettings, clock: Clock) -> Shipper:
    """A shipper reading the agent's outbox and answering commands from the agent."""
    commands = AgentCommands(agent)
    shipper = Shipper(settings, agent.store.outbox, clock, commands)
    commands.queued = shipper.notify
    return shipper


async def run_shipped(agent: MonitorAgent, settings: ShipperSettings, clock: Clock,
                      stop: asyncio.Event, *, once: bool = False,
                      drain_timeout: float = 60.0, shipper: Shipper | None = None) -> int:
    """Run until ``stop`` (or, with ``once``, one round then the drain); returns how many
    messages still wait in the outbox."""
    shipper = shipper or shipper_for(agent, settings, clock)
    shipper_stop = asyncio.Event()
    shipping = asyncio.ensure_future(shipper.run(shipper_stop))
    try:
        await agent.run(stop, once=once)
        if once and not stop.is_set():
            draining = asyncio.ensure_future(shipper.drain(drain_timeout))
            stopped = asyncio.ensure_future(stop.wait())
            await asyncio.wait({draining, stopped}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            if draining.done():
                return draining.result()
            draining.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await draining
        return agent.store.outbox.pending_count()
    finally:
        shipper_stop.set()
        await shipping
