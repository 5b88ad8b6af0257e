"""A profile compiled for serving: its shared MIB layouts and the per-supply numbers printing needs
(``catalog.compile_profile`` makes one).

Everything here is computed once per profile and shared by every printer of that model, which keeps
each printer down to its own counters and levels.
"""

from __future__ import annotations

from collections.abc import Callable

from emulators.printers.alerts import supply_kinds
from emulators.printers.errors import ProfileError
from emulators.printers.identity import salt
from emulators.printers.mib_layout import MibLayout
from emulators.printers.profiles import MISSABLE_TABLES, Profile
from emulators.printers.usage_rates import UsageModel
from protolab.errors import UsageError

#: what builds a profile's shared layout for a quirk combination (printer_mib.build_layout; the
#: catalog passes it in, so the model does not import the MIB that reads printer states)
LayoutBuilderFn = Callable[[Profile, bool, tuple[str, ...]], MibLayout]


class PrinterModel:
    """One profile, ready to serve: layouts (one per quirk combination) and consumption rates."""

    def __init__(self, profile: Profile, build_layout: LayoutBuilderFn) -> None:
        self.profile = profile
        self._build_layout = build_layout
        self.name = profile.name
        self.salt = salt(profile.name)
        self.supply_rate = tuple(1.0 / s.yield_pages for s in profile.supplies)
        self.supply_consumes = tuple(s.consumes for s in profile.supplies)
        self.supply_low = tuple(s.low_percent / 100.0 for s in profile.supplies)
        self.supply_kinds = tuple(supply_kinds(s.type, s.filled) for s in profile.supplies)
        self.supply_blocks = tuple(
            s.consumes in ("all", "colour", "mono") and (s.filled or s.type in (3, 5, 6, 21))
            for s in profile.supplies)
        self.tray_capacity = tuple(t.capacity for t in profile.trays)
        self.tray_low = tuple(t.capacity * t.low_percent / 100.0 for t in profile.trays)
        # trays that feed a job: automatic trays first, then the manual (bypass) tray
        order = sorted(range(len(profile.trays)),
                       key=lambda i: (profile.trays[i].type == 5, profile.trays[i].index))
        self.small_trays = tuple(i for i in order if not profile.trays[i].large)
        self.large_trays = tuple(i for i in order if profile.trays[i].large)
        self.sleep_after_s = profile.power.sleep_after_minutes * 60.0
        self.warmup_s = profile.power.warmup_seconds
        self.page_seconds = 60.0 / profile.ppm
        self.usage = UsageModel(profile)
        self.power_windows = profile.power.switched_off != "never"
        self.silent_asleep = profile.power.sleep_mode == "no-response"
        self._layouts: dict[tuple[bool, tuple[str, ...]], MibLayout] = {}
        self.layout = self.layout_for(profile.quirks.counter_as_integer, profile.quirks.missing)

    def layout_for(self, counter_as_integer: bool, missing: tuple[str, ...]) -> MibLayout:
        """The shared layout for a quirk combination, built on first use and then reused."""
        key = (counter_as_integer, tuple(sorted(set(missing))))
        layout = self._layouts.get(key)
        if layout is None:
            unknown = [name for name in key[1] if name not in MISSABLE_TABLES]
            if unknown:
                raise ProfileError(f"profile {self.name}: cannot remove {', '.join(unknown)}; "
                                   "expected table names from: " + ", ".join(MISSABLE_TABLES))

            layout = self._build_layout(self.profile, counter_as_integer, key[1])
            self._layouts[key] = layout
        return layout

    def layout_key(self, layout: MibLayout) -> tuple[bool, tuple[str, ...]]:
        """The quirks a shared layout was built with."""
        for key, known in self._layouts.items():
            if known is layout:
                return key
        raise UsageError(f"layout not built by profile {self.name}")

    def __repr__(self) -> str:
        return f"PrinterModel({self.name!r}, {len(self.layout)} OIDs)"
