"""A fleet of emulated printers behind one AgentDirectory: printer i answers at first-address + i.

The SNMP engine asks ``lookup(address)`` for every datagram; the fleet brings that printer's
simulation up to date (lazily: nothing runs for printers nobody asks about) and returns a
per-request handle, or None when the printer must stay silent (switched off, taken off the
network, asleep on a model that ignores SNMP in sleep, or a dropped request by quirk).
"""

from __future__ import annotations

import ipaddress
import random
from array import array
from collections.abc import Callable, Sequence

from ekm_proto.snmp.agent.engine_mib import new_counters
from ekm_proto.snmp.message import ErrorStatus
from ekm_proto.snmp.types import Oid, SnmpValue, VarBind
from emulators.printers.fleet_plan import ModelPlan, PrinterSlots, address_of, slot_of
from emulators.printers.mib_layout import MibLayout
from emulators.printers.model import PrinterModel
from emulators.printers.printer_state import (
    F_SILENT,
    F_UNREACHABLE,
    LINK_DOWN,
    LINK_UP,
    PrinterState,
    serial_of,
)
from emulators.printers.usage_model import advance
from protolab.clock import Clock
from protolab.errors import ConfigurationError
from protolab.logs import get_logger


class PrinterNotFound(ConfigurationError):
    """A printer id, address or serial that no printer of the fleet has."""


class AddressInUse(ConfigurationError):
    """A move to an address another printer already answers at."""


class SimClock:
    """Simulated epoch seconds: ``start_epoch + (clock.now() - clock at start) * time_scale``.

    ``--time-scale 1440`` runs a simulated day per real minute; sysUpTime and the usage model follow
    simulated time, while snmpEngineTime stays in real seconds so SNMPv3 time windows still hold.
    """

    def __init__(self, clock: Clock, start_epoch: float, time_scale: float = 1.0) -> None:
        if time_scale <= 0:
            raise ConfigurationError(f"time scale must be positive, got {time_scale}")
        self.clock = clock
        self.start_epoch = start_epoch
        self.time_scale = time_scale
        self.origin = clock.now()

    def at(self, monotonic: float) -> float:
        return self.start_epoch + (monotonic - self.origin) * self.time_scale

    def now(self) -> float:
        return self.at(self.clock.now())


class PrinterAgent:
    """One request's view of one printer (AgentHandle and MibView): a snapshot at ``now``."""

    __slots__ = ("fleet", "now", "state")

    def __init__(self, state: PrinterState, fleet: PrinterFleet, now: float) -> None:
        self.state = state
        self.fleet = fleet
        self.now = now

    @property
    def view(self) -> PrinterAgent:
        return self

    @property
    def engine_id(self) -> bytes:
        return self.state.engine_id

    def engine_boots_time(self, now: float) -> tuple[int, int]:
        return self.state.boots, self.state.engine_time(self.fleet.sim.at(now))

    @property
    def counters(self) -> array[int]:
        state = self.state
        counters = state.snmp
        if counters is None:
            counters = state.snmp = new_counters()
        return counters

    @property
    def community_ports(self) -> int:
        return self.state.model.profile.identity.jetdirect_ports

    def response_delay(self) -> float:
        return self.state.delay

    def get(self, oid: Oid) -> SnmpValue:
        return self.state.layout.get(self.state, oid, self.now)

    def get_next(self, oid: Oid) -> tuple[Oid, SnmpValue] | None:
        return self.state.layout.get_next(self.state, oid, self.now)

    def walk_encoded(self, oid: Oid, limit: int) -> tuple[list[bytes], Oid]:
        return self.state.layout.walk_encoded(self.state, oid, self.now, limit)

    def test_set(self, oid: Oid, value: SnmpValue) -> int:
        """WritableView: what the printer lets administrators write (mib_writable.py)."""
        writable = self.state.layout.writable.get(oid)
        return int(ErrorStatus.NOT_WRITABLE) if writable is None else writable.test(value)

    def commit_set(self, varbinds: list[VarBind]) -> None:
        writable = self.state.layout.writable
        for oid, value in varbinds:
            writable[oid].commit(self.state, value, self.now)


