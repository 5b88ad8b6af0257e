"""Field kinds of the reload records: how a raw parsed value becomes a typed Python value.

A record's Construct layout holds only fixed-width integers and byte strings; the kinds give them
meaning (enums, flags, ASCII text, BCD digits, dates, slot tables, member sets). Each kind refuses
the raw values its own encoder never produces (unknown flag bits, text after the zero padding, a
digit after the BCD filler, ...), which is what keeps one encoding per record.
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any, ClassVar, Protocol

import construct as c

from kantech_proto.errors import FieldValueError, LayoutError


class WireModel(Protocol):
    """What ``Nested`` needs of a small dataclass laid out by its own ``STRUCT``
    (``records_base.WireModel`` is the implementation)."""

    STRUCT: ClassVar[c.Struct]
    KINDS: ClassVar[dict[str, Any]]

    @classmethod
    def field_names(cls) -> tuple[str, ...]: ...

    def to_raw(self) -> dict[str, Any]: ...

    @classmethod
    def from_raw(cls, raw: Any) -> Any: ...

#: year - 2000, month, day; three zero bytes mean "no date" (no start, no end)
Date3 = c.Struct(
    "year_since_2000" / c.Int8ub * "year - 2000 (0..255)",
    "month" / c.Int8ub * "1..12",
    "day" / c.Int8ub * "1..31, a day that exists in that month",
)

#: a time of day
HhMm = c.Struct(
    "hour" / c.Int8ub * "0..23 (24 only in 24:00, the end of a day)",
    "minute" / c.Int8ub * "0..59",
)


def is_zero(raw: Any) -> bool:
    """Whether a parsed value is all zero bytes: the marker of an unused slot."""
    if isinstance(raw, int):
        return raw == 0
    if isinstance(raw, bytes | bytearray):
        return not any(raw)
    if isinstance(raw, dict):
        return all(is_zero(v) for k, v in raw.items() if not k.startswith("_"))
    return all(is_zero(v) for v in raw)


def encode_bcd(digits: str, size: int) -> bytes:
    """Packed BCD, digits first and 0xF filler after: ``"1234"`` in 3 bytes is ``12 34 FF``."""
    if digits and not (digits.isascii() and digits.isdigit()):
        raise FieldValueError(f"BCD takes decimal digits only, got {digits!r}")
    if len(digits) > 2 * size:
        raise FieldValueError(f"{len(digits)} digits do not fit {size} BCD bytes")
    nibbles = digits + "f" * (2 * size - len(digits))
    return bytes.fromhex(nibbles)


def decode_bcd(raw: bytes) -> str:
    """The digits of a packed BCD field; a digit after the filler or a nibble A..E is refused."""
    text = raw.hex()
    digits = text.rstrip("f")
    if digits and not digits.isdigit():
        raise FieldValueError(f"BCD field {text} has a non-digit nibble before its 0xF filler")
    return digits


class Kind:
    """Converts one field between its Python value and what the Construct schema builds/parses.

    ``to_wire`` raises FieldValueError for a value that cannot be encoded (the record turns that
    into EncodeError); ``from_wire`` raises it for raw bytes no encoder would produce (turned into
    BadFieldError).
    """

    def to_wire(self, value: Any) -> Any:
        return value

    def from_wire(self, raw: Any) -> Any:
        return raw

    def normalize(self, value: Any) -> Any:
        """The canonical form stored at construction, so equal records compare equal."""
        return value

    def zero_raw(self) -> Any:
        return 0


class Number(Kind):
    """An integer; bounds beyond the field width, which Construct enforces, are given here."""

    def __init__(self, lo: int = 0, hi: int | None = None) -> None:
        self.lo, self.hi = lo, hi

    def to_wire(self, value: Any) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            raise FieldValueError(f"expected an integer, got {value!r}")
        return self._in_range(value)

    def from_wire(self, raw: Any) -> Any:
        return self._in_range(raw)

    def _in_range(self, value: int) -> int:
        if value < self.lo or (self.hi is not None and value > self.hi):
            raise FieldValueError(f"{value} is outside {self.lo}..{'' if self.hi is None else self.hi}")
        return value


class Unlimited(Number):
    """An integer where the all-ones value ``none`` stands for ``None`` (no limit, every year)."""

    def __init__(self, none: int, offset: int = 0) -> None:
        super().__init__(offset, none + offset - 1)
        self.none, self.offset = none, offset

    def to_wire(self, value: Any) -> Any:
        return self.none if value is None else super().to_wire(value) - self.offset

    def from_wire(self, raw: Any) -> Any:
        return None if raw == self.none else self._in_range(raw + self.offset)


NUMBER = Number(-(1 << 32))
INDEX = Number(0, 255)  # component index or id; 0 means "none"


class Choice(Kind):
    """An IntEnum stored as its value."""

    def __init__(self, enum_type: type[enum.IntEnum]) -> None:
        self.enum_type = enum_type

    def to_wire(self, value: Any) -> Any:
        return int(self.enum_type(value))

    def from_wire(self, raw: Any) -> Any:
        return self.enum_type(raw)


class Flags(Kind):
    """An IntFlag; bits the flag type does not define must be zero."""

    def __init__(self, flag_type: type[enum.IntFlag]) -> None:
        self.flag_type = flag_type
        self.mask = 0
        for member in flag_type:
            self.mask |= int(member)

    def to_wire(self, value: Any) -> Any:
        return int(self.from_wire(int(value)))

    def from_wire(self, raw: Any) -> Any:
        if raw & ~self.mask:
            raise FieldValueError(f"undefined {self.flag_type.__name__} bits 0x{raw & ~self.mask:x}")
        return self.flag_type(raw)


class Text(Kind):
    """ASCII text, zero-padded to ``size`` bytes (no terminator needed when it fills the field)."""

    def __init__(self, size: int, alphabet: str | None = None) -> None:
        self.size = size
        self.allowed = frozenset((alphabet or "".join(map(chr, range(0x20, 0x7F)))).encode())

    def to_wire(self, value: Any) -> Any:
        if not isinstance(value, str):
            raise FieldValueError(f"expected text, got {value!r}")
        raw = value.encode("ascii", "replace")
        if not value.isascii() or len(raw) > self.size or not self.allowed.issuperset(raw):
            raise FieldValueError(f"{value!r} is not up to {self.size} allowed ASCII characters")
        return raw.ljust(self.size, b"\x00")

    def from_wire(self, raw: Any) -> Any:
        text = bytes(raw).rstrip(b"\x00")
        if not self.allowed.issuperset(text):
            raise FieldValueError(f"text field {bytes(raw)!r} has a character outside its alphabet")
        return text.decode("ascii")

    def zero_raw(self) -> Any:
        return bytes(self.size)


class Blob(Kind):
    """Opaque bytes of exactly ``size`` (a key, for example)."""

    def __init__(self, size: int) -> None:
        self.size = size

    def to_wire(self, value: Any) -> Any:
        if not isinstance(value, bytes) or len(value) != self.size:
            raise FieldValueError(f"expected {self.size} bytes, got {value!r}")
        return value

    def from_wire(self, raw: Any) -> Any:
        return bytes(raw)

    def zero_raw(self) -> Any:
        return bytes(self.size)


DIGITS = "0123456789"


class Bcd(Kind):
    """Decimal digits as packed BCD with 0xF filler; ``""`` (all 0xFF) means none (no PIN)."""

    def __init__(self, size: int) -> None:
        self.size = size

    def to_wire(self, value: Any) -> Any:
        if not isinstance(value, str):
            raise FieldValueError(f"expected a string of digits, got {value!r}")
        return encode_bcd(value, self.size)

    def from_wire(self, raw: Any) -> Any:
        return decode_bcd(bytes(raw))

    def zero_raw(self) -> Any:
        return b"\xff" * self.size


class Date(Kind):
    """A ``datetime.date`` in a ``Date3``; ``None`` (three zero bytes) means no date."""

    def to_wire(self, value: Any) -> Any:
        if value is None:
            return self.zero_raw()
        if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
            raise FieldValueError(f"expected a date or None, got {value!r}")
        if not 2000 <= value.year <= 2255:
            raise FieldValueError(f"{value} is outside 2000..2255")
        return {"year_since_2000": value.year - 2000, "month": value.month, "day": value.day}

    def from_wire(self, raw: Any) -> Any:
        if is_zero(raw):
            return None
        return _dt.date(2000 + raw.year_since_2000, raw.month, raw.day)

    def zero_raw(self) -> Any:
        return {"year_since_2000": 0, "month": 0, "day": 0}


class Clock(Kind):
    """Minutes since midnight in an ``HhMm``; ``latest=1440`` also allows 24:00 (end of day)."""

    def __init__(self, latest: int = 1439) -> None:
        self.range = Number(0, latest)

    def to_wire(self, value: Any) -> Any:
        minutes = self.range.to_wire(value)
        return {"hour": minutes // 60, "minute": minutes % 60}

    def from_wire(self, raw: Any) -> Any:
        if raw.minute > 59:
            raise FieldValueError(f"minute {raw.minute} of {raw.hour}:{raw.minute} is over 59")
        return self.range.from_wire(raw.hour * 60 + raw.minute)

    def zero_raw(self) -> Any:
        return {"hour": 0, "minute": 0}


class Nested(Kind):
    """A small dataclass (a ``WireModel``) laid out by its own ``STRUCT``."""

    def __init__(self, model: type[WireModel]) -> None:
        if sorted(sc.name for sc in model.STRUCT.subcons) != sorted(model.field_names()):
            raise LayoutError(f"{model.__name__}: layout and dataclass fields differ")
        self.model = model

    def to_wire(self, value: Any) -> Any:
        if not isinstance(value, self.model):
            raise FieldValueError(f"expected {self.model.__name__}, got {value!r}")
        return value.to_raw()

    def from_wire(self, raw: Any) -> Any:
        return self.model.from_raw(raw)

    def zero_raw(self) -> Any:
        return self.model.STRUCT.parse(bytes(self.model.STRUCT.sizeof()))


class Maybe(Kind):
    """``None`` or a value of ``kind`` that is never all zero bytes (zero bytes mean ``None``)."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    def to_wire(self, value: Any) -> Any:
        if value is None:
            return self.kind.zero_raw()
        raw = self.kind.to_wire(value)
        if is_zero(raw):
            raise FieldValueError(f"{value!r} would encode as zero bytes, which mean None")
        return raw

    def from_wire(self, raw: Any) -> Any:
        return None if is_zero(raw) else self.kind.from_wire(raw)


