import pytest

from kantech_proto.errors import BadLengthError
from kantech_proto.frame_cipher import FrameCipher
from kantech_proto.wire_profile import WireProfile

# FIPS-197 appendix C.1: AES-128 known answer
FIPS_KEY = bytes(range(16))
FIPS_PLAIN = bytes.fromhex("00112233445566778899aabbccddeeff")
FIPS_CIPHER = bytes.fromhex("69c4e0d86a7b0430d8cdb78070b4c55a")


def test_ecb_matches_fips_197():
    cipher = FrameCipher(FIPS_KEY, WireProfile.from_names(aes_mode="ecb"))
    assert cipher.encrypt(FIPS_PLAIN) == FIPS_CIPHER
    assert cipher.decrypt(FIPS_CIPHER) == FIPS_PLAIN


def test_cbc_with_zero_iv_chains_blocks():
    cbc = FrameCipher(FIPS_KEY, WireProfile())
    ecb = FrameCipher(FIPS_KEY, WireProfile.from_names(aes_mode="ecb"))
    second = bytes(16)
    out = cbc.encrypt(FIPS_PLAIN + second)
    # first block: zero IV makes CBC equal ECB; second block is E(P2 xor C1)
    assert out[:16] == FIPS_CIPHER
    assert out[16:] == ecb.encrypt(bytes(a ^ b for a, b in zip(second, FIPS_CIPHER, strict=True)))
    assert cbc.decrypt(out) == FIPS_PLAIN + second


@pytest.mark.parametrize("size", [0, 15, 17])
def test_partial_blocks_are_rejected(size):
    with pytest.raises(BadLengthError):
        FrameCipher("k", WireProfile()).decrypt(bytes(size))
