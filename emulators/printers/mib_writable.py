"""The objects administrators may SET on a printer, how each is checked, and how it reads back.

The read-write objects of RFC 3418's system group (sysContact, sysName, sysLocation) and those of
RFC 3805 that printers let administrators write: the general group's current localization,
reset (a power cycle; resetToFactoryDefaults also forgets every setting), operator, service
person, default input/output/marker/media path, console localization and enablement, startup and
banner pages, printer name; a tray's current level (for trays without sensors) and media name; the
console display buffer. A value is kept in the printer's settings (NVRAM: it survives reboots,
except the console text) and is what GET answers afterwards. A SET is refused as snmpd refuses
one: wrongType for another type, wrongLength for a string too long, wrongValue for a number
outside the object's range.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ekm_proto.snmp.message import ErrorStatus
from ekm_proto.snmp.types import SnmpType, SnmpValue
from emulators.printers.mib_layout import Getter
from emulators.printers.printer_state import PrinterState

INT, STR = SnmpType.INTEGER, SnmpType.OCTET_STRING
NOT_RESETTING, POWER_CYCLE, RESET_TO_NVRAM, FACTORY_DEFAULTS = 3, 4, 5, 6  # PrtGeneralResetTC
ON, OFF = 3, 4  # PresentOnOff
CONSOLE_STATES = frozenset({3, 4, 5, 6, 7})  # PrtConsoleDisableTC: enabled, disabled, levels 1-3

Apply = Callable[[PrinterState, "int | str", float], None]


@dataclass(frozen=True, slots=True)
class Setting:
    """One writable object: its settings key, type, default, and what values it takes.
    ``apply`` replaces storing for objects whose write is an action or another state (reset,
    a tray's level)."""

    key: str
    kind: SnmpType
    default: int | str
    max_length: int = 255
    allowed: frozenset[int] | range | None = None
    apply: Apply | None = None

    def test(self, value: SnmpValue) -> int:
        kind, raw = value
        if kind != self.kind:
            return int(ErrorStatus.WRONG_TYPE)
        if kind == STR:
            if not isinstance(raw, bytes) or len(raw) > self.max_length:
                return int(ErrorStatus.WRONG_LENGTH)
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return int(ErrorStatus.WRONG_VALUE)
            return 0
        if self.allowed is not None and raw not in self.allowed:
            return int(ErrorStatus.WRONG_VALUE)
        return 0

    def commit(self, state: PrinterState, value: SnmpValue, now: float) -> None:
        raw = value[1]
        written: int | str = raw.decode("utf-8") if isinstance(raw, bytes) else (
            raw if isinstance(raw, int) else 0)
        if self.apply is not None:
            self.apply(state, written, now)
        else:
            state.write(self.key, written)

    def getter(self) -> Getter:
        key, default = self.key, self.default
        if self.kind == STR:
            text = str(default)
            return lambda s, now: (STR, s.text(key, text).encode("utf-8"))
        number = int(default)
        return lambda s, now: (INT, s.number(key, number))


def reset(state: PrinterState, value: int | str, now: float) -> None:
    """prtGeneralReset: power cycle (factory defaults first forget every setting)."""
    if value == FACTORY_DEFAULTS:
        state.settings = None
    if value != NOT_RESETTING:
        state.reboot(now)


def tray_level(position: int) -> Apply:
    """prtInputCurrentLevel: someone counted the sheets in a tray without sensors."""
    def apply(state: PrinterState, value: int | str, now: float) -> None:
        state.refill_tray(position, now, int(value))
    return apply


def text(key: str, default: str, max_length: int = 255) -> Setting:
    return Setting(key, STR, default, max_length)


def number(key: str, default: int, allowed: Iterable[int]) -> Setting:
    return Setting(key, INT, default, allowed=frozenset(allowed))
