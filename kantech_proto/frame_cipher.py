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
    """Encrypts and decrypts whole-block sections; the key is fixed at construction."""

    __slots__ = ("_cipher",)

    def __init__(self, key: str | bytes, profile: WireProfile) -> None:
        mode: Any = modes.CBC(_ZERO_IV) if profile.aes_mode is AesMode.CBC_ZERO_IV else modes.ECB()
        self._cipher: Cipher[Any] = Cipher(algorithms.AES(profile.key_bytes(key)), mode)

    def encrypt(self, plaintext: bytes) -> bytes:
        if len(plaintext) % BLOCK:
            raise EncodeError("plaintext must be padded to whole AES blocks before encryption")
        encryptor = self._cipher.encryptor()
        return encryptor.update(plaintext) + encryptor.finalize()

    def decrypt(self, ciphertext: bytes) -> bytes:
        if not ciphertext or len(ciphertext) % BLOCK:
            raise BadLengthError(
                f"encrypted section of {len(ciphertext)} bytes is not a whole number of AES blocks"
            )
        decryptor = self._cipher.decryptor()
        return decryptor.update(ciphertext) + decryptor.finalize()
