"""Every error kantech_proto raises, rooted in ``ProtolabError``.

Decode errors are precise so a user reading a capture learns *what* was wrong with a frame: each
subclass names one WIRE.md rule. Parsers raise only ``DecodeError`` subclasses on bad bytes;
anything else escaping a parser is a bug (the fuzz targets assert exactly that).
"""

from __future__ import annotations

from protolab.errors import ProtolabError


class KantechError(ProtolabError):
    """Base of kantech_proto's errors."""


class ConfigurationError(KantechError):
    """A key, profile or option that cannot work (e.g. a 17-character AES key)."""


class EncodeError(KantechError):
    """A value that does not fit the wire format (a 300-byte serial payload, a 7-byte MAC)."""


class DecodeError(KantechError):
    """Bytes that are not a valid frame, message, record or command line."""

    #: short stable name of the rule broken, used in logs, counters and CLI output
    reason = "decode-error"


class TruncatedError(DecodeError):
    """Fewer bytes than the structure needs."""

    reason = "truncated"


class BadSyncError(DecodeError):
    """An IP frame that does not start with 0x99."""

    reason = "bad-sync"


class BadLengthError(DecodeError):
    """A length field that disagrees with the bytes present or with the 16-byte cipher blocks."""

    reason = "bad-length"


class FrameTooLongError(DecodeError):
    """A frame longer than WIRE.md allows (4096 bytes on IP)."""

    reason = "too-long"


class ChecksumMismatchError(DecodeError):
    """The frame's checksum does not match its bytes."""

    reason = "checksum-mismatch"


class WrongKeyError(DecodeError):
    """The section decrypted to something without the 0x3021 validation: another key made it."""

    reason = "wrong-key"


class NonZeroPaddingError(DecodeError):
    """A padding byte after the data was not 0x00."""

    reason = "non-zero-padding"


class UnknownCommandError(DecodeError):
    """A command code WIRE.md section 3 does not define."""

    reason = "unknown-command"


class BadDataSizeError(DecodeError):
    """Data of the wrong size for its command, record type or event type."""

    reason = "bad-data-size"


class BadFieldError(DecodeError):
    """A field whose value is outside what WIRE.md allows (month 13, record type 99, ...)."""

    reason = "bad-field"


class SiteMismatchError(DecodeError):
    """A frame for another EntraPass site id than the receiver's."""

    reason = "wrong-site"
