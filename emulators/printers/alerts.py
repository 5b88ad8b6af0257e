"""Printer alerts: the prtAlertTable rows a printer raises, and the status they imply.

Alerts are the single source of truth for a printer's troubles: hrPrinterDetectedErrorState,
hrDeviceStatus and hrPrinterStatus are derived from the active alerts (RFC 2790 / RFC 3805 2.2.13),
so the tables a monitor reads can never contradict each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from ekm_proto.printer_mib import textual_conventions as tc
from emulators.printers.errors import UnknownAlertCode
from emulators.printers.profiles import Profile

CRITICAL = tc.SEVERITIES["critical"]
WARNING = tc.SEVERITIES["warning"]


@dataclass(frozen=True, slots=True)
class AlertKind:
    """One kind of trouble: its PrtAlertCodeTC code and how a printer reports it."""

    name: str
    code: int
    severity: int
    training: int
    group: int
    bits: int  # hrPrinterDetectedErrorState conditions, 16-bit MSB-first mask
    blocks: bool  # printing stops while it is active
    text: str  # description template: {tray} {size} {supply} {cover} {where} {subunit}


def _kind(name: str, code: str, severity: str, training: str, group: str, bits: tuple[str, ...],
          blocks: bool, text: str) -> AlertKind:
    return AlertKind(name, tc.ALERT_CODES[code], tc.SEVERITIES[severity], tc.TRAININGS[training],
                     tc.ALERT_GROUPS[group], tc.bit_mask(*bits), blocks, text)


KINDS: dict[str, AlertKind] = {k.name: k for k in (
    _kind("jam", "jam", "critical", "untrained", "mediaPath", ("jammed",), True,
          "Paper jam {where}. Open the covers and remove the paper. Printing has stopped."),
    _kind("cover_open", "coverOpen", "critical", "untrained", "cover", ("doorOpen",), True,
          "{cover} is open. Close it to continue."),
    _kind("media_low", "inputMediaSupplyLow", "warning", "untrained", "input", ("lowPaper",),
          False, "{tray} is low on {size} paper."),
    _kind("media_empty", "inputMediaSupplyEmpty", "warning", "untrained", "input",
          ("inputTrayEmpty",), False, "{tray} is empty. Load {size} paper. Printing can continue."),
    _kind("tray_missing", "inputMediaTrayMissing", "warning", "untrained", "input",
          ("inputTrayMissing",), False, "{tray} is open or missing."),
    _kind("output_almost_full", "outputMediaTrayAlmostFull", "warning", "untrained", "output",
          ("outputNearFull",), False, "Output bin almost full."),
    _kind("output_full", "outputMediaTrayFull", "critical", "untrained", "output",
          ("outputFull",), True, "Output bin full. Remove the paper."),
    _kind("toner_low", "markerTonerAlmostEmpty", "warning", "untrained", "markerSupplies",
          ("lowToner",), False, "{supply} is low."),
    _kind("toner_empty", "markerTonerEmpty", "critical", "trained", "markerSupplies",
          ("noToner",), True, "{supply} is empty. Replace the cartridge."),
    _kind("ink_low", "markerInkAlmostEmpty", "warning", "untrained", "markerSupplies",
          ("lowToner",), False, "{supply} is low."),
    _kind("ink_empty", "markerInkEmpty", "critical", "trained", "markerSupplies", ("noToner",),
          True, "{supply} is empty. Replace the cartridge."),
    _kind("cartridge_missing", "markerTonerCartridgeMissing", "critical", "untrained",
          "markerSupplies", ("markerSupplyMissing",), True, "{supply} is missing or not seated."),
    _kind("waste_toner_almost_full", "markerWasteTonerReceptacleAlmostFull", "warning",
          "untrained", "markerSupplies", (), False, "{supply} is almost full."),
    _kind("waste_toner_full", "markerWasteTonerReceptacleFull", "critical", "trained",
          "markerSupplies", (), True, "{supply} is full. Replace it to continue."),
    _kind("waste_ink_almost_full", "markerWasteInkReceptacleAlmostFull", "warning", "untrained",
          "markerSupplies", (), False, "{supply} is almost full."),
    _kind("waste_ink_full", "markerWasteInkReceptacleFull", "critical", "trained",
          "markerSupplies", (), True, "{supply} is full. Replace it to continue."),
    _kind("opc_low", "markerOpcLifeAlmostOver", "warning", "trained", "markerSupplies", (),
          False, "{supply} is near the end of its life."),
    _kind("opc_over", "markerOpcLifeOver", "warning", "trained", "markerSupplies",
          ("overduePreventMaint",), False, "{supply} has reached the end of its life. Replace it."),
    _kind("developer_low", "markerDeveloperAlmostEmpty", "warning", "trained", "markerSupplies",
          (), False, "{supply} is low."),
    _kind("developer_empty", "markerDeveloperEmpty", "warning", "trained", "markerSupplies",
          ("overduePreventMaint",), False, "{supply} is empty."),
    _kind("life_low", "subunitLifeAlmostOver", "warning", "trained", "markerSupplies", (),
          False, "{supply} is near the end of its life."),
    _kind("life_over", "subunitLifeOver", "warning", "trained", "markerSupplies",
          ("overduePreventMaint",), False, "{supply} has reached the end of its life."),
    _kind("receptacle_almost_full", "subunitAlmostFull", "warning", "untrained", "markerSupplies",
          (), False, "{supply} is almost full."),
    _kind("receptacle_full", "subunitFull", "critical", "trained", "markerSupplies", (), True,
          "{supply} is full. Replace it to continue."),
    _kind("fuser_fault", "markerFuserUnderTemperature", "critical", "fieldService", "marker",
          ("serviceRequested",), True,
          "The printer has detected a fault with the fuser. Turn the power off and on. "
          "Field service is required if the problem persists. Printing is disabled."),
    _kind("service", "subunitUnrecoverableFailure", "critical", "fieldService", "generalPrinter",
          ("serviceRequested",), True, "Service required: {subunit}."),
    _kind("offline", "subunitOffline", "critical", "untrained", "generalPrinter", ("offline",),
          True, "Printer is offline (paused at the control panel)."),
)}

# prtAlertLocation for jams: representative vendor codes, with the place a description names
JAM_LOCATIONS: dict[int, str] = {
    13100: "in the input area", 13200: "near the fuser", 13300: "in the duplex path",
    13400: "in the output bin",
}


def kind_for(code: str | int) -> str:
    """The alert kind for a control-API code: a kind name ("jam"), a PrtAlertCodeTC name
    ("coverOpen") or number (3); codes without a modelled kind become generic "code:N" alerts."""
    if isinstance(code, str) and code in KINDS:
        return code
    if isinstance(code, str) and not code.lstrip("-").isdigit():
        if code not in tc.ALERT_CODES:
            raise UnknownAlertCode(f"unknown alert code {code!r}; expected a number, one of "
                             + ", ".join(KINDS) + " or a PrtAlertCodeTC name")
        number = tc.ALERT_CODES[code]
    else:
        number = int(code)
    for kind in KINDS.values():
        if kind.code == number:
            return kind.name
    return f"code:{number}"


def supply_kinds(supply_type: int, filled: bool) -> tuple[str, str]:
    """(almost-empty kind, empty kind) a supply of this PrtMarkerSuppliesTypeTC raises."""
    types = tc.SUPPLY_TYPES
    if supply_type in (types["toner"], types["tonerCartridge"]):
        return "toner_low", "toner_empty"
    if supply_type in (types["ink"], types["inkCartridge"]):
        return "ink_low", "ink_empty"
    if supply_type == types["wasteToner"]:
        return "waste_toner_almost_full", "waste_toner_full"
    if supply_type == types["wasteInk"]:
        return "waste_ink_almost_full", "waste_ink_full"
    if supply_type == types["opc"]:
        return "opc_low", "opc_over"
    if supply_type == types["developer"]:
        return "developer_low", "developer_empty"
    if filled:
        return "receptacle_almost_full", "receptacle_full"
    return "life_low", "life_over"


@dataclass(frozen=True, slots=True)
class Alert:
    """One active row of prtAlertTable; times are simulated epoch seconds."""

    index: int
    kind: str
    group_index: int
    location: int
    raised_at: float
    text: str | None = None  # a description given through the control API
    restore: float | int | None = None  # what an injected alert changed (tray sheets, level)


def describe(alert: Alert, profile: Profile) -> str:
    """prtAlertDescription in the words the printer's panel would use."""
    if alert.text is not None:
        return alert.text
    kind = KINDS.get(alert.kind)
    if kind is None:
        return f"Alert {alert.kind}"
    tray = next((t for t in profile.trays if t.index == alert.group_index), None)
    supply = next((s for s in profile.supplies if s.index == alert.group_index), None)
    cover = (profile.covers[alert.group_index - 1]
             if 0 < alert.group_index <= len(profile.covers) else "A cover")
    return kind.text.format(
        tray=tray.name if tray else f"Tray {alert.group_index}", size=tray.size if tray else "A4",
        supply=supply.description if supply else f"Supply {alert.group_index}", cover=cover,
        where=JAM_LOCATIONS.get(alert.location, "inside the printer"), subunit="engine")


