"""Profiles compiled into printer models: the one place that joins a model (what printing needs)
with the MIB built for it (printer_mib, which reads printer states)."""

from __future__ import annotations

from collections.abc import Iterable

from emulators.printers.model import PrinterModel
from emulators.printers.printer_mib import build_layout
from emulators.printers.profiles import Profile


def compile_profile(profile: Profile) -> PrinterModel:
    """A profile ready to serve; its default layout is built at once, variants on first use."""
    return PrinterModel(profile, build_layout)


def compile_profiles(profiles: Iterable[Profile]) -> list[PrinterModel]:
    return [compile_profile(profile) for profile in profiles]
