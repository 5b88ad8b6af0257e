"""A manager joined to the agent engine that serves the test tree, without sockets."""

from __future__ import annotations

import pytest

from ekm_proto.snmp.agent.engine import SnmpEngine
from ekm_proto.snmp.agent.static_view import StaticDirectory
from ekm_proto.snmp.manager.session import SnmpManager
from tests.ekm_proto.snmp.agent_setup import SECURITY
from tests.ekm_proto.snmp.manager.joined import Joined


@pytest.fixture
def joined(directory: StaticDirectory) -> Joined:
    return Joined(SnmpManager(first_request_id=1000), SnmpEngine(directory, SECURITY))
