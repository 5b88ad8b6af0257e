"""Building received batches by hand for portal tests."""

from __future__ import annotations

from typing import Any

from ekm_proto.shipping.envelope import Batch
from ekm_proto.shipping.records import Message, record_from_payload
from tests.ekm_proto.xmpp_lab import JULY_13_2020

AGENT = "agent@xmpp.test"


def batch(*items: tuple[str, tuple[str, dict[str, Any]]], invalid: dict[str, str] | None = None
          ) -> Batch:
    messages = tuple(Message(ident, kind, record_from_payload(kind, payload))
                     for ident, (kind, payload) in items)
    return Batch("site-a", "Local Test2", JULY_13_2020, messages, invalid or {})
