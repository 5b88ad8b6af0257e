"""Alert kinds, codes and the status they imply (RFC 3805 PrtAlertCodeTC, RFC 2790)."""

from __future__ import annotations

import pytest

from ekm_proto.printer_mib.textual_conventions import bit_mask, bit_names
from emulators.printers.alerts import KINDS, Alert, error_state_octets, kind_for, summarize


def _alert(kind: str, index: int = 1) -> Alert:
    return Alert(index, kind, 1, -2, 0.0)


@pytest.mark.parametrize(("name", "code", "severity", "training"), [
    ("jam", 8, 3, 3), ("cover_open", 3, 3, 3), ("media_empty", 808, 4, 3),
    ("toner_low", 1104, 4, 3), ("toner_empty", 1101, 3, 4), ("fuser_fault", 1001, 3, 5),
    ("waste_toner_full", 1109, 3, 4), ("opc_low", 1111, 4, 4),
])
def test_kinds_use_rfc_3805_codes(name: str, code: int, severity: int, training: int) -> None:
    kind = KINDS[name]
    assert (kind.code, kind.severity, kind.training) == (code, severity, training)


def test_codes_from_the_control_api() -> None:
    assert kind_for("jam") == "jam"
    assert kind_for("coverOpen") == "cover_open"
    assert kind_for(1101) == "toner_empty"
    assert kind_for("808") == "media_empty"
    assert kind_for(1503) == "code:1503"  # interpreterCartridgeAdded: no modelled kind
    with pytest.raises(ValueError, match="jam"):
        kind_for("paperjam")


def test_rfc_2790_status_mapping() -> None:
    assert summarize(None) == (0, 2, False)
    assert summarize([_alert("toner_low")])[1] == 3  # lowToner: warning
    bits, status, blocked = summarize([_alert("toner_low"), _alert("jam", 2)])
    assert status == 5 and blocked  # down beats warning
    assert bit_names(bits) == ["lowToner", "jammed"]
    assert summarize(None, bit_mask("noPaper"))[1:] == (5, True)
    assert summarize(None, bit_mask("lowPaper"))[1:] == (3, False)


def test_bits_are_numbered_from_the_most_significant_bit() -> None:
    assert bit_mask("lowPaper") == 0x8000
    assert bit_mask("serviceRequested") == 0x0100
    assert bit_mask("inputTrayMissing") == 0x0080
    assert bit_mask("overduePreventMaint") == 0x0002
    assert error_state_octets(bit_mask("jammed"), 2) == b"\x04\x00"
    assert error_state_octets(bit_mask("jammed"), 1) == b"\x04"
    assert error_state_octets(bit_mask("inputTrayEmpty"), 1) == b"\x00\x04"  # needs octet two
