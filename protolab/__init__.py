"""Shared ground for protolab's packages: the root error, clocks, logging and the CLI.

The public surface: ``ProtolabError`` (every error protolab raises derives from it),
``ConfigurationError`` (a setting that cannot work, naming file, table and key) and
``AddressUnavailableError``; ``Clock``, ``SystemClock`` and ``ManualClock`` (time a test moves by
hand). The pytest fixtures are in ``protolab.pytest_plugin``, registered by installing protolab.
"""

from protolab.clock import Clock, ManualClock, SystemClock
from protolab.errors import AddressUnavailableError, ConfigurationError, ProtolabError

__all__ = ["AddressUnavailableError", "Clock", "ConfigurationError", "ManualClock",
           "ProtolabError", "SystemClock"]
__version__ = "0.1.0"
