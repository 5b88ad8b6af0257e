"""SNMP, the Printer-MIB, the monitoring agent, shipping and the portal.

The public surface (the rest is internal): ``SnmpClient`` (an async context manager: GET,
GETNEXT, GETBULK, walks and SET against any agent, the emulated printers included), ``Target``
(one agent's address and credentials), ``parse_oid``, and the errors: ``EkmError``, ``SnmpDecodeError`` (every
parser's one error), ``SnmpManagerError`` and ``SnmpTimeout``.
"""

from ekm_proto.errors import EkmError, SnmpDecodeError, SnmpManagerError, SnmpTimeout
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import Target
from ekm_proto.snmp.types import parse_oid

__all__ = ["EkmError", "SnmpClient", "SnmpDecodeError", "SnmpManagerError", "SnmpTimeout",
           "Target", "parse_oid"]
