"""The public printer fleet: ``async with PrinterFleet(profiles=[...], count=50) as printers``.

A fleet of emulated printers answering SNMP on one free UDP port of their loopback addresses, with
the HTTP control API on a free loopback port, both closed on leaving the ``async with`` even when
the block raised. What a user's test needs and nothing else: the addresses and port to point its
monitor at, the credentials it must use, and a handle to change what the printers report. The
fleet model itself (``emulators.printers.fleet``) and the server stay internal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aiohttp

from ekm_proto.snmp.agent.server import SnmpServer
from emulators.printers.control_api import start_control
from emulators.printers.fleet import PrinterFleet as PrinterDirectory
from emulators.printers.service import build_fleet, security_config, select_profiles
from protolab.clock import Clock, SystemClock
from protolab.errors import ProtolabError, bind_failure
from protolab.http_api import ApiServer

DEFAULT_FIRST_ADDRESS = "127.30.0.1"


class PrinterControlError(ProtolabError):
    """The printers' control API refused a change (unknown printer, bad value ...)."""


class PrinterFleet:
    """Printers of the shipped ``profiles`` (names; none: the default model), ``count`` of them
    from ``first_address`` on, readable with ``communities`` and, when ``v3_user`` is given,
    SNMPv3 (authNoPriv with ``auth_key``, authPriv with ``priv_key`` too).

    ``clock``: a ``ManualClock`` moves the printers' simulated office life (pages, toner, power
    save) only when the test advances it. ``reliable`` clears the profiles' lost and late answers
    so a test sees every reply at once."""

    def __init__(self, profiles: Sequence[str] = (), count: int = 1, *,
                 communities: Sequence[str] = ("public",), v3_user: str | None = None,
                 auth_key: str | None = None, priv_key: str | None = None,
                 first_address: str = DEFAULT_FIRST_ADDRESS, port: int = 0,
                 clock: Clock | None = None, simulate: bool = True, seed: int = 0,
                 time_scale: float = 1.0, start_epoch: float | None = None,
                 reliable: bool = True) -> None:
        self.clock: Clock = clock or SystemClock()
        self._security = security_config(communities, v3_user, auth_key=auth_key,
                                         priv_key=priv_key)
        self.communities = tuple(communities)
        self.directory: PrinterDirectory = build_fleet(
            select_profiles(profiles), count, first_address, self.clock, time_scale=time_scale,
            start_epoch=start_epoch, seed=seed, simulate=simulate)
        if reliable:
            for state in self.directory.printers:
                self.directory.set_quirks(state, drop_rate=0.0, response_delay=0.0)
        self._port = port
        self._server: SnmpServer | None = None
        self._api: ApiServer | None = None
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> PrinterFleet:
        try:
            await self.start()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Bind the SNMP port and the control API; AddressUnavailableError naming the port."""
        self._server = SnmpServer(self.directory, self._security, port=self._port,
                                  bind_address="0.0.0.0", clock=self.clock)
        try:
            await self._server.start()
        except OSError as exc:
            self._server = None
            raise bind_failure(exc, "0.0.0.0", self._port, flag="port", port_only=True,
                               what="the printers' SNMP port") from None
        self._api = await start_control(self.directory, "127.0.0.1", 0)
        self._session = aiohttp.ClientSession()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._api is not None:
            await self._api.close()
            self._api = None
        if self._server is not None:
            await self._server.close()
            self._server = None

    @property
    def port(self) -> int:
        """The UDP port every printer answers SNMP on."""
        if self._server is None:
            raise PrinterControlError("the printer fleet is not started (use `async with`)")
        return self._server.port

    @property
    def addresses(self) -> list[str]:
        """Every printer's loopback address, in fleet order."""
        return [state.address for state in self.directory.printers]

    @property
    def control_url(self) -> str:
        """The control API (``GET /printers``, ``POST /printers/{address}/print`` ...)."""
        if self._api is None:
            raise PrinterControlError("the printer fleet is not started (use `async with`)")
        return self._api.url

    def __len__(self) -> int:
        return len(self.directory)

    async def control(self, method: str, path: str, body: dict[str, Any] | None = None
                      ) -> dict[str, Any]:
        """One control-API call (``path`` under the API's root); its JSON answer."""
        if self._session is None:
            raise PrinterControlError("the printer fleet is not started (use `async with`)")
        async with self._session.request(method, self.control_url + path, json=body) as reply:
            data: dict[str, Any] = await reply.json()
        if reply.status >= 300:
            raise PrinterControlError(f"{method} {path} refused ({reply.status}): "
                                      f"{data.get('error')}")
        return data

    async def show(self, address: str) -> dict[str, Any]:
        """What the printer reports now: identity, counters, supplies, trays, alerts."""
        return await self.control("GET", f"/printers/{address}")

    async def print_pages(self, address: str, pages: int, **options: Any) -> dict[str, Any]:
        """A job of ``pages`` (``color``, ``duplex`` ... as the control API takes them)."""
        return await self.control("POST", f"/printers/{address}/print",
                                  {"pages": pages, **options})

    async def offline(self, address: str) -> None:
        """The printer stops answering (cable pulled, powered off)."""
        await self.control("POST", f"/printers/{address}/offline")

    async def online(self, address: str) -> None:
        await self.control("POST", f"/printers/{address}/online")

    async def alert(self, address: str, **alert: Any) -> dict[str, Any]:
        """Raise an alert (``kind``: a jam, a supply low ..., as the control API takes it)."""
        return await self.control("POST", f"/printers/{address}/alerts", alert)
