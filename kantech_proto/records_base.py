"""The base of the reload records (WIRE.md section 4): sizes, the record class, registration.

A record's byte layout is a plain Construct ``Struct`` of fixed-width integers and byte strings, so
it reads like WIRE.md's tables and compiles to a fast parser; what the integers *mean* is the job
of one ``Kind`` (``record_kinds``) per non-integer field. Because every kind refuses the raw values
its encoder never produces, a record that decodes re-encodes to the very same bytes: one encoding
per record, which the fuzz targets check.

What a controller *does* with a record is plain data on its class, for the protocol reference:
``BEHAVIOUR`` (a paragraph about the whole record) and ``FIELD_BEHAVIOUR`` (field name -> what the
controller does with that field). Both are checked at registration: every ``FIELD_BEHAVIOUR`` key
names a field of the record.
"""

from __future__ import annotations

import datetime as _dt
import enum
import struct
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any, ClassVar, Self, TypeVar

import construct as c

from kantech_proto.codes import RecordType
from kantech_proto.errors import (
    BadDataSizeError,
    BadFieldError,
    DecodeError,
    EncodeError,
    FieldValueError,
    LayoutError,
)
from kantech_proto.record_kinds import NUMBER, Kind

#: WIRE.md section 4 (paper, table 7). Each layout is checked against this table at import.
RECORD_SIZES: dict[RecordType, int] = {
    RecordType.GLOBAL_SYSTEM: 83, RecordType.CONTROLLER: 40, RecordType.READER_DRIVER: 253,
    RecordType.FLOOR_ASSIGNATION: 512, RecordType.SERIAL_NUMBER: 115, RecordType.DSC_MODULE: 204,
    RecordType.SPI_MODULE: 90, RecordType.FLOOR_DEFINITION: 64, RecordType.DOOR: 27,
    RecordType.RELAY: 6, RecordType.INPUT: 14, RecordType.OUTPUT: 15, RecordType.CARD_KT400: 78,
    RecordType.CARD_KT100: 17, RecordType.SCHEDULE_KT400: 41, RecordType.SCHEDULE_KT100: 21,
    RecordType.ACCESS_LEVEL: 249, RecordType.FLOOR_GROUP: 249, RecordType.FLOOR_GROUP_MASK: 33,
    RecordType.HOLIDAYS: 200, RecordType.RELAY_GROUP: 3, RecordType.INPUT_GROUP: 3,
    RecordType.ACTION_SCHEDULER: 22, RecordType.DATE_TIME: 7,
}

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


