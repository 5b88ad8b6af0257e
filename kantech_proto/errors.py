"""Every error kantech_proto raises, rooted in ``ProtolabError``.

Decode errors are precise so a user reading a capture learns *what* was wrong with a frame: each
subclass names one WIRE.md rule. Parsers raise only ``DecodeError`` subclasses on bad bytes;
anything else escaping a parser is a bug (the fuzz targets assert exactly that).
"""

from __future__ import annotations

from protolab.errors import ConfigurationError as ConfigurationError
from protolab.errors import ProtolabError

# A key, profile or option that cannot work (a 17-character AES key, a model name nobody knows)
# is protolab's one ``ConfigurationError``, so a program catches bad settings the same way
# whichever package found them; it is re-exported here because kantech_proto code raises it.


class KantechError(ProtolabError):
    """Base of kantech_proto's errors."""


class FieldValueError(KantechError):
    """A value that breaks one field's rule (a month of 13, ten digits in an eight-digit PIN).

    Field kinds and record checks raise it; the codecs turn it into ``EncodeError`` when encoding
    and ``BadFieldError`` when decoding, with the field's name in front.
    """


class LayoutError(KantechError):
    """A layout table that disagrees with WIRE.md (a record of the wrong size, an event type in
    no row of table 12): a bug in protolab, raised at import so that it can never ship."""


class EncodeError(KantechError):
    """A value that does not fit the wire format (a 300-byte serial payload, a 7-byte MAC)."""


class DecodeError(KantechError):
    """Bytes that are not a valid frame, message, record or command line."""

    #: short stable name of the rule broken, used in logs, counters and CLI output
    reason = "decode-error"
    #: the ``ip_frame.FrameHeader`` of an authentic frame (checksum and 0x3021 validation good)
    #: whose data could not be used; None when the frame itself is not to be trusted
    header: object | None = None


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


class UnexpectedCommandError(DecodeError):
    """A valid frame whose command has no business where it arrived (a STATUS_QUERY on the
    discovery port)."""

    reason = "unexpected-command"


class SiteMismatchError(DecodeError):
    """A frame for another EntraPass site id than the receiver's."""

    reason = "wrong-site"
