"""The meter loop's HTTP edge: fetch the page where a device's model keeps its web-only counters
(web_counters.py says which) from its embedded web server, and hand the text to the parsers.

A web server that is off, slow, answers an error or a page without the counters costs this
read its web counters, never the SNMP ones: the failure is counted and logged (rate-limited)
and the counters are read again next pass. Pages are read up to ``MAX_PAGE`` bytes.
"""

from __future__ import annotations

import aiohttp

from ekm_proto.monitor.device import Device
from ekm_proto.monitor.web_counters import WebCounter, WebPageError, read_counters, web_source
from protolab.clock import Clock
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

MAX_PAGE = 1 << 20
_log = get_logger("monitor.web")


class WebCounterFetcher:
    """See the module docstring. ``port`` is the devices' web server port (80; the lab's
    ``--web-port``); ``timeout`` seconds of ``clock`` per page."""

    def __init__(self, clock: Clock, *, port: int = 80, timeout: float = 5.0) -> None:
        self.clock = clock
        self.port = port
        self.timeout = timeout
        self.pages = self.failures = 0
        self._session: aiohttp.ClientSession | None = None
        self._throttle = LogThrottle(10.0)

    def wants(self, device: Device) -> bool:
        return web_source(device.model) is not None

    async def counters(self, device: Device) -> list[tuple[WebCounter, int | None]]:
        """The device's web-only counters; [] when its model has none or the page failed."""
        source = web_source(device.model)
        if source is None:
            return []
        host = f"[{device.address}]" if ":" in device.address else device.address
        url = f"http://{host}:{self.port}{source.path}"
        try:
            page = await self.clock.wait_for(self._fetch(url), self.timeout)
            found = read_counters(source, page)
        except (aiohttp.ClientError, TimeoutError, UnicodeDecodeError, WebPageError) as exc:
            self.failures += 1
            suppressed = self._throttle.allow(self.clock.now(), "web-failed")
            if suppressed is not None:
                _log.warning("monitor.web-failed", device=device.describe(), url=url,
                             error=str(exc) or type(exc).__name__, suppressed=suppressed,
                             expected=f"{source.format} page with the model's counters")
            return []
        self.pages += 1
        return found

    async def _fetch(self, url: str) -> str:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=256, force_close=True))
        async with self._session.get(url, allow_redirects=False) as response:
            if response.status != 200:
                raise aiohttp.ClientResponseError(response.request_info, (), status=response.status,
                                                  message=f"HTTP {response.status}")
            body = await response.content.read(MAX_PAGE)
            try:
                return body.decode(response.charset or "utf-8")
            except LookupError:  # a charset Python does not know: the page's digits are ASCII
                return body.decode("utf-8", "replace")

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
