"""Shared ground for protolab's packages: the root error, clocks, logging and the CLI."""

from protolab.errors import ProtolabError

__all__ = ["ProtolabError"]
__version__ = "0.1.0"
