"""Emulated Kantech controllers (KT-400, KT-1, IP-Link and its KT-100/KT-300 loop).

The public surface (the rest is internal):

- ``KantechFleet``: the running devices, an async context manager
  (``async with KantechFleet(build_fleet(FleetSettings(kt400=2, ...)), clock=...) as fleet``);
- ``FleetSettings`` / ``build_fleet`` / ``DeviceConfig``: what to run;
- ``start_control_server``: the HTTP control API (cards, doors, inputs, power) of a fleet;
- ``UnknownDeviceError``.
"""

from emulators.kantech.control_api import start_control_server
from emulators.kantech.errors import UnknownDeviceError
from emulators.kantech.fleet_config import DeviceConfig, FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet

__all__ = ["DeviceConfig", "FleetSettings", "KantechFleet", "UnknownDeviceError", "build_fleet",
           "start_control_server"]