class Table(Kind):
    """Numbered slots (slot 1 first). Trailing unused slots (all zero bytes) are not stored."""

    def __init__(self, item: Kind, capacity: int) -> None:
        self.item, self.capacity = item, capacity
        self._empty: Any = None

    @property
    def empty(self) -> Any:
        if self._empty is None:
            self._empty = self.item.from_wire(self.item.zero_raw())
        return self._empty

    def normalize(self, value: Any) -> Any:
        items = list(value)
        while items and items[-1] == self.empty:
            items.pop()
        return tuple(items)

    def to_wire(self, value: Any) -> Any:
        if len(value) > self.capacity:
            raise FieldValueError(f"{len(value)} entries, at most {self.capacity} fit")
        return [self.item.to_wire(v) for v in value] + \
            [self.item.zero_raw()] * (self.capacity - len(value))

    def from_wire(self, raw: Any) -> Any:
        return self.normalize(self.item.from_wire(r) for r in raw)


class Packed(Table):
    """A list of entries packed from the first slot; every slot after the last entry is zero."""

    def normalize(self, value: Any) -> Any:
        return tuple(value)

    def to_wire(self, value: Any) -> Any:
        raws = super().to_wire(value)
        if any(is_zero(r) for r in raws[: len(value)]):
            raise FieldValueError("an entry that encodes as zero bytes would read back as no entry")
        return raws

    def from_wire(self, raw: Any) -> Any:
        used = next((i for i, r in enumerate(raw) if is_zero(r)), len(raw))
        if not all(is_zero(r) for r in raw[used:]):
            raise FieldValueError(f"an entry follows the unused slot {used + 1}")
        return tuple(self.item.from_wire(r) for r in raw[:used])


class MemberSet(Kind):
    """A set of numbers 1..bits as a bit mask: member n is bit n-1 (bytes: little-endian order)."""

    def __init__(self, bits: int, *, as_bytes: bool = False) -> None:
        self.bits, self.as_bytes = bits, as_bytes

    def normalize(self, value: Any) -> Any:
        return frozenset(value)

    def to_wire(self, value: Any) -> Any:
        mask = 0
        for member in value:
            if not isinstance(member, int) or not 1 <= member <= self.bits:
                raise FieldValueError(f"member {member!r} is outside 1..{self.bits}")
            mask |= 1 << (member - 1)
        return mask.to_bytes(self.bits // 8, "little") if self.as_bytes else mask

    def from_wire(self, raw: Any) -> Any:
        mask = int.from_bytes(raw, "little") if self.as_bytes else raw
        return frozenset(n + 1 for n in range(self.bits) if mask >> n & 1)
