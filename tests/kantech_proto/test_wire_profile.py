import pytest

from kantech_proto.errors import ConfigurationError
from kantech_proto.wire_profile import (
    AesMode,
    ChecksumKind,
    WireProfile,
    crc16_ccitt_false,
    sum16,
)


def test_defaults_are_wire_md_defaults():
    profile = WireProfile()
    assert profile.checksum is ChecksumKind.CRC16_CCITT_FALSE
    assert profile.aes_mode is AesMode.CBC_ZERO_IV


def test_crc16_ccitt_false_check_value():
    # the catalogue check value of CRC-16/CCITT-FALSE over the ASCII digits 1..9
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_crc16_of_empty_input_is_the_init_value():
    assert crc16_ccitt_false(b"") == 0xFFFF


def test_sum16_wraps_modulo_65536():
    assert sum16(b"\x01\x02\x03") == 6
    assert sum16(b"\xff" * 300) == (255 * 300) % 65536


def test_profile_selects_checksum():
    assert WireProfile.from_names("sum16").checksum_of(b"\x10\x20") == 0x30


def test_key_is_right_padded_with_zero_bytes():
    assert WireProfile().key_bytes("abc") == b"abc" + bytes(13)
    assert WireProfile().key_bytes("0123456789abcdef") == b"0123456789abcdef"


@pytest.mark.parametrize("key", ["0123456789abcdefX", "clé", b"\xff"])
def test_bad_keys_are_configuration_errors(key):
    with pytest.raises(ConfigurationError):
        WireProfile().key_bytes(key)


def test_unknown_profile_names_are_rejected():
    with pytest.raises(ConfigurationError):
        WireProfile.from_names(checksum="crc32")
    with pytest.raises(ConfigurationError):
        WireProfile.from_names(aes_mode="gcm")