class WireModel:
    """A frozen dataclass whose fields are the fields of its ``STRUCT``, converted by ``KINDS``."""

    __slots__ = ()
    STRUCT: ClassVar[c.Struct]
    KINDS: ClassVar[dict[str, Kind]] = {}

    def __post_init__(self) -> None:
        for name, kind in self.KINDS.items():
            value = getattr(self, name)
            canonical = kind.normalize(value)
            if canonical is not value:
                object.__setattr__(self, name, canonical)

    def check(self) -> None:
        """Rules between fields; raises FieldValueError. Runs on encode and on decode."""

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        names = _FIELD_NAMES.get(cls)
        if names is None:
            names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        return names

    def to_raw(self) -> dict[str, Any]:
        self.check()
        raw = {}
        for name in self.field_names():
            try:
                raw[name] = self.KINDS.get(name, NUMBER).to_wire(getattr(self, name))
            except (FieldValueError, ValueError, TypeError) as exc:  # enums raise ValueError
                raise FieldValueError(f"{name}: {exc}") from None
        return raw

    @classmethod
    def from_raw(cls, raw: Any) -> Self:
        values = {}
        for name in cls.field_names():
            try:
                values[name] = cls.KINDS.get(name, NUMBER).from_wire(raw[name])
            except (FieldValueError, ValueError) as exc:
                raise FieldValueError(f"{name}: {exc}") from None
        value = cls(**values)
        value.check()
        return value

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly fields, for the CLI and structured logs."""
        return {name: jsonable(getattr(self, name)) for name in self.field_names()}


def jsonable(value: Any) -> Any:
    if isinstance(value, enum.IntFlag):
        return [m.name for m in type(value) if m in value]
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, WireModel) or hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


class ReloadRecord(WireModel):
    """One record of a RELOAD_RECORDS packet: exactly ``SIZE`` bytes, laid out by ``STRUCT``."""

    __slots__ = ()
    TYPE: ClassVar[RecordType]
    SIZE: ClassVar[int]
    COMPILED: ClassVar[Any]
    RESERVED: ClassVar[int] = 0
    #: what the controller does with the whole record (the protocol reference prints it)
    BEHAVIOUR: ClassVar[str] = ""
    #: field name -> what the controller does with that field
    FIELD_BEHAVIOUR: ClassVar[Mapping[str, str]] = {}

    def encode(self, *, builder: Any = None) -> bytes:
        """The record's ``SIZE`` bytes; ``builder`` defaults to the compiled schema (the plain
        one, ``STRUCT``, is the reference it is tested against)."""
        try:
            raw = self.to_raw()
            if self.RESERVED:
                raw["reserved"] = bytes(self.RESERVED)
            return bytes((builder or self.COMPILED).build(raw))
        except (FieldValueError, ValueError, TypeError, OverflowError, struct.error,
                c.ConstructError) as exc:
            raise EncodeError(f"{type(self).__name__} cannot be encoded: {exc}") from None

    @classmethod
    def decode(cls, data: bytes, *, parser: Any = None) -> Self:
        """Parse exactly ``SIZE`` bytes; ``parser`` defaults to the compiled schema."""
        if len(data) != cls.SIZE:
            raise BadDataSizeError(f"a {cls.TYPE.name} record is {cls.SIZE} bytes, got {len(data)}")
        try:
            raw = (parser or cls.COMPILED).parse(bytes(data))
        except Exception as exc:  # compiled parsers leak struct.error and friends
            raise DecodeError(f"{cls.TYPE.name} record does not parse: {exc}") from None
        if cls.RESERVED and any(raw.reserved):
            raise BadFieldError(f"reserved bytes of a {cls.TYPE.name} record must be zero")
        try:
            return cls.from_raw(raw)
        except (FieldValueError, ValueError, TypeError) as exc:
            raise BadFieldError(f"{cls.TYPE.name} record: {exc}") from None


R = TypeVar("R", bound=ReloadRecord)
REGISTRY: dict[RecordType, type[ReloadRecord]] = {}


def record(record_type: RecordType, layout: c.Struct) -> Callable[[type[R]], type[R]]:
    """Bind a dataclass to its record type and layout, checking the layout against WIRE.md."""

    def register(cls: type[R]) -> type[R]:
        names = [sc.name for sc in layout.subcons]
        expected = [*cls.field_names(), *(["reserved"] if "reserved" in names else [])]
        if sorted(names) != sorted(expected):
            raise LayoutError(f"{cls.__name__}: layout fields {names} != dataclass fields {expected}")
        if unknown := set(cls.FIELD_BEHAVIOUR) - set(cls.field_names()):
            raise LayoutError(f"{cls.__name__}: FIELD_BEHAVIOUR names no field {sorted(unknown)}")
        if layout.sizeof() != RECORD_SIZES[record_type]:
            raise LayoutError(f"{cls.__name__} layout is {layout.sizeof()} bytes, WIRE.md says "
                            f"{RECORD_SIZES[record_type]}")
        cls.STRUCT, cls.TYPE, cls.SIZE = layout, record_type, layout.sizeof()
        cls.COMPILED = layout.compile()
        reserved = [sc.sizeof() for sc in layout.subcons if sc.name == "reserved"]
        cls.RESERVED = reserved[0] if reserved else 0
        REGISTRY[record_type] = cls
        return cls

    return register
