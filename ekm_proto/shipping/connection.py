"""Staying connected to an XMPP server over TLS, trying each configured address in turn.

Both ends (agent and portal) use this. STARTTLS on 5222 is the default; when an address is
unreachable (or its TLS fails) the next one is tried, so a site whose firewall only lets 443 out
still ships. The server certificate is verified against a configured CA (or the system's).
Each connection gets a fresh slixmpp client: nothing a dead stream held can leak into the next
one, and what to resend is decided by the outbox, not by slixmpp's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import slixmpp
from slixmpp.xmlstream.xmlstream import NotConnectedError

from protolab.clock import Clock
from protolab.errors import ConfigurationError
from protolab.logs import get_logger

_log = get_logger("ekm_proto.shipping.connection")


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """Where to connect; ``direct_tls`` for an XEP-0368 TLS port (443 usually), else STARTTLS."""

    host: str
    port: int
    direct_tls: bool = False

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'tls:' if self.direct_tls else ''}{host}:{self.port}"


@dataclass(frozen=True, slots=True)
class XmppSettings:
    jid: str
    password: str
    servers: tuple[ServerAddress, ...] = ()
    ca: Path | None = None
    connect_timeout: float = 15.0
    max_backoff: float = 30.0

    @property
    def domain(self) -> str:
        return self.jid.split("@", 1)[-1].split("/", 1)[0]

    def addresses(self) -> tuple[ServerAddress, ...]:
        """The configured addresses, or the JID's domain on 5222 (STARTTLS) then 443 (TLS)."""
        if self.servers:
            return self.servers
        return (ServerAddress(self.domain, 5222), ServerAddress(self.domain, 443, True))


def check_jid(jid: str, what: str) -> str:
    """``jid`` if it is a JID with a user and a domain; ConfigurationError otherwise."""
    try:
        parsed = slixmpp.JID(jid)
    except slixmpp.jid.InvalidJID as exc:
        raise ConfigurationError(f"{what} {jid!r} is not a JID: {exc}; expected user@domain") \
            from None
    if not parsed.user or not parsed.domain:
        raise ConfigurationError(f"{what} {jid!r}: expected user@domain")
    return str(parsed)


class Session(Protocol):
    """One end's behaviour on a connection: handlers on a fresh client, then its work."""

    def attach(self, client: slixmpp.ClientXMPP) -> None: ...

    async def serve(self, client: slixmpp.ClientXMPP, ended: asyncio.Event) -> None:
        """Work until ``ended`` is set (the stream closed) or the task is cancelled."""
        ...

    async def closing(self, client: slixmpp.ClientXMPP) -> None:
        """Last words before a clean disconnect (acks owed to the server)."""
        ...


def new_client(settings: XmppSettings, server: ServerAddress) -> slixmpp.ClientXMPP:
    client = slixmpp.ClientXMPP(settings.jid, settings.password)
    client.enable_direct_tls = server.direct_tls
    client.enable_starttls = not server.direct_tls
    client.enable_plaintext = False
    if settings.ca is not None:
        client.ca_certs = Path(settings.ca)
    client.register_plugin("xep_0198", {"window": 25})
    client.register_plugin("xep_0199", {"keepalive": True, "interval": 60, "timeout": 30})
    return client


async def keep_connected(settings: XmppSettings, session: Session, clock: Clock,
                         stop: asyncio.Event, *, who: str) -> None:
    """Connect, serve, reconnect until ``stop``: addresses in order, the first that gives a
    session wins; after a session ends the preferred address is tried first again."""
    failures = 0
    while not stop.is_set():
        for server in settings.addresses():
            if stop.is_set():
                return
            started = await _one_connection(settings, server, session, clock, stop, who)
            if started:
                failures = 0
                break
        else:
            failures += 1
        if stop.is_set():
            return
        delay = 0.2 if failures == 0 else min(settings.max_backoff, 0.25 * 2 ** min(failures, 8))
        with contextlib.suppress(TimeoutError):
            await clock.wait_for(stop.wait(), delay)


async def _one_connection(settings: XmppSettings, server: ServerAddress, session: Session,
                          clock: Clock, stop: asyncio.Event, who: str) -> bool:
    client = new_client(settings, server)
    started, failed, ended = asyncio.Event(), asyncio.Event(), asyncio.Event()
    reason: list[Any] = []

    def fail(why: Any) -> None:
        reason.append(why)
        failed.set()

    client.add_event_handler("session_start", lambda _e: started.set())
    client.add_event_handler("connection_failed", fail)
    client.add_event_handler("failed_auth", lambda _e: fail("authentication failed"))
    def end(why: Any) -> None:
        reason.append(why)
        ended.set()

    client.add_event_handler("disconnected", end)
    session.attach(client)
    client.connect(server.host, server.port)
    try:
        first = await _first_of(clock, settings.connect_timeout, started, failed, ended, stop)
        if first is not started:
            _log.warning("xmpp connection failed", who=who, jid=settings.jid, server=str(server),
                         reason=str(reason[-1]) if reason else "timed out")
            return False
        _log.info("xmpp session started", who=who, jid=settings.jid, server=str(server))
        served = asyncio.Event()
        work = asyncio.ensure_future(session.serve(client, ended))
        work.add_done_callback(lambda _w: served.set())
        await _first_of(clock, None, ended, stop, served)
        work.cancel()
        try:
            await work
        except asyncio.CancelledError:
            pass
        except Exception:  # a bug must cost a reconnection, never the process
            _log.exception("xmpp session work failed; reconnecting", who=who)
        if stop.is_set() and not ended.is_set():
            with contextlib.suppress(NotConnectedError):
                await session.closing(client)
        _log.info("xmpp session ended", who=who, server=str(server),
                  reason=str(reason[-1]) if reason and ended.is_set() else "stopping")
        return True
    finally:
        await _close(client, ended)


async def _first_of(clock: Clock, timeout: float | None, *events: asyncio.Event
                    ) -> asyncio.Event | None:
    waiters = {asyncio.ensure_future(e.wait()): e for e in events}
    try:
        done, _ = await clock.wait_for(asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED),
                                       timeout)
        return waiters[next(iter(done))]
    except TimeoutError:
        return None
    finally:
        for waiter in waiters:
            waiter.cancel()


async def _close(client: slixmpp.ClientXMPP, ended: asyncio.Event) -> None:
    client.cancel_connection_attempt()
    if not ended.is_set() and client.transport is not None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.disconnect(wait=2.0), 5.0)
    if client.transport is not None:
        client.abort()
    runner = getattr(client, "_run_out_filters", None)  # slixmpp's send loop outlives the client
    if runner is not None:
        runner.cancel()


def servers_text(servers: Sequence[ServerAddress]) -> str:
    return ", ".join(str(s) for s in servers)
