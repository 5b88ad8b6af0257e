"""The web interface's errors a person can fix (a bad operator name, role or password)."""

from __future__ import annotations

from ekm_proto.portal.errors import PortalError


class OperatorError(PortalError):
    """An operator that cannot be added or removed as asked."""
