"""The twelve shipped profiles against the EKM Insight asset table, and profile validation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from emulators.printers.errors import ProfileError
from emulators.printers.identity import serial_number
from emulators.printers.profiles import Profile, load_profile, profile_from_dict

# EKM Insight technical overview, "Asset Information": manufacturer, model, serial, MAC
EKM_ASSETS = {
    "hp-pagewide-pro-477dw": ("HP", "PageWide Pro MFP 477dw", "CN84CHX00P", None),
    "samsung-clx-8380nd": ("Samsung", "CLX-8380ND", "14848IDQ00327E", "0015991DD855"),
    "kyocera-ecosys-m6026cdn": ("Kyocera", "ECOSYS M6026cdn", "LWC4706687", "00C0E3F8CDD0"),
    "samsung-clp-600n": ("Samsung", "CLP-600N", "3M21BRL200013Y", "001599012784"),
    "kyocera-fs-6950dn": ("Kyocera", "FS-6950DN", "XMk6800146", None),  # EKM's MAC has 11 digits
    "lexmark-optra-t614n": ("Lexmark", "Optra T614N", "4IFF408", "000400DC9198"),
    "hp-officejet-7210": ("HP", "OfficeJet 7210", "MY56TG702W0406", "000D90238C3F"),
    "hp-color-laserjet-m577": ("HP", "M577", "CNBVH85138", "308D99A4B8EA"),
    "hp-laserjet-m757": ("HP", "M757", "MXCCDD513", "6C382506468F"),
    "epson-wf-s190dw": ("Epson", "WF-S190DW", "SDYY000055", "AC18262A8372"),
    "hp-pagewide-785f": ("HP", "785f", "MXCK751Y", "F430B96F9213"),
    "samsung-clp-660n": ("Samsung", "CLP-660N", "4B21B1KCP800026A", "0015993FFA20"),
}
ENTERPRISE = {"HP": 11, "Samsung": 236, "Kyocera": 1347, "Lexmark": 641, "Epson": 1248}
# published capabilities of the models: (colour, A3)
CAPABILITIES = {
    "hp-pagewide-pro-477dw": (True, False), "samsung-clx-8380nd": (True, True),
    "kyocera-ecosys-m6026cdn": (True, False), "samsung-clp-600n": (True, False),
    "kyocera-fs-6950dn": (False, True), "lexmark-optra-t614n": (False, False),
    "hp-officejet-7210": (True, False), "hp-color-laserjet-m577": (True, False),
    "hp-laserjet-m757": (True, True), "epson-wf-s190dw": (True, False),
    "hp-pagewide-785f": (True, True), "samsung-clp-660n": (True, False),
}


def _shape(text: str) -> str:
    return "".join("9" if c.isdigit() else "A" if c.isalpha() else c for c in text)


def test_one_profile_per_ekm_asset(profiles: dict[str, Profile]) -> None:
    assert set(profiles) == set(EKM_ASSETS)


@pytest.mark.parametrize("name", sorted(EKM_ASSETS))
def test_profile_matches_the_ekm_asset(profiles: dict[str, Profile], name: str) -> None:
    vendor, model, serial, mac = EKM_ASSETS[name]
    profile = profiles[name]
    assert profile.vendor == vendor
    assert model.replace(" ", "").lower() in profile.model.replace(" ", "").lower()
    assert profile.enterprise == ENTERPRISE[vendor]
    assert profile.sys_object_id[:7] == (1, 3, 6, 1, 4, 1, ENTERPRISE[vendor])
    # serials look like the real ones: same length, digits and letters in the same places
    for n in (0, 1, 99_999):
        assert _shape(serial_number(profile.serial_format, n)) == _shape(serial)
    if mac is not None:
        assert profile.mac_oui == bytes.fromhex(mac[:6])
    assert (profile.color, profile.a3) == CAPABILITIES[name]


@pytest.mark.parametrize("name", sorted(EKM_ASSETS))
def test_supplies_trays_and_counters_are_consistent(profiles: dict[str, Profile], name: str
                                                    ) -> None:
    profile = profiles[name]
    assert profile.supplies and profile.trays
    assert len({s.index for s in profile.supplies}) == len(profile.supplies)
    assert len({t.index for t in profile.trays}) == len(profile.trays)
    assert "black" in profile.colorants
    assert (len(profile.colorants) > 1) == profile.color
    assert len({c.oid for c in profile.counters}) == len(profile.counters)
    for counter in profile.counters:
        assert counter.oid[:7] == (1, 3, 6, 1, 4, 1, profile.enterprise)  # vendor's own arc


def test_the_785f_has_the_ten_supplies_ekm_shows(profiles: dict[str, Profile]) -> None:
    descriptions = [s.description for s in profiles["hp-pagewide-785f"].supplies]
    assert descriptions[0] == "Black Cartridge 982 SETUP HP T0B22A"
    assert descriptions[4] == "Service Fluid Container HP W1B44A"
    assert descriptions[9] == "Tray 2 Roller Kit HP W1B45A"
    assert len(descriptions) == 10


MINIMAL = {
    "vendor": "HP", "model": "Test", "enterprise": 11, "sys_object_id": "1.3.6.1.4.1.11.2.3.9.1",
    "sys_descr": "test", "color": False, "a3": False, "serial_format": "T####",
    "mac_oui": "00:11:22", "trays": [{"name": "Tray 1", "capacity": 250}],
    "supplies": [{"description": "Toner", "type": "toner", "colorant": "black",
                  "yield_pages": 1000}],
}


def test_minimal_profile_gets_rfc_defaults() -> None:
    profile = profile_from_dict(dict(MINIMAL), "t")
    tray = profile.trays[0]
    assert (tray.index, tray.size, tray.type) == (1, "A4", 3)  # sheetFeedAutoRemovableTray
    supply = profile.supplies[0]
    assert (supply.type, supply.supply_class, supply.unit) == (3, 3, 19)  # toner, consumed, %


@pytest.mark.parametrize(("change", "words"), [
    ({"enterprise": "eleven"}, "enterprise"),
    ({"mac_oui": "00:11"}, "mac_oui"),
    ({"serial_format": "FIXED"}, "placeholder"),
    ({"colour": True}, "unknown key"),
    ({"trays": []}, "trays"),
    ({"a3": True}, "A3"),
    ({"supplies": [{"description": "T", "type": "tonr", "yield_pages": 5}]}, "tonerCartridge"),
    ({"supplies": [{"description": "C", "type": "toner", "consumes": "colour",
                    "yield_pages": 5}]}, "mono"),
    ({"quirks": {"missing": ["noSuchTable"]}}, "hrStorageTable"),
    ({"counters": [{"oid": "1.3.6.x", "name": "n", "source": "total"}]}, "dotted OID"),
    ({"counters": [{"oid": "1.3.6.1.4.1.11.1", "name": "n", "source": "pages"}]}, "one of"),
    ({"usage": {"colour_fraction": 0.5}}, "mono"),
])
def test_bad_profiles_are_refused_with_the_key_named(change: dict[str, object], words: str
                                                     ) -> None:
    data = {**MINIMAL, **change}
    with pytest.raises(ProfileError, match=re.escape(words)):
        profile_from_dict(data, "bad", "bad.toml")


def test_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('vendor = "HP"\nmodel = \n')
    with pytest.raises(ProfileError, match=r"broken\.toml"):
        load_profile(path)
    with pytest.raises(ProfileError, match="no such printer profile"):
        load_profile(tmp_path / "absent.toml")
