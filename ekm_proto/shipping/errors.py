"""What goes wrong between an agent and its portal, rooted in ekm_proto's EkmError."""

from __future__ import annotations

from ekm_proto.errors import EkmError


class ShippingError(EkmError):
    """Base of the shipping errors."""


class BadRecordError(ShippingError):
    """An outbox payload (or a received record) that is not a record of its kind: the message
    names the field and what was expected. The row is kept aside, never shipped or stored."""


class BadPayloadError(ShippingError):
    """A received payload that is not a batch of the schema (bad base64, bad deflate, not XML,
    invalid): kept aside by the portal with this reason, and the agent is told."""


class CommandError(ShippingError):
    """A remote command that cannot be run as written; its text is the answer sent back."""