def kind_of(alert: Alert) -> AlertKind:
    """The alert's kind; alerts raised by bare code through the API get a generic warning kind."""
    kind = KINDS.get(alert.kind)
    if kind is not None:
        return kind
    code = int(alert.kind.removeprefix("code:")) if alert.kind.startswith("code:") else 1
    return AlertKind(alert.kind, code, WARNING, tc.TRAININGS["trained"], tc.ALERT_GROUPS["other"],
                     0, False, "")


def summarize(alerts: list[Alert] | None, extra_bits: int = 0) -> tuple[int, int, bool]:
    """(error-state bits, hrDeviceStatus, printing blocked) for a set of active alerts.

    RFC 2790: down(5) when any condition implies down (noPaper, noToner, doorOpen, jammed,
    offline) or a critical alert is active; warning(3) for any other condition or warning alert.
    """
    bits = extra_bits
    critical = warning = blocked = False
    for alert in alerts or ():
        kind = kind_of(alert)
        bits |= kind.bits
        critical = critical or kind.severity == CRITICAL
        warning = warning or kind.severity != CRITICAL
        blocked = blocked or kind.blocks
    if critical or bits & tc.DOWN_MASK:
        status = tc.DEVICE_DOWN
    elif warning or bits:
        status = tc.DEVICE_WARNING
    else:
        status = tc.DEVICE_RUNNING
    return bits, status, blocked or bool(bits & tc.DOWN_MASK)


def error_state_octets(bits: int, octets: int) -> bytes:
    """hrPrinterDetectedErrorState: one octet (RFC 1759-era agents) or two (RFC 3805 bits 8-14)."""
    if octets == 1 and not bits & 0xFF:
        return bytes([bits >> 8])
    return bits.to_bytes(2, "big")
