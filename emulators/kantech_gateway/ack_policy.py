"""Which device-initiated messages the simulated gateway acknowledges as they arrive.

A device sends EVENT, ANNOUNCE and the TUNNELs an IP-Link forwards from its own polling with
event id 0 and repeats them, stop-and-wait, until an ACK comes (WIRE.md section 2); everything
else it sends either answers a request (matched by event id) or needs no answer (PULSE).
"""

from __future__ import annotations

from kantech_proto.codes import Command
from kantech_proto.ip_frame import IpFrame

#: device-initiated commands a device repeats until acknowledged
RELIABLE_FROM_DEVICES = frozenset({Command.EVENT, Command.ANNOUNCE, Command.TUNNEL})


def needs_ack(frame: IpFrame) -> bool:
    """True for a frame the gateway must ACK at once (a ``GatewayEndpoint`` ack policy)."""
    return frame.event_id == 0 and frame.command in RELIABLE_FROM_DEVICES
