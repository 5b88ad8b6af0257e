"""What the Kantech emulators refuse on purpose, rooted in ``KantechError``.

Settings that cannot work are protolab's ``ConfigurationError``; these are the requests a running
lab refuses: a device that is not in the fleet, an action its hardware cannot do.
"""

from __future__ import annotations

from kantech_proto.errors import KantechError


class UnknownDeviceError(KantechError):
    """No device of the fleet has that index, IP address or MAC address."""

    def __init__(self, ident: object) -> None:
        super().__init__(f"no device {ident!r} in this fleet: expected a device index, "
                         "IP address or MAC address")
        self.ident = ident


class ModelInputError(KantechError):
    """An action the emulated hardware cannot do (door 5 of a KT-1, a 40-digit card number),
    asked for through a test hook or the control API."""
