"""Fuzz target: the portal's reading of what agents ship (ekm_proto.shipping.envelope).

Bytes are read three ways: as a batch document, as a payload's base64 text (both encodings),
and as a receipt. Only BadPayloadError may escape; what decodes re-encodes to a batch that
decodes to the same messages.
"""

from __future__ import annotations

from ekm_proto.shipping.envelope import (
    decode_batch,
    decode_receipt,
    encode_batch,
    encode_receipt,
    unwrap,
    wrap,
)
from ekm_proto.shipping.errors import BadPayloadError, BadRecordError

_SEED = (b'<batch xmlns="urn:protolab:ekm:1" version="1" agent="site-a" '
         b'sent="2020-07-13T14:30:00Z">'
         b'<meters id="m2" serial="MXCK751Y" read="2020-07-13T02:09:09Z">'
         b'<counter name="Mono A4" value="75"/><counter name="Colour A3" value="9"/>'
         b'<rollup mono-small="75" colour-small="0" mono-large="0" colour-large="9"/></meters>'
         b'<alert id="m4" serial="MXCK751Y" event="opened" key="7" code="8" group="13" '
         b'severity="3" training="3" opened="2020-07-13T14:13:30Z">Paper jam</alert>'
         b'<change id="m5" serial="MXCK751Y" kind="move" at="2020-07-13T09:00:00Z"/></batch>')


def _batch(document: bytes) -> None:
    try:
        batch = decode_batch(document)
    except BadPayloadError:
        return
    if batch.messages:
        try:
            again = encode_batch(batch.messages, agent=batch.agent, customer=batch.customer,
                                 sent_at=batch.sent_at)
        except BadRecordError:
            return  # e.g. a text the schema's length limit counts differently once re-escaped
        assert decode_batch(again).messages == batch.messages, "batch round trip"


def TestOneInput(data: bytes) -> None:
    _batch(data)
    text = data.decode("latin-1")
    for encoding in ("base64", "deflate-base64"):
        try:
            _batch(unwrap(text, encoding))
        except BadPayloadError:
            pass
    try:
        decode_receipt(data)
    except BadPayloadError:
        pass


def seeds() -> list[bytes]:
    return [_SEED, wrap(_SEED).encode(), wrap(_SEED, "base64").encode(),
            encode_receipt("b1", {"m3": "bad level"}), encode_receipt("b2", {}, "not base64")]
