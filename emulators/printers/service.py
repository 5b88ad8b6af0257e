"""Running a fleet of emulated printers: choosing profiles, building the fleet from plain values,
the credentials it answers, and serving it (SNMP on one UDP port, the control API) until stopped.

``protolab printers emulate`` and the demo lab both call these; nothing here parses arguments.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from ekm_proto.snmp.agent.engine import SecurityConfig
from ekm_proto.snmp.agent.server import SnmpServer
from ekm_proto.snmp.manager.targets import RetryPolicy, Target
from ekm_proto.snmp.usm import UserKeys, UsmUser
from emulators.printers.catalog import compile_profile
from emulators.printers.control_api import start_control
from emulators.printers.fleet import PrinterFleet
from emulators.printers.notifier import PrinterNotifier, TrapSink
from emulators.printers.printer_state import PrinterState
from emulators.printers.profiles import PROFILE_DIR, Profile, load_profiles
from emulators.printers.raw_port import PrinterCapture, RawPortServer
from emulators.printers.recorded import load_recording
from emulators.printers.snmprec import format_snmprec, walk
from emulators.printers.web_server import WebServer
from protolab.clock import Clock
from protolab.errors import ConfigurationError, bind_failure
from protolab.http_api import ApiServer
from protolab.logs import get_logger

DEFAULT_PROFILE = "hp-color-laserjet-m577"
INFORM_RETRIES = 0x7FFFFFFF  # "until acknowledged": the wait grows to a minute between re-sends
_log = get_logger("printers.emulate")


def select_profiles(names: Sequence[str] = (), *, mix: bool = False,
                    profiles_dir: Path = PROFILE_DIR, recordings: Sequence[Path] = ()
                    ) -> list[Profile]:
    """The profiles a fleet is made of: the named ones, all of them (``mix``), the imported
    recordings, or the default model."""
    available = dict(load_profiles(profiles_dir))
    imported = [load_recording(path) for path in recordings]
    for profile in imported:
        available[profile.name] = profile
    if names:
        unknown = [name for name in names if name not in available]
        if unknown:
            raise ConfigurationError(f"unknown profile {', '.join(unknown)}; expected one of: "
                                     + ", ".join(sorted(available)))
        return [available[name] for name in names]
    if mix:
        return list(available.values())
    return imported or [available[DEFAULT_PROFILE]]


def build_fleet(profiles: Sequence[Profile], count: int, first_address: str, clock: Clock, *,
                time_scale: float = 1.0, start_epoch: float | None = None, seed: int = 0,
                simulate: bool = True, utc_offset_hours: float = 0.0) -> PrinterFleet:
    """``count`` printers of ``profiles`` (spread by fleet_weight) from ``first_address`` on."""
    if count < 0:
        raise ConfigurationError(f"{count} printers: expected 0 or more")
    return PrinterFleet([compile_profile(p) for p in profiles], count, first_address, clock,
                        time_scale=time_scale, start_epoch=start_epoch, seed=seed,
                        simulate=simulate, utc_offset_hours=utc_offset_hours)


def security_config(communities: Sequence[str] = ("public",), v3_user: str | None = None, *,
                    auth_key: str | None = None, priv_key: str | None = None,
                    auth_protocol: str = "SHA", priv_protocol: str = "AES",
                    write_communities: Sequence[str] = (), v3_write: bool = False
                    ) -> SecurityConfig:
    """Who may read the printers: communities, and one SNMPv3 user whose level follows the keys
    given (none: noAuthNoPriv, auth: authNoPriv, both: authPriv); who may also SET: the write
    communities, and the user when ``v3_write``."""
    users = []
    if v3_user:
        users.append(UsmUser(v3_user, auth_protocol if auth_key else None, auth_key,
                             priv_protocol if priv_key else None, priv_key))
    elif auth_key or priv_key or v3_write:
        raise ConfigurationError("SNMPv3 keys or write access were given without a user name; "
                                 "expected a user (--v3-user NAME)")
    return SecurityConfig(communities=list(communities) or ["public"], users=users,
                          write_communities=list(write_communities),
                          write_users=[v3_user] if v3_user and v3_write else [])


def export_walks(fleet: PrinterFleet, path: Path) -> list[tuple[Path, PrinterState]]:
    """One printer per profile walked into ``.snmprec`` files: ``path`` itself when it names one
    file and the fleet has one profile, else one file per profile in the directory ``path``."""
    firsts: dict[str, PrinterState] = {}
    for state in fleet.printers:
        firsts.setdefault(state.model.name, state)
    if not firsts:
        raise ConfigurationError("a fleet of 0 printers has nothing to export")
    if len(firsts) == 1 and path.suffix == ".snmprec":
        targets = {path: next(iter(firsts.values()))}
    else:
        path.mkdir(parents=True, exist_ok=True)
        targets = {path / f"{name}.snmprec": state for name, state in firsts.items()}
    for target, state in targets.items():
        target.write_text(format_snmprec(walk(fleet.view_of(state))))
    return list(targets.items())


def trap_sinks(addresses: Sequence[tuple[str, int]], version: str = "2c", *,
               community: str = "public", inform: bool = False, user: UsmUser | None = None,
               timeout: float = 1.0, retries: int = INFORM_RETRIES) -> list[TrapSink]:
    """Receivers of every printer's notifications: SNMPv1/v2c traps with ``community``, SNMPv2c
    informs (``inform``), or SNMPv3 informs from ``user``, each inform retried with backoff
    (``timeout`` doubling up to a minute) until acknowledged or ``retries`` re-sends."""
    if version not in ("1", "2c", "3"):
        raise ConfigurationError(f"trap version {version!r}: expected 1, 2c or 3")
    if version == "3" and user is None:
        raise ConfigurationError("SNMPv3 informs need a user: give --v3-user with its keys")
    if version == "1" and inform:
        raise ConfigurationError("SNMPv1 has no informs: expected --trap-version 2c or 3")
    retry = RetryPolicy(timeout, retries, 2.0, max(timeout, 60.0))
    sinks = []
    for host, port in addresses:
        if version == "3":
            assert user is not None
            target = Target.v3(host, port, user=UserKeys(user), retry=retry)
        elif version == "1":
            target = Target.v1(host, port, community, retry=retry)
        else:
            target = Target.v2c(host, port, community, retry=retry)
        sinks.append(TrapSink(target, inform=inform or version == "3"))
    return sinks


async def serve_printers(fleet: PrinterFleet, security: SecurityConfig, *, port: int,
                         stop: asyncio.Event, bind: str = "0.0.0.0",
                         control: tuple[str, int] | None = None, port_flag: str = "--port",
                         control_flag: str = "--control", control_port_only: bool = False,
                         sinks: Sequence[TrapSink] = (), trap_rate: float = 1000.0,
                         raw_port: int | None = None, http_port: int | None = None,
                         capture: PrinterCapture | None = None) -> None:
    """Answer SNMP for every printer (and the control API when ``control`` is an address), take
    raw jobs on ``raw_port`` and serve the web pages on ``http_port`` of every printer's address
    (None: not served), and send their notifications to ``sinks``, until ``stop`` is set;
    ``capture`` sees the SNMP datagrams (requests, answers, notifications) and the raw port's
    connections (the web pages are not shown to it). A port
    that cannot be bound is an error naming the flag that chose it."""
    server = SnmpServer(fleet, security, port=port, bind_address=bind, clock=fleet.sim.clock,
                        observer=capture)
    try:
        await server.start()
    except OSError as exc:
        raise bind_failure(exc, bind, port, flag=port_flag, port_only=True,
                           what="SNMP port") from None
    api: ApiServer | None = None
    notifier: PrinterNotifier | None = None
    raw: RawPortServer | None = None
    web: WebServer | None = None
    try:
        if raw_port is not None:
            raw = RawPortServer(fleet, bind, raw_port, observer=capture)
            try:
                await raw.start()
            except OSError as exc:
                raise bind_failure(exc, bind, raw_port, flag="--raw-port", port_only=True,
                                   what="raw printing port") from None
        if http_port is not None:
            web = WebServer(fleet, bind, http_port)
            try:
                await web.start()
            except OSError as exc:
                raise bind_failure(exc, bind, http_port, flag="--http-port", port_only=True,
                                   what="printers' web server") from None
        if control is not None:
            try:
                api = await start_control(fleet, *control)
            except OSError as exc:
                raise bind_failure(exc, control[0], control[1], flag=control_flag,
                                   port_only=control_port_only,
                                   what="printer control API") from None
        if sinks:
            notifier = PrinterNotifier(fleet, sinks, server.send_from, fleet.sim.clock,
                                       rate=trap_rate)
            for peer in notifier.peers:
                server.forward(peer, notifier.receive)
            notifier.start()
        _log.info("emulate.ready", printers=len(fleet), snmp_port=server.port,
                  first=fleet.printers[0].address if fleet.printers else None,
                  control=api.url if api is not None else None,
                  raw_port=raw.port if raw is not None else None,
                  http_port=web.port if web is not None else None,
                  trap_sinks=[sink.label for sink in sinks])
        await stop.wait()
    finally:
        if notifier is not None:
            notifier.close()
        if web is not None:
            await web.close()
        if raw is not None:
            await raw.close()
        if api is not None:
            await api.close()
        await server.close()
        _log.info("emulate.stopped", received=server.stats.received,
                  answered=server.stats.answered,
                  notifications=notifier.stats if notifier is not None else None)
