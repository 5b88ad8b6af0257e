"""Batches of records as the schema's documents, base64-wrapped, and the portal's receipts.

Both ends validate against ``ekm-1.xsd``: the agent before sending (a row the schema refuses is
kept aside, never shipped), the portal after unwrapping. A batch the schema refuses is examined
record by record, so one bad record never costs the good ones beside it. Unwrapping is bounded
(a deflate bomb stops at ``MAX_DOCUMENT`` bytes) and parsing resolves no entity and fetches
nothing.
"""

from __future__ import annotations

import base64
import binascii
import copy
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from lxml import etree

from ekm_proto.shipping import FORMAT_VERSION, NAMESPACE
from ekm_proto.shipping.errors import BadPayloadError, BadRecordError
from ekm_proto.shipping.records import Message
from ekm_proto.shipping.xml_codec import (
    format_time,
    message_from_element,
    parse_time,
    record_element,
)

ENCODINGS = ("deflate-base64", "base64")
MAX_DOCUMENT = 4 * 1024 * 1024
SCHEMA_FILE = "ekm-1.xsd"
_NS = f"{{{NAMESPACE}}}"
_schema: Any = None


def schema() -> Any:
    """The format's XMLSchema (loaded once from the package)."""
    global _schema
    if _schema is None:
        source = resources.files("ekm_proto.shipping").joinpath(SCHEMA_FILE).read_bytes()
        _schema = etree.XMLSchema(etree.fromstring(source, _parser()))
    return _schema


def _parser() -> Any:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           remove_blank_text=True, load_dtd=False)


@dataclass(frozen=True, slots=True)
class Batch:
    """A received batch: the messages that passed the schema and those that did not."""

    agent: str
    customer: str | None
    sent_at: float
    messages: tuple[Message, ...]
    invalid: dict[str, str] = field(default_factory=dict)  # message id -> reason


def _batch_root(agent: str, customer: str | None, sent_at: float) -> Any:
    root = etree.Element(_NS + "batch", nsmap={None: NAMESPACE})
    root.set("version", FORMAT_VERSION)
    root.set("agent", agent)
    if customer:
        root.set("customer", customer)
    root.set("sent", format_time(sent_at))
    return root


def _error_text(log: Any) -> str:
    errors = [f"line {e.line}: {e.message}" for e in list(log)[:3]]
    return "; ".join(errors) or "invalid"


def encode_batch(messages: Sequence[Message], *, agent: str, customer: str | None,
                 sent_at: float) -> bytes:
    """The batch document; BadRecordError (naming the message) when the schema refuses it."""
    root = _batch_root(agent, customer, sent_at)
    for message in messages:
        root.append(record_element(message))
    checker = schema()
    if not checker.validate(root):
        for message in messages:  # name the culprit
            check_message(message, agent=agent)
        raise BadRecordError(f"batch of {len(messages)} from {agent}: "
                             f"{_error_text(checker.error_log)}")
    return bytes(etree.tostring(root, xml_declaration=False, encoding="utf-8"))


def check_message(message: Message, *, agent: str = "agent") -> None:
    """BadRecordError when the schema refuses this message on its own."""
    root = _batch_root(agent, None, 0)
    root.append(record_element(message))
    checker = schema()
    if not checker.validate(root):
        raise BadRecordError(f"message {message.message_id} ({message.kind}): "
                             f"{_error_text(checker.error_log)}")


def wrap(document: bytes, encoding: str = "deflate-base64") -> str:
    """The payload text for a batch document."""
    if encoding == "deflate-base64":
        document = zlib.compress(document, 9)
    return base64.b64encode(document).decode("ascii")


def unwrap(text: str, encoding: str) -> bytes:
    """The batch document inside a payload; BadPayloadError saying what was wrong."""
    if encoding not in ENCODINGS:
        raise BadPayloadError(f"encoding {encoding!r}; expected one of " + ", ".join(ENCODINGS))
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise BadPayloadError("the payload is not base64") from None
    if encoding == "base64":
        if len(raw) > MAX_DOCUMENT:
            raise BadPayloadError(f"the batch is over {MAX_DOCUMENT} bytes")
        return raw
    inflater = zlib.decompressobj()
    try:
        document = inflater.decompress(raw, MAX_DOCUMENT + 1)
    except zlib.error as exc:
        raise BadPayloadError(f"the payload does not inflate: {exc}") from None
    if len(document) > MAX_DOCUMENT or inflater.unconsumed_tail:
        raise BadPayloadError(f"the batch inflates to over {MAX_DOCUMENT} bytes")
    if not inflater.eof:
        raise BadPayloadError("the deflated payload is truncated")
    return document


