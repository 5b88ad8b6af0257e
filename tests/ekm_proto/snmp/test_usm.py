"""USM primitives against RFC 3414 test vectors and pysnmp's implementations of the same RFCs."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder as asn1_decoder
from pyasn1.codec.ber import encoder as asn1_encoder
from pyasn1.type import univ
from pysnmp.proto.secmod.rfc3414 import localkey
from pysnmp.proto.secmod.rfc3414.auth import hmacmd5, hmacsha
from pysnmp.proto.secmod.rfc3414.priv import des as pysnmp_des
from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters
from pysnmp.proto.secmod.rfc3826.priv import aes as pysnmp_aes
from pysnmp.proto.secmod.rfc7860.auth import hmacsha2

from ekm_proto.snmp import usm
from protolab.errors import ConfigurationError

RFC_ENGINE_ID = bytes.fromhex("000000000000000000000002")  # RFC 3414 A.3


# ---------------------------------------------------------------------- RFC 3414 A.3 vectors

def test_rfc3414_a31_md5_maplesyrup() -> None:
    ku = usm.password_to_key(b"maplesyrup", usm.HMAC_MD5)
    assert ku == bytes.fromhex("9faf3283884e92834ebc9847d8edd963")
    assert usm.localize_key(ku, RFC_ENGINE_ID, usm.HMAC_MD5) == bytes.fromhex(
        "526f5eed9fcce26f8964c2930787d82b")


def test_rfc3414_a32_sha_maplesyrup() -> None:
    ku = usm.password_to_key(b"maplesyrup", usm.HMAC_SHA)
    assert ku == bytes.fromhex("9fb5cc0381497b3793528939ff788d5d79145211")
    assert usm.localize_key(ku, RFC_ENGINE_ID, usm.HMAC_SHA) == bytes.fromhex(
        "6695febc9288e36282235fc7151f128497b38f3f")


SHA2 = [(usm.HMAC_SHA224, hmacsha2.HmacSha2.SHA224_SERVICE_ID),
        (usm.HMAC_SHA256, hmacsha2.HmacSha2.SHA256_SERVICE_ID),
        (usm.HMAC_SHA384, hmacsha2.HmacSha2.SAH384_SERVICE_ID),
        (usm.HMAC_SHA512, hmacsha2.HmacSha2.SHA512_SERVICE_ID)]


@pytest.mark.parametrize(("ours", "service"), SHA2)
def test_sha2_keys_match_pysnmp(ours: usm.AuthProtocol, service: tuple[int, ...]) -> None:
    theirs = hmacsha2.HmacSha2(service)
    ku = usm.password_to_key(b"maplesyrup", ours)
    assert ku == bytes(theirs.hash_passphrase(b"maplesyrup"))
    engine = univ.OctetString(RFC_ENGINE_ID)
    assert usm.localize_key(ku, RFC_ENGINE_ID, ours) == bytes(theirs.localize_key(ku, engine))
    assert ours.mac_length == theirs.digest_length
    assert ours.oid == service


def test_passphrase_shorter_than_64_octets_and_longer() -> None:
    for passphrase in (b"12345678", b"p" * 64, b"q" * 65, b"long passphrase " * 9):
        assert usm.password_to_key(passphrase, usm.HMAC_SHA) == bytes(
            localkey.hash_passphrase_sha(passphrase))


# ----------------------------------------------------------------------------------- HMAC

AUTH_CASES = [(usm.HMAC_MD5, hmacmd5.HmacMd5()), (usm.HMAC_SHA, hmacsha.HmacSha()),
              *[(ours, hmacsha2.HmacSha2(service)) for ours, service in SHA2]]


@pytest.mark.parametrize(("ours", "theirs"), AUTH_CASES, ids=lambda p: getattr(p, "name", ""))
@settings(max_examples=30)
@given(data=st.binary(min_size=1, max_size=600).map(lambda b: b.replace(b"\0", b"\1")))
def test_hmac_matches_pysnmp(ours: usm.AuthProtocol, theirs: object, data: bytes) -> None:
    localized = usm.localize_key(usm.password_to_key(b"maplesyrup", ours), RFC_ENGINE_ID, ours)
    zeros = bytes(ours.mac_length)
    whole = b"\x30\x81" + data + zeros + data  # pysnmp looks for the zero placeholder
    signed = theirs.authenticate_outgoing_message(  # type: ignore[attr-defined]
        univ.OctetString(localized), whole)
    at = 2 + len(data)
    mac = bytes(signed)[at:at + ours.mac_length]
    assert usm.HmacKey(localized, ours).mac(whole) == mac
    full = hmac.new(localized, whole, ours.hash_name).digest()[:ours.mac_length]
    assert mac == full


def test_hmac_key_longer_than_block_is_hashed_first() -> None:
    key = b"k" * 100
    assert usm.HmacKey(key, usm.HMAC_SHA).mac(b"abc") == hmac.new(key, b"abc", "sha1").digest()[:12]


# -------------------------------------------------------------------------------- privacy

def localized_pair(auth: usm.AuthProtocol) -> bytes:
    return usm.localize_key(usm.password_to_key(b"maplesyrup-priv", auth), RFC_ENGINE_ID, auth)


@settings(max_examples=40)
@given(plaintext=st.binary(max_size=300), boots=st.integers(0, 2**31 - 1),
       time=st.integers(0, 2**31 - 1), salt=st.integers(0, 2**64 - 1))
def test_aes_cfb_matches_pysnmp(plaintext: bytes, boots: int, time: int, salt: int) -> None:
    key = localized_pair(usm.HMAC_SHA)
    cipher = usm.PrivCipher(key, usm.AES128)
    ciphertext, salt_octets = cipher.encrypt(plaintext, salt, boots, time)
    assert salt_octets == salt.to_bytes(8, "big") and len(ciphertext) == len(plaintext)
    theirs = pysnmp_aes.Aes()
    decrypted = theirs.decrypt_data(univ.OctetString(key[:16]),
                                    (boots, time, univ.OctetString(salt_octets)),
                                    univ.OctetString(ciphertext))
    assert bytes(decrypted) == plaintext
    their_ct, their_salt = theirs.encrypt_data(univ.OctetString(key[:16]), (boots, time, None),
                                               plaintext)
    assert cipher.decrypt(bytes(their_ct), bytes(their_salt), boots, time) == plaintext


@settings(max_examples=40)
@given(messages=st.lists(st.tuples(st.binary(max_size=200), st.integers(0, 2**64 - 1)),
                         min_size=2, max_size=8),
       boots=st.integers(0, 2**31 - 1), time=st.integers(0, 2**31 - 1))
def test_one_aes_cipher_works_message_after_message_like_pysnmp(
        messages: list[tuple[bytes, int]], boots: int, time: int) -> None:
    """The cipher keeps one CFB context each way for all its messages: no message may carry a
    trace of the one before (the same plaintext and salt encrypt alike after any others)."""
    key = localized_pair(usm.HMAC_SHA)
    cipher = usm.PrivCipher(key, usm.AES128)
    theirs = pysnmp_aes.Aes()
    first = cipher.encrypt(*messages[0], boots, time)
    for plaintext, salt in messages:
        ciphertext, salt_octets = cipher.encrypt(plaintext, salt, boots, time)
        decrypted = theirs.decrypt_data(univ.OctetString(key[:16]),
                                        (boots, time, univ.OctetString(salt_octets)),
                                        univ.OctetString(ciphertext))
        assert bytes(decrypted) == plaintext
        their_ct, their_salt = theirs.encrypt_data(univ.OctetString(key[:16]),
                                                   (boots, time, None), plaintext)
        assert cipher.decrypt(bytes(their_ct), bytes(their_salt), boots, time) == plaintext
    assert cipher.encrypt(*messages[0], boots, time) == first


@settings(max_examples=40)
@given(plaintext=st.binary(max_size=300), boots=st.integers(0, 2**31 - 1),
       salt=st.integers(0, 2**32 - 1))
def test_des_cbc_matches_pysnmp(plaintext: bytes, boots: int, salt: int) -> None:
    key = localized_pair(usm.HMAC_MD5)
    cipher = usm.PrivCipher(key, usm.DES)
    ciphertext, salt_octets = cipher.encrypt(plaintext, salt, boots, 0)
    assert salt_octets == boots.to_bytes(4, "big") + salt.to_bytes(4, "big")
    assert len(ciphertext) % 8 == 0 and len(ciphertext) > len(plaintext)
    theirs = pysnmp_des.Des()
    decrypted = theirs.decrypt_data(univ.OctetString(key[:16]),
                                    (boots, 0, univ.OctetString(salt_octets)),
                                    univ.OctetString(ciphertext))
    assert bytes(decrypted)[:len(plaintext)] == plaintext
    their_ct, their_salt = theirs.encrypt_data(univ.OctetString(key[:16]), (boots, 0, None),
                                               plaintext)
    ours = cipher.decrypt(bytes(their_ct), bytes(their_salt), boots, 0)
    assert ours is not None and ours[:len(plaintext)] == plaintext


def test_priv_keys_for_sha2_users_are_truncated_like_pysnmp() -> None:
    for auth, service in SHA2:
        key = usm.localize_key(usm.password_to_key(b"maplesyrup-priv", auth), RFC_ENGINE_ID, auth)
        theirs = pysnmp_aes.Aes().localize_key(
            service, pysnmp_aes.Aes().hash_passphrase(service, b"maplesyrup-priv"),
            univ.OctetString(RFC_ENGINE_ID))
        assert key[:16] == bytes(theirs)


@pytest.mark.parametrize(("protocol", "ciphertext", "salt"), [
    (usm.AES128, b"x" * 20, b"1234567"),  # salt must be 8 octets
    (usm.DES, b"x" * 20, b"12345678"),  # DES ciphertext must be whole blocks
    (usm.DES, b"x" * 16, b""),
])
def test_decryption_errors(protocol: usm.PrivProtocol, ciphertext: bytes, salt: bytes) -> None:
    cipher = usm.PrivCipher(bytes(range(16)), protocol)
    assert cipher.decrypt(ciphertext, salt, 1, 1) is None


# -------------------------------------------------------------------- security parameters

@given(engine_id=st.binary(min_size=5, max_size=32), boots=st.integers(0, 2**31 - 1),
       time=st.integers(0, 2**31 - 1), user=st.binary(max_size=32),
       mac_length=st.sampled_from([0, 12, 16, 24, 32, 48]), priv=st.binary(max_size=8))
def test_usm_parameters_match_pysnmp(engine_id: bytes, boots: int, time: int, user: bytes,
                                     mac_length: int, priv: bytes) -> None:
    octets, mac_offset = usm.encode_usm_parameters(engine_id, boots, time, user, mac_length, priv)
    reference = UsmSecurityParameters()
    for name, value in (("msgAuthoritativeEngineId", engine_id),
                        ("msgAuthoritativeEngineBoots", boots),
                        ("msgAuthoritativeEngineTime", time), ("msgUserName", user),
                        ("msgAuthenticationParameters", bytes(mac_length)),
                        ("msgPrivacyParameters", priv)):
        reference[name] = value
    assert octets == asn1_encoder.encode(reference)
    assert octets[mac_offset:mac_offset + mac_length] == bytes(mac_length)
    padded = b"\xaa" * 7 + octets
    params = usm.decode_usm_parameters(padded, 7, len(padded))
    assert params == usm.UsmParameters(engine_id, boots, time, user, bytes(mac_length), priv,
                                       7 + mac_offset)
    decoded, _ = asn1_decoder.decode(octets, asn1Spec=UsmSecurityParameters())
    assert bytes(decoded["msgUserName"]) == user


@pytest.mark.parametrize(("engine_id", "boots", "user"), [
    (b"e" * 5, b"\xff", b"u"), (b"e" * 33, b"\x01", b"u"), (b"e" * 5, b"\x01", b"u" * 33)])
def test_usm_parameters_reject_negative_boots_and_long_names(engine_id: bytes, boots: bytes,
                                                             user: bytes) -> None:
    from ekm_proto.snmp.ber import BerBadValue, encode_tlv

    body = (encode_tlv(4, engine_id) + encode_tlv(2, boots) + encode_tlv(2, b"\x00")
            + encode_tlv(4, user) + encode_tlv(4, b"") + encode_tlv(4, b""))
    octets = encode_tlv(0x30, body)
    with pytest.raises(BerBadValue):
        usm.decode_usm_parameters(octets, 0, len(octets))


# --------------------------------------------------------------------------------- timeliness

@pytest.mark.parametrize(("local", "message", "ok"), [
    ((5, 1000), (5, 1000), True), ((5, 1000), (5, 1150), True), ((5, 1000), (5, 850), True),
    ((5, 1000), (5, 1151), False), ((5, 1000), (5, 849), False), ((5, 1000), (4, 1000), False),
    ((5, 1000), (6, 1000), False), ((2**31 - 1, 10), (2**31 - 1, 10), False),
])
def test_time_window(local: tuple[int, int], message: tuple[int, int], ok: bool) -> None:
    assert usm.in_time_window(*local, *message) is ok


# ------------------------------------------------------------------------------------ users

def test_user_levels_and_protocol_names() -> None:
    assert usm.UserKeys(usm.UsmUser("a")).level == 0
    assert usm.UserKeys(usm.UsmUser("a", "sha256", "12345678")).level == 1
    user = usm.UserKeys(usm.UsmUser("a", "SHA", "12345678", "aes128", "87654321"))
    assert user.level == 3 and user.auth is usm.HMAC_SHA and user.priv is usm.AES128


@pytest.mark.parametrize("user", [
    usm.UsmUser("a", "SHA", "short"),
    usm.UsmUser("a", None, None, "AES", "12345678"),
    usm.UsmUser("a", "SHA", None),
    usm.UsmUser("a", "SHA-999", "12345678"),
    usm.UsmUser("a", "SHA", "12345678", "AES-256", "12345678"),
    usm.UsmUser("", "SHA", "12345678"),
    usm.UsmUser("a", "SHA", "zz", key_kind="master"),
    usm.UsmUser("a", "SHA", "12345678", key_kind="localized"),
])
def test_bad_users(user: usm.UsmUser) -> None:
    with pytest.raises(ConfigurationError):
        usm.UserKeys(user)


def test_master_keys_equal_passphrase_keys() -> None:
    ku = usm.password_to_key(b"maplesyrup", usm.HMAC_SHA)
    by_key = usm.UserKeys(usm.UsmUser("m", "SHA", ku.hex(), key_kind="master"))
    by_phrase = usm.UserKeys(usm.UsmUser("p", "SHA", "maplesyrup"))
    assert by_key.localized(RFC_ENGINE_ID)[0].mac(b"x") == by_phrase.localized(
        RFC_ENGINE_ID)[0].mac(b"x")
    expected = hmac.new(bytes.fromhex("6695febc9288e36282235fc7151f128497b38f3f"), b"x",
                        hashlib.sha1).digest()[:12]
    assert by_key.localized(RFC_ENGINE_ID)[0].mac(b"x") == expected


def test_localized_key_cache_is_bounded() -> None:
    user = usm.UserKeys(usm.UsmUser("c", "SHA", "maplesyrup", "AES", "maplesyrup"), cache_limit=8)
    first = user.localized(b"engine-0")
    for index in range(100):
        user.localized(b"engine-%d" % index)
    assert len(user._cache) <= 8
    assert user.localized(b"engine-99") is user.localized(b"engine-99")
    assert user.localized(b"engine-0")[0].mac(b"m") == first[0].mac(b"m")
