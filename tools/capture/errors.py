"""The capture package's errors."""

from __future__ import annotations

from protolab.errors import ProtolabError


class CaptureError(ProtolabError):
    """A capture that cannot be written (disk full, file closed, a packet too large)."""