def decode_batch(document: bytes) -> Batch:
    """The messages of a batch document. BadPayloadError when it is no batch at all; records
    the schema refuses are listed in ``invalid`` (by id, when they have one)."""
    try:
        root = etree.fromstring(document, _parser())
    except etree.XMLSyntaxError as exc:
        raise BadPayloadError(f"the batch is not well-formed XML: {exc}") from None
    if root.tag != _NS + "batch":
        raise BadPayloadError(f"the document is <{root.tag}>, expected <batch> in {NAMESPACE}")
    checker = schema()
    invalid: dict[str, str] = {}
    children = list(root)
    if not checker.validate(root):
        reason = _error_text(checker.error_log)
        shell = _batch_root("agent", None, 0)
        for attribute in ("version", "agent", "customer", "sent"):
            if root.get(attribute) is not None:
                shell.set(attribute, root.get(attribute))
        shell.append(_probe_record())
        if not checker.validate(shell) or not children:
            raise BadPayloadError(f"the batch is invalid: {reason}")
        ids = [child.get("id") for child in children]
        twice = {i for i in ids if ids.count(i) > 1}
        kept = []
        for position, child in enumerate(children):
            ident = child.get("id")
            name = str(ident) if isinstance(ident, str) else f"#{position + 1}"
            single = _batch_root("agent", None, 0)
            single.append(_copy(child))
            if ident in twice:
                invalid[name] = "an id used by another record of the batch"
            elif not isinstance(ident, str) or not checker.validate(single):
                invalid[name] = _error_text(checker.error_log) if isinstance(ident, str) \
                    else "a record without an id"
            else:
                kept.append(child)
        children = kept
    messages = []
    for child in children:
        try:
            messages.append(message_from_element(child))
        except BadRecordError as exc:
            invalid[str(child.get("id"))] = str(exc)
    try:
        sent = parse_time(root.get("sent"))
    except (TypeError, ValueError):
        raise BadPayloadError("the batch has no valid sent time") from None
    return Batch(str(root.get("agent")), root.get("customer"), sent, tuple(messages), invalid)


def _probe_record() -> Any:
    """A record the schema accepts, to check a batch's own attributes on their own."""
    probe = etree.Element(_NS + "change")
    for key, value in (("id", "probe"), ("serial", "probe"), ("kind", "new"),
                       ("at", "2000-01-01T00:00:00Z")):
        probe.set(key, value)
    return probe


def _copy(element: Any) -> Any:
    return copy.deepcopy(element)


def encode_receipt(batch_id: str, rejected: Mapping[str, str], refused: str | None = None
                   ) -> bytes:
    """The portal's answer to one payload stanza, serialised (for the XMPP message)."""
    root = etree.Element(_NS + "receipt", nsmap={None: NAMESPACE})
    root.set("batch", batch_id)
    if refused is not None:
        root.set("refused", refused[:500])
    for ident, reason in list(rejected.items())[:500]:
        item = etree.SubElement(root, _NS + "rejected")
        item.set("id", ident)
        item.text = reason[:500]
    return bytes(etree.tostring(root, encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Receipt:
    batch_id: str
    rejected: dict[str, str]
    refused: str | None


def decode_receipt(document: bytes) -> Receipt:
    """A serialised receipt (validated); BadPayloadError when it is not one."""
    try:
        element = etree.fromstring(document, _parser())
    except etree.XMLSyntaxError as exc:
        raise BadPayloadError(f"the receipt is not well-formed XML: {exc}") from None
    checker = schema()
    if not checker.validate(element):
        raise BadPayloadError(f"invalid receipt: {_error_text(checker.error_log)}")
    rejected = {str(item.get("id")): item.text or "" for item in element.iterfind(_NS + "rejected")}
    return Receipt(str(element.get("batch")), rejected, element.get("refused"))
