"""SNMPv3 User-based Security Model primitives (RFC 3414, RFC 3826, RFC 7860).

Keys: a passphrase becomes a master key Ku once per user (RFC 3414 A.2, a megabyte of hashing),
then Ku is localized to each agent's engine ID (one short hash) and cached with the HMAC pads and
cipher contexts already set up, because a fleet of printers has one engine ID per printer but the
same few users. Hashing and HMAC use hashlib (the pads are precomputed and copied per message,
cheaper than building an HMAC object each time); AES and DES come from ``cryptography``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ekm_proto.snmp import ber
from ekm_proto.snmp.ber import BerTrailingBytes, decode_int32, encode_integer, encode_tlv, expect
from ekm_proto.snmp.types import Oid
from protolab.errors import ConfigurationError

try:  # cryptography >= 43 keeps CFB and TripleDES in "decrepit"
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
    from cryptography.hazmat.decrepit.ciphers.modes import CFB
except ImportError:  # pragma: no cover - older cryptography
    from cryptography.hazmat.primitives.ciphers.algorithms import TripleDES
    from cryptography.hazmat.primitives.ciphers.modes import CFB

TIME_WINDOW = 150  # seconds, RFC 3414 section 2.2.3
_PADS = [bytes(n) for n in range(16)]
MAC_ZEROS = [bytes(n) for n in range(49)]  # MAC placeholders, up to HMAC-SHA-512's 48 octets
MAX_BOOTS = (1 << 31) - 1
PASSPHRASE_STRETCH = 1_048_576  # RFC 3414 A.2: hash one megabyte of the repeated passphrase
MIN_PASSPHRASE = 8  # RFC 3414 section 11.2 / net-snmp

# usmStats (RFC 3414 section 5), the report varbinds
USM_STATS = (1, 3, 6, 1, 6, 3, 15, 1, 1)
UNSUPPORTED_SEC_LEVELS: Oid = (*USM_STATS, 1, 0)
NOT_IN_TIME_WINDOWS: Oid = (*USM_STATS, 2, 0)
UNKNOWN_USER_NAMES: Oid = (*USM_STATS, 3, 0)
UNKNOWN_ENGINE_IDS: Oid = (*USM_STATS, 4, 0)
WRONG_DIGESTS: Oid = (*USM_STATS, 5, 0)
DECRYPTION_ERRORS: Oid = (*USM_STATS, 6, 0)


@dataclass(frozen=True, slots=True)
class AuthProtocol:
    """An HMAC authentication protocol: hash, MAC length on the wire, and its MIB identity."""

    name: str
    oid: Oid
    hash_name: str
    mac_length: int

    def new_hash(self, data: bytes = b"") -> Any:
        return hashlib.new(self.hash_name, data)

    @property
    def block_size(self) -> int:
        return int(hashlib.new(self.hash_name).block_size)


@dataclass(frozen=True, slots=True)
class PrivProtocol:
    """A privacy protocol and the key octets it takes from the localized key."""

    name: str
    oid: Oid
    key_length: int


HMAC_MD5 = AuthProtocol("MD5", (1, 3, 6, 1, 6, 3, 10, 1, 1, 2), "md5", 12)
HMAC_SHA = AuthProtocol("SHA", (1, 3, 6, 1, 6, 3, 10, 1, 1, 3), "sha1", 12)
HMAC_SHA224 = AuthProtocol("SHA-224", (1, 3, 6, 1, 6, 3, 10, 1, 1, 4), "sha224", 16)
HMAC_SHA256 = AuthProtocol("SHA-256", (1, 3, 6, 1, 6, 3, 10, 1, 1, 5), "sha256", 24)
HMAC_SHA384 = AuthProtocol("SHA-384", (1, 3, 6, 1, 6, 3, 10, 1, 1, 6), "sha384", 32)
HMAC_SHA512 = AuthProtocol("SHA-512", (1, 3, 6, 1, 6, 3, 10, 1, 1, 7), "sha512", 48)
DES = PrivProtocol("DES", (1, 3, 6, 1, 6, 3, 10, 1, 2, 2), 16)  # 8 key octets + 8 pre-IV octets
AES128 = PrivProtocol("AES", (1, 3, 6, 1, 6, 3, 10, 1, 2, 4), 16)

AUTH_PROTOCOLS = {p.name: p for p in (HMAC_MD5, HMAC_SHA, HMAC_SHA224, HMAC_SHA256, HMAC_SHA384,
                                      HMAC_SHA512)}
PRIV_PROTOCOLS = {p.name: p for p in (DES, AES128)}
_AUTH_ALIASES = {"SHA1": "SHA", "SHA-1": "SHA", "SHA224": "SHA-224", "SHA256": "SHA-256",
                 "SHA384": "SHA-384", "SHA512": "SHA-512"}
_PRIV_ALIASES = {"AES128": "AES", "AES-128": "AES"}


def auth_protocol(name: str) -> AuthProtocol:
    """Look up an auth protocol by its net-snmp name (MD5, SHA, SHA-224 ... SHA-512)."""
    key = name.upper()
    try:
        return AUTH_PROTOCOLS[_AUTH_ALIASES.get(key, key)]
    except KeyError:
        raise ConfigurationError(f"unknown auth protocol {name!r}; "
                                 f"use one of {', '.join(AUTH_PROTOCOLS)}") from None


def priv_protocol(name: str) -> PrivProtocol:
    """Look up a privacy protocol by its net-snmp name (DES, AES)."""
    key = name.upper()
    try:
        return PRIV_PROTOCOLS[_PRIV_ALIASES.get(key, key)]
    except KeyError:
        raise ConfigurationError(f"unknown privacy protocol {name!r}; "
                                 f"use one of {', '.join(PRIV_PROTOCOLS)}") from None


def password_to_key(passphrase: bytes, auth: AuthProtocol) -> bytes:
    """RFC 3414 A.2 master key Ku: the hash of one megabyte of the repeated passphrase."""
    if not passphrase:
        raise ConfigurationError("an empty passphrase cannot make a key")
    repeated = passphrase * (PASSPHRASE_STRETCH // len(passphrase) + 1)
    return bytes(auth.new_hash(repeated[:PASSPHRASE_STRETCH]).digest())


def localize_key(master_key: bytes, engine_id: bytes, auth: AuthProtocol) -> bytes:
    """RFC 3414 A.2 localized key Kul = H(Ku || engineID || Ku)."""
    return bytes(auth.new_hash(master_key + engine_id + master_key).digest())


class HmacKey:
    """HMAC with the inner and outer pads hashed once, copied per message (RFC 2104)."""

    __slots__ = ("_inner", "_outer", "mac_length")

    def __init__(self, key: bytes, auth: AuthProtocol) -> None:
        block = auth.block_size
        if len(key) > block:
            key = bytes(auth.new_hash(key).digest())
        key = key.ljust(block, b"\0")
        self._inner = auth.new_hash(bytes(b ^ 0x36 for b in key))
        self._outer = auth.new_hash(bytes(b ^ 0x5C for b in key))
        self.mac_length = auth.mac_length

    def mac(self, message: bytes | bytearray | memoryview) -> bytes:
        """The truncated HMAC of ``message`` (whose MAC field must already hold zeros)."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return bytes(outer.digest()[:self.mac_length])

    def mac_of(self, *parts: bytes) -> bytes:
        """The MAC of the concatenation of ``parts``, without concatenating them."""
        inner = self._inner.copy()
        for part in parts:
            inner.update(part)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return bytes(outer.digest()[:self.mac_length])

    def mac_around(self, message: bytes, at: int) -> bytes:
        """The MAC of ``message`` as if its ``mac_length`` octets at ``at`` were zeros (RFC 3414
        6.3.1/6.3.2 zero the field before hashing). Slices of a datagram this small cost less
        than memoryviews of it."""
        inner = self._inner.copy()
        inner.update(message[:at])
        inner.update(MAC_ZEROS[self.mac_length])
        inner.update(message[at + self.mac_length:])
        outer = self._outer.copy()
        outer.update(inner.digest())
        return bytes(outer.digest()[:self.mac_length])


