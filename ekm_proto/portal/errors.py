"""The portal's errors a person can fix (an unknown report, a device with no readings)."""

from __future__ import annotations

from ekm_proto.errors import EkmError


class PortalError(EkmError):
    """Base of the portal's errors."""


class NoSuchDevice(PortalError):
    """A serial the portal has never heard of (or has no readings for)."""