def assign_models(models: Sequence[PrinterModel], count: int) -> list[PrinterModel]:
    """Profiles spread over ``count`` printers in proportion to their ``fleet_weight``,
    deterministically and evenly (equal weights give model 0, 1, 2, ... in turn)."""
    plan = ModelPlan(models, count)
    return [plan(i) for i in range(count)]


class PrinterFleet:
    """The AgentDirectory of a fleet; see the module docstring. Printers are made on first use
    (fleet_plan.py): ``printers`` makes any it is asked for."""

    def __init__(self, models: Sequence[PrinterModel], count: int, first_address: str,
                 clock: Clock, *, time_scale: float = 1.0, start_epoch: float | None = None,
                 seed: int = 0, simulate: bool = True, utc_offset_hours: float = 0.0) -> None:
        if not models:
            raise ConfigurationError("a fleet needs at least one printer profile")
        try:
            first = ipaddress.IPv4Address(first_address)
        except ValueError:
            raise ConfigurationError(
                f"first address {first_address!r} is not an IPv4 address like 127.30.0.1") from None
        if count < 0 or int(first) + count - 1 > 0xFFFFFFFF:
            raise ConfigurationError(f"{count} printers from {first_address} run past 255.255.255.255")
        self.sim = SimClock(clock, clock.wall() if start_epoch is None else start_epoch,
                            time_scale)
        self.seed = seed
        self.simulate = simulate
        self.offset = utc_offset_hours * 3600.0
        self.models = {m.name: m for m in models}
        self.plan = ModelPlan(models, count)
        self.listener: Callable[[PrinterState, str, object, float], None] | None = None
        self.raw_port: int | None = None  # set by whoever serves the raw port
        self._drops = random.Random(seed)
        self._base = int(first)
        self.born = self.sim.now()  # simulated time the fleet started: printers are made as of it
        self._by_address: dict[str, PrinterState] = {}
        self._vacated: set[int] = set()  # slots whose printer moved away from its own address
        self.printers = PrinterSlots(count, self._make)
        get_logger("printers.fleet").info(
            "fleet.ready", printers=count, first=first_address, profiles=sorted(self.models),
            time_scale=time_scale)

    def __len__(self) -> int:
        return len(self.printers)

    def _make(self, slot: int) -> PrinterState:
        """Printer ``slot`` as it was at the fleet's start; the next look brings it up to date."""
        state = PrinterState(self.plan(slot), slot, address_of(self._base, slot), self.born,
                             self.seed)
        state.owner = self
        self.printers.put(slot, state)
        self._by_address[state.address] = state
        return state

    def state_at(self, address: str) -> PrinterState | None:
        """The printer at an address (made if it was not yet), without bringing it up to date;
        None for an address no printer has."""
        state = self._by_address.get(address)
        if state is not None:
            return state
        slot = slot_of(address, self._base, len(self.printers))
        if slot is None or slot in self._vacated or self.printers.existing(slot) is not None:
            return None
        return self._make(slot)

    # ---- AgentDirectory ----------------------------------------------------------------------

    def lookup(self, address: str) -> PrinterAgent | None:
        state = self._by_address.get(address)
        if state is None:
            state = self.state_at(address)
            if state is None:
                return None
        sim = self.sim
        now = sim.start_epoch + (sim.clock.now() - sim.origin) * sim.time_scale
        if now >= state.next_due:
            advance(state, now, self.offset, self.simulate)
        if state.flags & F_SILENT:
            return None
        if state.drop_rate and self._drops.random() < state.drop_rate:
            return None
        if state.model.silent_asleep and state.sleeping(now):
            return None
        return PrinterAgent(state, self, now)

    # ---- control -----------------------------------------------------------------------------

    def refresh(self, state: PrinterState) -> float:
        """Bring one printer up to the current simulated time; returns that time."""
        now = self.sim.now()
        advance(state, now, self.offset, self.simulate)
        return now

    def find(self, key: str) -> PrinterState:
        """A printer by slot number, address or serial number."""
        if key.isdigit() and int(key) < len(self.printers):
            return self.printers[int(key)]
        state = self.state_at(key)
        if state is not None:
            return state
        for state in self.printers.made():
            if state.serial == key:
                return state
        for slot in range(len(self.printers)):  # printers not made yet: serials by arithmetic
            if self.printers.existing(slot) is None and serial_of(self.plan(slot), slot,
                                                                  self.seed) == key:
                return self.printers[slot]
        raise PrinterNotFound(f"no printer {key!r}: expected a number below {len(self.printers)}, "
                              "an address the fleet answers at, or a serial number")

    def view_of(self, state: PrinterState) -> PrinterAgent:
        """A printer's view now, even when SNMP would get no answer (for export and inspection)."""
        return PrinterAgent(state, self, self.refresh(state))

    def answers(self, state: PrinterState, now: float) -> bool:
        """Whether an SNMP request to this printer would be answered now (ignoring drops)."""
        if now >= state.next_due:
            advance(state, now, self.offset, self.simulate)
        if state.flags & F_SILENT:
            return False
        return not (state.model.silent_asleep and state.sleeping(now))

    def reachable(self, state: PrinterState) -> bool:
        """Switched on and on the network now (the raw port and the web server ask this)."""
        if self.sim.now() >= state.next_due:
            self.refresh(state)
        return not state.flags & F_SILENT

    def set_reachable(self, state: PrinterState, on: bool) -> None:
        """Take a printer off the network or put it back; linkDown / linkUp are announced."""
        if bool(state.flags & F_UNREACHABLE) != (not on):
            now = self.refresh(state)
            if on:
                state.flags &= ~F_UNREACHABLE
            self.notify(state, LINK_UP if on else LINK_DOWN, None, now)
            if not on:
                state.flags |= F_UNREACHABLE

    # ---- PrinterOwner ------------------------------------------------------------------------

    @property
    def time_scale(self) -> float:
        return self.sim.time_scale

    @property
    def utc_offset(self) -> float:
        return self.offset

    def notify(self, state: PrinterState, event: str, detail: object, now: float) -> None:
        if self.listener is not None:
            self.listener(state, event, detail, now)

    def move(self, state: PrinterState, address: str) -> None:
        """The same device at a new address (a monitor sees the same serial and MAC move)."""
        try:
            ipaddress.IPv4Address(address)
        except ValueError:
            raise ConfigurationError(
                f"printer {state.index} ({state.address}): {address!r} is not an IPv4 address"
            ) from None
        owner = self.state_at(address)
        if owner is not None and owner is not state:
            raise AddressInUse(f"printer {state.index} ({state.address}): {address} is already "
                               f"printer {owner.index}; expected a free address")
        del self._by_address[state.address]
        self._vacated.add(state.index)
        state.address = address
        self._by_address[address] = state
        home = slot_of(address, self._base, len(self.printers))
        if home is not None and home != state.index:
            self._vacated.add(home)  # its own printer, when made, will have no address to answer

    def swap(self, state: PrinterState, profile: str | None = None) -> PrinterState:
        """A different device at the same address: new serial, MAC, engine id and counters."""
        model = state.model if profile is None else self.models.get(profile)
        if model is None:
            raise ConfigurationError(f"printer {state.index} ({state.address}): no profile "
                                     f"{profile!r} in this fleet; expected one of "
                                     + ", ".join(sorted(self.models)))
        now = self.sim.now()
        fresh = PrinterState(model, state.index, state.address, now, self.seed,
                             state.generation + 1)
        fresh.owner = self
        self.printers.put(state.index, fresh)
        self._by_address[fresh.address] = fresh
        return fresh

    def set_quirks(self, state: PrinterState, *, counter_as_integer: bool | None = None,
                   missing: Sequence[str] | None = None, response_delay: float | None = None,
                   drop_rate: float | None = None) -> None:
        """Per-printer vendor quirks; layout quirks switch the printer to a shared variant."""
        current_integer, current_missing = state.model.layout_key(state.layout)
        if counter_as_integer is not None or missing is not None:
            state.layout = state.model.layout_for(
                current_integer if counter_as_integer is None else counter_as_integer,
                current_missing if missing is None else tuple(missing))
        if response_delay is not None:
            state.delay = response_delay
        if drop_rate is not None:
            state.drop_rate = drop_rate

    def layouts(self) -> list[MibLayout]:
        return [m.layout for m in self.models.values()]