class PrivCipher:
    """One localized privacy key: decrypt and encrypt scopedPDUs (RFC 3826 AES-CFB128, RFC 3414
    section 8 DES-CBC). AES keeps one CFB context each way for all messages, because making a
    context costs more than a short message; the per-message IV is set on it (see ``_cfb``).
    Not for use by two threads at once (the asyncio engines are single-threaded)."""

    __slots__ = ("_aes", "_cfb_context", "_cfb_decryptor", "_ecb", "_key", "_pre_iv", "_register",
                 "protocol")

    def __init__(self, localized_key: bytes, protocol: PrivProtocol) -> None:
        self.protocol = protocol
        self._ecb: Any
        self._aes: Any
        self._cfb_context: Any = None  # both made on first use
        self._cfb_decryptor: Any = None
        self._register = bytes(16)
        if protocol is AES128:
            self._key = localized_key[:16]
            self._pre_iv = b""
            self._aes = algorithms.AES(self._key)
            # the CFB encryption sets its context's register with one ECB block
            self._ecb = Cipher(algorithms.AES(self._key), modes.ECB()).encryptor()
        else:
            self._key = localized_key[:8] * 3  # single DES as EDE with three equal keys
            self._pre_iv = localized_key[8:16]
            self._ecb = None
            self._aes = None

    def decrypt(self, ciphertext: bytes, priv_parameters: bytes, boots: int, time: int
                ) -> bytes | None:
        """The plaintext, or None when RFC 3414/3826 call it a decryption error."""
        if len(priv_parameters) != 8:
            return None
        size = len(ciphertext)
        if self._ecb is not None:
            if not size:
                return b""
            # one long-lived CFB decryptor: its register is the last ciphertext block it took,
            # so the IV given as a block of ciphertext sets it (that block's output is dropped);
            # zeros complete the last block (CFB decrypts octet by octet: they change nothing)
            if self._cfb_decryptor is None:
                self._cfb_decryptor = Cipher(self._aes, CFB(bytes(16))).decryptor()
            return bytes(self._cfb_decryptor.update(
                b"".join((boots.to_bytes(4, "big"), time.to_bytes(4, "big"), priv_parameters,
                          ciphertext, _PADS[-size % 16])))[16:16 + size])
        if size % 8:
            return None
        iv = bytes(a ^ b for a, b in zip(priv_parameters, self._pre_iv, strict=True))
        decryptor = Cipher(TripleDES(self._key), modes.CBC(iv)).decryptor()
        return bytes(decryptor.update(ciphertext) + decryptor.finalize())

    def _cfb(self, plaintext: bytes, iv: bytes) -> bytes:
        """CFB128 encryption on one long-lived CFB context (a new context per message costs more
        than the message): its feedback register is the last ciphertext block it produced, so a
        block that must encrypt to ``iv`` (the register's encryption, from the ECB context,
        XOR ``iv``) sets it, and the message padded to whole blocks leaves it known again."""
        register = self._register
        if self._cfb_context is None:
            self._cfb_context = Cipher(self._aes, CFB(register)).encryptor()
        size = len(plaintext)
        out = self._cfb_context.update(b"".join((
            (int.from_bytes(iv, "big") ^ int.from_bytes(self._ecb.update(register), "big"))
            .to_bytes(16, "big"), plaintext, _PADS[-size % 16])))
        self._register = out[-16:]
        return bytes(out[16:16 + size])

    def encrypt(self, plaintext: bytes, salt: int, boots: int, time: int) -> tuple[bytes, bytes]:
        """``(ciphertext, msgPrivacyParameters)`` using the 64-bit ``salt``."""
        if self._ecb is not None:
            salt_octets = (salt & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big")
            if not plaintext:
                return b"", salt_octets
            iv = boots.to_bytes(4, "big") + time.to_bytes(4, "big") + salt_octets
            return self._cfb(plaintext, iv), salt_octets
        salt_octets = boots.to_bytes(4, "big") + (salt & 0xFFFFFFFF).to_bytes(4, "big")
        iv = bytes(a ^ b for a, b in zip(salt_octets, self._pre_iv, strict=True))
        padded = plaintext + bytes(8 - len(plaintext) % 8)
        encryptor = Cipher(TripleDES(self._key), modes.CBC(iv)).encryptor()
        return bytes(encryptor.update(padded) + encryptor.finalize()), salt_octets


def _key_octets(value: str | bytes, what: str, kind: str) -> bytes:
    if kind == "passphrase":
        octets = value.encode() if isinstance(value, str) else bytes(value)
        if len(octets) < MIN_PASSPHRASE:
            raise ConfigurationError(f"{what} passphrase must have at least {MIN_PASSPHRASE} "
                                     "characters (RFC 3414)")
        return octets
    if isinstance(value, str):
        try:
            return bytes.fromhex(value.removeprefix("0x"))
        except ValueError:
            raise ConfigurationError(f"{what} master key must be hex") from None
    return bytes(value)


@dataclass(frozen=True)
class UsmUser:
    """One SNMPv3 user. Keys are passphrases (net-snmp's -A/-X) unless ``key_kind`` is "master",
    in which case they are master keys Ku (bytes, or hex text), as net-snmp's ``createUser -m``.
    The security level the user holds is the minimum it must use (like ``rouser NAME priv``)."""

    name: str
    auth: AuthProtocol | str | None = None
    auth_key: str | bytes | None = None
    priv: PrivProtocol | str | None = None
    priv_key: str | bytes | None = None
    key_kind: str = "passphrase"


class UserKeys:
    """A configured user with its master keys; localizes and caches per engine ID."""

    __slots__ = ("_auth_ku", "_cache", "_cache_limit", "_priv_ku", "auth", "level", "name",
                 "priv")

    def __init__(self, user: UsmUser, cache_limit: int = 4096) -> None:
        if user.key_kind not in ("passphrase", "master"):
            raise ConfigurationError(f"key_kind must be passphrase or master, not {user.key_kind}")
        self.name = user.name.encode()
        if not 1 <= len(self.name) <= 32:
            raise ConfigurationError(f"user name {user.name!r} must have 1 to 32 octets")
        auth = auth_protocol(user.auth) if isinstance(user.auth, str) else user.auth
        priv = priv_protocol(user.priv) if isinstance(user.priv, str) else user.priv
        if priv is not None and auth is None:
            raise ConfigurationError(f"user {user.name}: privacy needs authentication")
        if (auth is None) != (user.auth_key is None) or (priv is None) != (user.priv_key is None):
            raise ConfigurationError(f"user {user.name}: give a key exactly for each protocol")
        self.auth = auth
        self.priv = priv
        self.level = 0 if auth is None else (1 if priv is None else 3)  # msgFlags auth|priv bits
        self._auth_ku = self._priv_ku = b""
        if auth is not None and user.auth_key is not None:
            self._auth_ku = self._master(user.auth_key, "auth", user.key_kind, auth)
        if auth is not None and priv is not None and user.priv_key is not None:
            self._priv_ku = self._master(user.priv_key, "priv", user.key_kind, auth)
        self._cache: dict[bytes, tuple[HmacKey, PrivCipher | None]] = {}
        self._cache_limit = cache_limit

    @staticmethod
    def _master(value: str | bytes, what: str, kind: str, auth: AuthProtocol) -> bytes:
        octets = _key_octets(value, what, kind)
        return password_to_key(octets, auth) if kind == "passphrase" else octets

    def localized(self, engine_id: bytes) -> tuple[HmacKey, PrivCipher | None]:
        """The HMAC key and privacy cipher for one agent's engine ID (authenticated users only)."""
        found = self._cache.get(engine_id)
        if found is not None:
            return found
        assert self.auth is not None
        hmac_key = HmacKey(localize_key(self._auth_ku, engine_id, self.auth), self.auth)
        cipher = None
        if self.priv is not None:
            cipher = PrivCipher(localize_key(self._priv_ku, engine_id, self.auth), self.priv)
        if len(self._cache) >= self._cache_limit:
            self._cache.pop(next(iter(self._cache)))  # bounded: oldest engine out
        self._cache[engine_id] = found = (hmac_key, cipher)
        return found


class UsmParameters(NamedTuple):
    """UsmSecurityParameters (RFC 3414 section 2.4) plus where the MAC sits in the datagram."""

    engine_id: bytes
    boots: int
    time: int
    user_name: bytes
    auth_parameters: bytes
    priv_parameters: bytes
    auth_start: int  # absolute offset of msgAuthenticationParameters' content


def decode_usm_parameters(buf: bytes, start: int, stop: int) -> UsmParameters:
    """The USM SEQUENCE inside msgSecurityParameters (``start:stop`` of the whole datagram)."""
    s_start, s_stop = expect(buf, start, stop, ber.SEQUENCE)
    if s_stop != stop:
        raise BerTrailingBytes(f"msgSecurityParameters has trailing bytes at offset {s_stop}")
    e_start, e_stop = expect(buf, s_start, s_stop, ber.OCTET_STRING)
    boots, cur = decode_int32(buf, e_stop, s_stop)
    time, cur = decode_int32(buf, cur, s_stop)
    u_start, u_stop = expect(buf, cur, s_stop, ber.OCTET_STRING)
    a_start, a_stop = expect(buf, u_stop, s_stop, ber.OCTET_STRING)
    p_start, p_stop = expect(buf, a_stop, s_stop, ber.OCTET_STRING)
    if p_stop != s_stop:
        raise BerTrailingBytes(f"UsmSecurityParameters has trailing bytes at offset {p_stop}")
    if boots < 0 or time < 0 or e_stop - e_start > 32 or u_stop - u_start > 32:
        raise ber.BerBadValue("UsmSecurityParameters out of range")
    return UsmParameters(bytes(buf[e_start:e_stop]), boots, time, bytes(buf[u_start:u_stop]),
                         bytes(buf[a_start:a_stop]), bytes(buf[p_start:p_stop]), a_start)


def encode_usm_parameters(engine_id: bytes, boots: int, time: int, user_name: bytes,
                          mac_length: int, priv_parameters: bytes) -> tuple[bytes, int]:
    """``(octets, mac_offset)``: the encoded SEQUENCE with ``mac_length`` zero octets as the MAC
    placeholder, and where those zeros start inside it."""
    head = (encode_tlv(ber.OCTET_STRING, engine_id) + encode_integer(boots)
            + encode_integer(time) + encode_tlv(ber.OCTET_STRING, user_name)
            + bytes((ber.OCTET_STRING, mac_length)))
    body = head + bytes(mac_length) + encode_tlv(ber.OCTET_STRING, priv_parameters)
    outer = ber.header(ber.SEQUENCE, len(body))
    return outer + body, len(outer) + len(head)


def in_time_window(local_boots: int, local_time: int, boots: int, time: int) -> bool:
    """RFC 3414 section 3.2 step 7a, as the authoritative (agent) side checks it."""
    return (local_boots != MAX_BOOTS and boots == local_boots
            and abs(time - local_time) <= TIME_WINDOW)


def new_salt_source() -> Callable[[], int]:
    """A 64-bit counter starting at a random point (RFC 3826 section 3.1.2.1): IVs never repeat
    for one key within a process."""
    state = [int.from_bytes(os.urandom(8), "big")]

    def next_salt() -> int:
        state[0] = (state[0] + 1) & 0xFFFFFFFFFFFFFFFF
        return state[0]

    return next_salt
