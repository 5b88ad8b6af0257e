"""What the numbers inside a PrinterState mean: positions in its ``counters`` array and bits of
its ``flags`` (one place, shared by the state's modules)."""

from __future__ import annotations

(C_MONO_SMALL, C_COLOUR_SMALL, C_MONO_LARGE, C_COLOUR_LARGE, C_SCAN_MONO, C_SCAN_COLOUR, C_SHEETS,
 C_DUPLEX_SHEETS, C_LIFE_AT_BOOT, C_ALERTS_CRITICAL, C_ALERTS_ALL, C_CONFIG_CHANGES,
 C_JOBS) = range(13)
N_COUNTERS = 13

F_UNREACHABLE = 1  # taken off the network (control API "offline"): no answers on any port
F_FORCED_SLEEP = 2  # power save entered on request; a job wakes it
F_SWITCHED_OFF = 4  # outside the profile's powered hours (switched_off = "nights"...)
F_SILENT = F_UNREACHABLE | F_SWITCHED_OFF
