"""``ekm_proto.fuzzing`` as a user's harness uses it: the SNMP message mutator is repeatable for a
seed, makes field-aware and raw messages (v3 ones for v3 credentials), and protolab's own
decoders meet everything it makes with a typed decode error at worst."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ekm_proto.errors import SnmpDecodeError
from ekm_proto.fuzzing import SnmpMessageMutator, mutate_bytes
from ekm_proto.snmp.ber import read_tlv
from ekm_proto.snmp.manager.targets import Target
from ekm_proto.snmp.message import decode_community_message, decode_v3_message, decode_version
from ekm_proto.snmp.usm import UserKeys, UsmUser

V2C = Target.v2c("127.0.0.1", 161, "public")
V3 = Target.v3("127.0.0.1", 161, user=UserKeys(UsmUser("fuzz", "SHA", "fuzz-auth-1", "AES",
                                                        "fuzz-priv-1")))


def decode(data: bytes) -> object:
    version, _pos, _end = decode_version(data)
    return decode_v3_message(data) if version == 3 else decode_community_message(data)


def test_the_same_seed_makes_the_same_messages() -> None:
    first, second = SnmpMessageMutator(V2C, 7), SnmpMessageMutator(V2C, 7)
    assert [first.next_message() for _ in range(50)] == [second.next_message() for _ in range(50)]
    assert SnmpMessageMutator(V2C, 8).next_message() != SnmpMessageMutator(V2C, 7).next_message()


def test_both_kinds_and_v3_for_v3_credentials() -> None:
    mutator = SnmpMessageMutator(V2C, 1)
    v2c = [mutator.next_message() for _ in range(300)]
    assert {m.kind for m in v2c} == {"field", "raw"}
    fields = [m for m in v2c if m.kind == "field"]
    assert all(read_tlv(m.data, 0, len(m.data))[2] == len(m.data) for m in fields)  # lengths right
    v3 = SnmpMessageMutator(V3, 1)
    notes = [v3.next_message().note for _ in range(300)]
    assert any(note.startswith("SNMPv3") for note in notes)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), credentials=st.sampled_from((V2C, V3)))
def test_our_decoders_answer_every_message_with_a_value_or_a_typed_error(
        seed: int, credentials: Target) -> None:
    mutator = SnmpMessageMutator(credentials, seed)
    for _ in range(20):
        message = mutator.next_message()
        for data in (message.data, mutate_bytes(message.data, mutator.rng)):
            try:
                decode(data)
            except SnmpDecodeError:
                pass
