"""AES-128 over the encrypted section, in the mode the wire profile names.

Kept apart from the frame layout so the Construct schemas stay free of crypto (which would force
Construct's slow, uncompiled path) and so a capture with another mode needs only a profile change.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from kantech_proto.errors import BadLengthError, EncodeError
from kantech_proto.wire_profile import AesMode, WireProfile

BLOCK = 16
_ZERO_IV = bytes(BLOCK)


class FrameCipher:
    """Encrypts and decrypts whole-block sections; the key is fixed at construction.

    CBC with a zero IV is computed on one long-lived AES-ECB context (CBC is ECB of each block
    XORed with the previous ciphertext block): a fleet encrypts 10,000 frames a second, and a
    new cipher context per frame cost more than the AES itself.
    """

    __slots__ = ("_cbc", "_decrypt", "_encrypt")

    def __init__(self, key: str | bytes, profile: WireProfile) -> None:
        cipher: Cipher[Any] = Cipher(algorithms.AES(profile.key_bytes(key)), modes.ECB())
        self._encrypt = cipher.encryptor()  # ECB keeps no state between whole blocks
        self._decrypt = cipher.decryptor()
        self._cbc = profile.aes_mode is AesMode.CBC_ZERO_IV

    def encrypt(self, plaintext: bytes) -> bytes:
        if len(plaintext) % BLOCK:
            raise EncodeError("plaintext must be padded to whole AES blocks before encryption")
        update = self._encrypt.update
        if not self._cbc:
            return update(plaintext)
        if len(plaintext) == BLOCK:  # zero IV: the first block is plain ECB
            return update(plaintext)
        out = bytearray()
        previous = 0
        for start in range(0, len(plaintext), BLOCK):
            block = int.from_bytes(plaintext[start:start + BLOCK], "big") ^ previous
            sealed = update(block.to_bytes(BLOCK, "big"))
            out += sealed
            previous = int.from_bytes(sealed, "big")
        return bytes(out)

    def decrypt(self, ciphertext: bytes) -> bytes:
        if not ciphertext or len(ciphertext) % BLOCK:
            raise BadLengthError(
                f"encrypted section of {len(ciphertext)} bytes is not a whole number of AES blocks"
            )
        opened = self._decrypt.update(ciphertext)
        if not self._cbc:
            return opened
        chained = int.from_bytes(_ZERO_IV + ciphertext[:-BLOCK], "big")
        return (int.from_bytes(opened, "big") ^ chained).to_bytes(len(ciphertext), "big")
