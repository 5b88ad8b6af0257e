"""The XML format: a hand-written batch decodes to the records it says, records encode to
documents the schema accepts, bad records are kept aside one by one, bad payloads are refused."""

from __future__ import annotations

import base64
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ekm_proto.page_counts import RollUp
from ekm_proto.shipping.envelope import (
    MAX_DOCUMENT,
    decode_batch,
    decode_receipt,
    encode_batch,
    encode_receipt,
    schema,
    unwrap,
    wrap,
)
from ekm_proto.shipping.errors import BadPayloadError, BadRecordError
from ekm_proto.shipping.records import (
    AlertEvent,
    Asset,
    Availability,
    Change,
    Counter,
    Message,
    MeterReading,
    Supply,
    SupplyLevels,
    record_from_payload,
)
from tests.ekm_proto.xmpp_lab import alert, asset, meters, supplies

HAND_WRITTEN = b"""<batch xmlns="urn:protolab:ekm:1" version="1" agent="site-a"
    customer="Local Test2" sent="2020-07-13T14:30:00Z">
  <asset id="m1" serial="MXCK751Y" manufacturer="HP"
      model="PageWide Enterprise Color Flow MFP 785F" address="192.168.1.119" mac="F430B96F9213"
      zone="192.168.11-254" engine-cycles="132" discovered="2019-04-10T14:34:10Z"
      at="2020-07-13T02:09:09Z"/>
  <meters id="m2" serial="MXCK751Y" read="2020-07-13T02:09:09Z">
    <counter name="Mono A4" value="75"/><counter name="Colour A4" value="48"/>
    <counter name="Colour A3" value="9"/><counter name="Scans colour A4" value="6" class="scans"/>
    <rollup mono-small="75" colour-small="48" mono-large="0" colour-large="9" engine-cycles="132"/>
  </meters>
  <supplies id="m3" serial="MXCK751Y" read="2020-07-13T13:09:53Z">
    <supply index="1" description="Black Cartridge 982 SETUP HP T0B22A" type="inkCartridge"
        colour="black" sku="T0B22A" level="33" max-capacity="100"/>
  </supplies>
  <alert id="m4" serial="MXCK751Y" event="opened" key="7" code="8" group="13" severity="3"
      training="3" vendor-code="077-103" engine-cycles="69066"
      opened="2020-07-13T14:13:30Z">A paper jam has been detected near the Fuser.</alert>
  <change id="m5" serial="MXCK751Y" kind="move" old="192.168.1.118" new="192.168.1.119"
      at="2020-07-13T09:00:00Z"/>
  <availability id="m6" serial="MXCK751Y" available="false" at="2020-07-12T17:44:01Z"
      since="2020-07-11T16:44:01Z">Device busy/unavailable for over 24 hours (actual:25 hrs)</availability>
</batch>"""
T = 1594598400.0  # 2020-07-13T00:00:00Z


def test_a_hand_written_batch_decodes_to_what_it_says() -> None:
    batch = decode_batch(HAND_WRITTEN)
    assert (batch.agent, batch.customer, batch.invalid) == ("site-a", "Local Test2", {})
    assert [m.message_id for m in batch.messages] == ["m1", "m2", "m3", "m4", "m5", "m6"]
    records = [m.record for m in batch.messages]
    assert records[0] == Asset("MXCK751Y", "HP", "PageWide Enterprise Color Flow MFP 785F",
                               "192.168.1.119", "F430B96F9213", T + 7749, None, None,
                               "192.168.11-254", 132, 1554906850.0)
    assert records[1] == MeterReading("MXCK751Y", T + 7749, (
        Counter("Mono A4", 75), Counter("Colour A4", 48), Counter("Colour A3", 9),
        Counter("Scans colour A4", 6, "scans")), RollUp(75, 48, 0, 9, 132))
    assert records[2] == SupplyLevels("MXCK751Y", T + 47393, (Supply(
        1, "Black Cartridge 982 SETUP HP T0B22A", "inkCartridge", 33, 100, "black", "T0B22A"),))
    assert records[3] == AlertEvent("MXCK751Y", "opened", "7", 8, 13, 3, 3,
                                    "A paper jam has been detected near the Fuser.", T + 51210,
                                    None, None, "077-103", 69066)
    assert records[4] == Change("MXCK751Y", "move", T + 32400, "192.168.1.118", "192.168.1.119")
    assert records[5] == Availability("MXCK751Y", False, T - 22559,
                                      "Device busy/unavailable for over 24 hours (actual:25 hrs)",
                                      T - 112559)


def test_encoding_gives_back_an_equal_batch_that_the_schema_accepts() -> None:
    messages = decode_batch(HAND_WRITTEN).messages
    document = encode_batch(messages, agent="site-a", customer="Local Test2", sent_at=T)
    assert schema().validate(etree.fromstring(document))
    assert decode_batch(document).messages == messages


