"""Every printer's embedded web server (HTTP, port 80 or ``--http-port``), on its own address.

One aiohttp server serves the fleet: the address a request came in on says which printer it is
for, the printer's profile (``[web] style``) which vendor's pages it has (web_pages.py, and
web_feeds.py for the machine-readable variants). A printer switched off or off the network drops
the connection; one whose profile has no web server answers 404 everywhere.
"""

from __future__ import annotations

from aiohttp import web

from emulators.printers.fleet import PrinterFleet
from emulators.printers.web_data import page_data
from emulators.printers.web_feeds import FEEDS
from emulators.printers.web_pages import LAYOUTS, render

FLEET = web.AppKey("fleet", PrinterFleet)


async def _page(request: web.Request) -> web.StreamResponse:
    fleet = request.app[FLEET]
    transport = request.transport
    local = transport.get_extra_info("sockname") if transport is not None else None
    state = fleet.state_at(str(local[0])) if local else None
    if state is None:
        raise web.HTTPNotFound(text="no printer at this address")
    if not fleet.reachable(state):
        if transport is not None:
            transport.abort()  # nothing answers on a switched-off printer's address
        raise web.HTTPServiceUnavailable()
    if request.method not in ("GET", "HEAD"):
        raise web.HTTPMethodNotAllowed(request.method, ["GET", "HEAD"])
    style = state.model.profile.web.style
    layout = LAYOUTS.get(style)
    if layout is None:
        raise web.HTTPNotFound(text=f"{state.model.profile.model} has no embedded web server")
    path = request.path_qs
    if path in ("/", "/index.html") and path not in layout.pages:
        raise web.HTTPFound(layout.home)
    data = page_data(state, fleet.refresh(state))
    feed = FEEDS.get(style, {}).get(path)
    if feed is not None:
        content_type, make = feed
        return web.Response(text=make(data), content_type=content_type)
    html = render(layout, path, data)
    if html is None:
        raise web.HTTPNotFound(text=f"no page {path} on this {layout.title}")
    return web.Response(text=html, content_type="text/html")


class WebServer:
    """See the module docstring; ``port`` is where it listens once started."""

    def __init__(self, fleet: PrinterFleet, bind: str = "0.0.0.0", port: int = 80) -> None:
        self.fleet = fleet
        self.bind = bind
        self.port = port
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app[FLEET] = self.fleet
        app.router.add_route("*", "/{tail:.*}", _page)
        return app

    async def start(self) -> None:
        runner = web.AppRunner(self.app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.bind, self.port, reuse_address=True, backlog=1024)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound = next(iter(runner.addresses), (self.bind, self.port))
        self.port = int(bound[1])

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
