"""Values RFC 3805 and RFC 2790 pin down: addressability, media orientation and path widths, alerts
and the state they describe, the printer's local date, vendor supply descriptions, device ids."""

from __future__ import annotations

import pytest

from ekm_proto.printer_mib.device_ids import HP_DEVICE_ID, LEXMARK_DEVICE_ID, parse_device_id
from ekm_proto.snmp.agent.engine import SecurityConfig, SnmpEngine
from ekm_proto.snmp.message import PduType, decode_community_message
from ekm_proto.snmp.types import NULL, SnmpType, parse_oid
from emulators.printers.errors import ProfileError
from emulators.printers.fleet import PrinterFleet
from emulators.printers.model import PrinterModel
from emulators.printers.profiles import Profile, profile_from_dict
from protolab.clock import ManualClock
from tests.emulators.printers.fleets import MONDAY_9AM, FleetFactory
from tests.emulators.printers.wire import community_request

INT = SnmpType.INTEGER
PRT = "1.3.6.1.2.1.43"
PPM_DEVICE_ID = parse_oid("1.3.6.1.4.1.2699.1.2.1.2.1.1.3.1")
A4_SEF, A4_LEF, A3_SEF = (116929, 82677), (82677, 116929), (165354, 116929)


def _walk_column(agent, column: str) -> dict[tuple[int, ...], object]:  # type: ignore[no-untyped-def]
    prefix = parse_oid(column)
    found, oid = {}, prefix
    while (item := agent.get_next(oid)) is not None and item[0][:len(prefix)] == prefix:
        oid = item[0]
        found[oid[len(prefix):]] = item[1][1]
    return found


@pytest.mark.parametrize("name", ["hp-color-laserjet-m577", "kyocera-fs-6950dn",
                                  "hp-pagewide-785f", "lexmark-optra-t614n"])
def test_addressability_is_positions_per_10000_units(make_fleet: FleetFactory, name: str) -> None:
    fleet, _ = make_fleet([name])
    agent = fleet.lookup("127.30.0.1")
    resolution = fleet.printers[0].model.profile.identity.resolution
    assert resolution == 600
    marker = f"{PRT}.10.2.1"
    assert agent.get(parse_oid(f"{marker}.8.1.1")) == (INT, 3)  # tenThousandthsOfInches
    assert agent.get(parse_oid(f"{marker}.9.1.1")) == (INT, 600)  # 600 dpi, not 6000
    assert agent.get(parse_oid(f"{marker}.10.1.1")) == (INT, 600)


def test_orientation_and_path_widths_follow_the_engine(make_fleet: FleetFactory,
                                                      profiles: dict[str, Profile]) -> None:
    for name, profile in profiles.items():
        fleet, _ = make_fleet([name])
        agent = fleet.lookup("127.30.0.1")
        if agent is None:
            continue  # a printer switched off at 09:00 on Monday would be a profile bug
        feeds = _walk_column(agent, f"{PRT}.8.2.1.4")
        xfeeds = _walk_column(agent, f"{PRT}.8.2.1.5")
        sizes = {(1, t.index): t.size for t in profile.trays}
        for row, size in sizes.items():
            dims = (feeds[row], xfeeds[row])
            if size == "A4":
                assert dims == (A4_LEF if profile.a3 else A4_SEF), (name, row)
            if size == "A3":
                assert dims == A3_SEF, (name, row)
        widest = max(xfeeds.values())  # type: ignore[type-var]
        assert widest == (116929 if profile.a3 else 85000 if "Letter" in sizes.values()
                          else 82677), name  # no 297 mm wide path on an A4 engine
        if "prtMediaPathTable" in profile.quirks.missing:
            continue
        path_feed = agent.get(parse_oid(f"{PRT}.13.4.1.5.1.1"))[1]
        path_xfeed = agent.get(parse_oid(f"{PRT}.13.4.1.6.1.1"))[1]
        assert (path_feed, path_xfeed) == (max(feeds.values()), widest)  # type: ignore[type-var]
        min_feed = agent.get(parse_oid(f"{PRT}.13.4.1.7.1.1"))[1]
        assert min_feed <= min(feeds.values())  # type: ignore[operator, type-var]


