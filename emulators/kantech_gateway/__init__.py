"""A simulated EntraPass gateway: drives real (or emulated) Kantech IP controllers over UDP.

The public surface (the rest is internal): ``SimulatedGateway`` (an async context manager:
``async with SimulatedGateway(key, site_id, ("127.0.0.1", 0)) as gateway``), ``load_site`` /
``SiteDescription`` (what a reload sends), and the errors a request raises: ``GatewayError``,
``DeviceRefusedError``, ``DeviceTimeoutError``.
"""

from emulators.kantech_gateway.gateway import (
    DeviceRefusedError,
    DeviceTimeoutError,
    GatewayError,
    SimulatedGateway,
)
from emulators.kantech_gateway.site_description import SiteDescription, load_site

__all__ = ["DeviceRefusedError", "DeviceTimeoutError", "GatewayError", "SimulatedGateway",
           "SiteDescription", "load_site"]