@pytest.mark.parametrize("encoding", ["deflate-base64", "base64"])
def test_wrapping_is_base64_of_the_document_or_of_its_deflate(encoding: str) -> None:
    text = wrap(HAND_WRITTEN, encoding)
    raw = base64.b64decode(text)
    assert (zlib.decompress(raw) if encoding == "deflate-base64" else raw) == HAND_WRITTEN
    assert unwrap(text, encoding) == HAND_WRITTEN


def test_a_bad_record_is_kept_aside_and_the_others_kept() -> None:
    bad = HAND_WRITTEN.replace(b'level="33"', b'level="lots"')
    batch = decode_batch(bad)
    assert [m.message_id for m in batch.messages] == ["m1", "m2", "m4", "m5", "m6"]
    assert list(batch.invalid) == ["m3"] and "level" in batch.invalid["m3"]


def test_two_records_with_one_id_are_both_refused() -> None:
    twice = HAND_WRITTEN.replace(b'id="m5"', b'id="m4"')
    batch = decode_batch(twice)
    assert "m4" in batch.invalid and [m.message_id for m in batch.messages] == [
        "m1", "m2", "m3", "m6"]


@pytest.mark.parametrize(("text", "encoding", "message"), [
    ("not base64 at all!", "base64", "not base64"),
    (base64.b64encode(b"\x78\x9c garbage").decode(), "deflate-base64", "does not inflate"),
    (base64.b64encode(zlib.compress(b"<batch")[:-4]).decode(), "deflate-base64", "truncated|"),
    (base64.b64encode(b"x").decode(), "gzip", "encoding 'gzip'"),
    (base64.b64encode(zlib.compress(b"\0" * (MAX_DOCUMENT + 10))).decode(), "deflate-base64",
     "over"),
])
def test_bad_payloads_are_refused_with_the_reason(text: str, encoding: str, message: str) -> None:
    with pytest.raises(BadPayloadError, match=message):
        decode_batch(unwrap(text, encoding))


@pytest.mark.parametrize(("document", "message"), [
    (b"<batch", "not well-formed"),
    (b"<other xmlns='urn:protolab:ekm:1'/>", "expected <batch>"),
    (b'<batch xmlns="urn:protolab:ekm:1" version="2" agent="a" sent="2020-07-13T00:00:00Z">'
     b'<change id="x" serial="s" kind="move" at="2020-07-13T00:00:00Z"/></batch>', "invalid"),
    (b'<!DOCTYPE b [<!ENTITY e SYSTEM "file:///etc/passwd">]><batch xmlns="urn:protolab:ekm:1" '
     b'version="1" agent="&e;" sent="2020-07-13T00:00:00Z"/>', "invalid|not well-formed"),
])
def test_documents_that_are_no_batch_are_refused(document: bytes, message: str) -> None:
    with pytest.raises(BadPayloadError, match=message):
        decode_batch(document)


def test_the_agent_refuses_to_encode_what_the_schema_refuses_and_names_it() -> None:
    record = record_from_payload(*supplies("S" * 65, T, {"Black": 1}))
    with pytest.raises(BadRecordError, match="message bad-1 \\(supplies\\)"):
        encode_batch([Message("bad-1", "supplies", record)], agent="a", customer=None, sent_at=T)


def test_receipts_round_trip_and_are_validated() -> None:
    receipt = decode_receipt(encode_receipt("b1", {"m3": "level: not an integer"}))
    assert (receipt.batch_id, receipt.rejected, receipt.refused) == (
        "b1", {"m3": "level: not an integer"}, None)
    assert decode_receipt(encode_receipt("b2", {}, "not base64")).refused == "not base64"
    with pytest.raises(BadPayloadError, match="invalid receipt"):
        decode_receipt(b"<receipt xmlns='urn:protolab:ekm:1'/>")


def test_records_from_the_samples_encode() -> None:
    samples = [asset("S1"), meters("S1", T, {"Mono A4": 5}), alert("S1", key="k1")]
    messages = [Message(f"id{i}", kind, record_from_payload(kind, payload))
                for i, (kind, payload) in enumerate(samples)]
    assert decode_batch(encode_batch(messages, agent="a", customer=None, sent_at=T)).messages \
        == tuple(messages)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["base64", "deflate-base64", "zip"]))
def test_any_bytes_are_a_batch_or_a_bad_payload(data: bytes, encoding: str) -> None:
    for text in (base64.b64encode(data).decode(), data.decode("latin-1")):
        try:
            decode_batch(unwrap(text, encoding))
        except BadPayloadError:
            pass


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(HAND_WRITTEN) - 1), st.binary(min_size=1, max_size=8))
def test_a_mutated_batch_decodes_or_is_refused(at: int, junk: bytes) -> None:
    try:
        batch = decode_batch(HAND_WRITTEN[:at] + junk + HAND_WRITTEN[at + len(junk):])
    except BadPayloadError:
        return
    assert len(batch.messages) + len(batch.invalid) >= 1