def test_injected_alerts_change_the_state_they_describe(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577"])
    state, now = fleet.printers[0], fleet.sim.now()
    for position in range(len(state.levels)):
        state.set_supply_level(position, 0.8, now)
    state.refill_tray(1, now, 300)
    agent = fleet.lookup(state.address)
    level, status = parse_oid(f"{PRT}.8.2.1.10.1.2"), parse_oid(f"{PRT}.8.2.1.11.1.2")
    toner, cover = parse_oid(f"{PRT}.11.1.1.9.1.1"), parse_oid(f"{PRT}.6.1.1.3.1.1")
    empty = state.inject_alert("media_empty", 2, now)
    low = state.inject_alert("toner_low", 1, now)
    opened = state.inject_alert("cover_open", 1, now)
    agent = fleet.lookup(state.address)
    assert agent.get(level) == (INT, 0) and agent.get(status)[1] & 1  # unavailable
    assert agent.get(toner)[1] < 10  # under the low mark (percent)
    assert agent.get(cover) == (INT, 3)  # coverOpen
    assert len(state.alerts or ()) == 3  # one row each, not one from the state and one injected
    for alert in (empty, low, opened):
        state.resolve_alert(alert.index, now)
    agent = fleet.lookup(state.address)
    assert agent.get(level) == (INT, 300) and agent.get(status) == (INT, 0)
    assert agent.get(toner) == (INT, 80)
    assert agent.get(cover) == (INT, 4)
    assert state.alerts is None


@pytest.mark.parametrize(("hours", "sign", "offset"), [(2.0, b"+", (2, 0)), (-5.5, b"-", (5, 30)),
                                                       (0.0, b"+", (0, 0))])
def test_hr_system_date_is_local_time_with_its_offset(models: dict[str, PrinterModel],
                                                      hours: float, sign: bytes,
                                                      offset: tuple[int, int]) -> None:
    fleet = PrinterFleet([models["kyocera-fs-6950dn"]], 1, "127.30.0.1", ManualClock(),
                         start_epoch=MONDAY_9AM, simulate=False, utc_offset_hours=hours)
    agent = fleet.lookup("127.30.0.1")
    raw = agent.get(parse_oid("1.3.6.1.2.1.25.1.2.0"))[1]
    assert isinstance(raw, bytes) and len(raw) == 11
    local_minutes = 9 * 60 + int(hours * 60)
    assert (raw[4], raw[5]) == divmod(local_minutes % (24 * 60), 60)  # hour, minute
    assert raw[8:9] == sign and (raw[9], raw[10]) == offset


def test_supply_descriptions_are_the_vendors_words(profiles: dict[str, Profile]) -> None:
    descriptions = [s.description for p in profiles.values() for s in p.supplies]
    assert not [d for d in descriptions if "None" in d.split()]
    hp = [s.description for p in profiles.values() if p.vendor == "HP" for s in p.supplies]
    assert "Clean Document Feeder Rollers" in hp  # no part number: the name alone
    base = {"vendor": "HP", "model": "X", "enterprise": 11, "sys_object_id": "1.3.6.1.4.1.11.1",
            "sys_descr": "x", "color": False, "a3": False, "serial_format": "CN####",
            "mac_oui": "00:11:22", "trays": [{"name": "Tray 2", "capacity": 250}]}
    with pytest.raises(ProfileError, match="None"):
        profile_from_dict({**base, "supplies": [{"description": "Roller HP None", "type": "other",
                                                 "yield_pages": 100}]}, "x")


def test_every_profile_has_a_device_id_and_hp_and_lexmark_their_own_oids(
        make_fleet: FleetFactory, profiles: dict[str, Profile]) -> None:
    for name, profile in profiles.items():
        fleet, _ = make_fleet([name])
        agent = fleet.view_of(fleet.printers[0])
        kind, raw = agent.get(PPM_DEVICE_ID)
        assert kind == SnmpType.OCTET_STRING and isinstance(raw, bytes)
        fields = parse_device_id(raw.decode())
        assert fields["MFG"] == profile.vendor and fields["MDL"] and fields["CMD"], name
        hp = agent.get(HP_DEVICE_ID)
        assert (hp == (SnmpType.OCTET_STRING, raw)) == (profile.vendor == "HP"), name
        lexmark = agent.get(LEXMARK_DEVICE_ID)
        assert (lexmark[0] == SnmpType.OCTET_STRING) == (profile.vendor == "Lexmark"), name


def test_jetdirect_community_forms_answer_only_on_hp(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577", "kyocera-fs-6950dn"], 2)
    engine = SnmpEngine(fleet, SecurityConfig(["public"]))
    for community, hp_answers in (("public.1", True), ("public.2", False), ("public", True)):
        request = community_request(PduType.GET, [(HP_DEVICE_ID, NULL)], community)
        hp = engine.handle(request, "127.30.0.1", 0.0)
        kyocera = engine.handle(request, "127.30.0.2", 0.0)
        assert (hp is not None) == hp_answers, community
        assert (kyocera is not None) == (community == "public"), community
        if hp is not None:
            answer = decode_community_message(hp[0])
            assert answer.community == community.encode()  # echoed as sent
            assert parse_device_id(answer.pdu.varbinds[0][1][1].decode())["MFG"] == "HP"  # type: ignore[union-attr]
