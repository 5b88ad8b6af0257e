"""CUPS and HPLIP against the emulated printers, in a network namespace where the printers use
UDP 161 and TCP 9100 (all these clients know): CUPS' snmp backend discovers every profile with its
make, model and IEEE 1284 id; a job through CUPS' socket backend is counted in prtMarkerLifeCount
and CUPS reports the marker levels; ``hp-makeuri -c`` builds a URI for every HP profile."""

from __future__ import annotations

import math
import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from ekm_proto.printer_mib.device_ids import parse_device_id
from emulators.printers.profiles import Profile, load_profiles
from tests.emulators.printers.netns_lab import NetnsLab, start_lab

BACKENDS = Path("/usr/lib/cups/backend")
PROFILES = load_profiles()
JOB = (b"%!PS-Adobe-3.0\n%%Pages: 3\n/Helvetica findfont 24 scalefont setfont\n"
       + b"".join(b"72 720 moveto (page %d) show showpage\n" % n for n in (1, 2, 3))
       + b"%%EOF\n")
PPD = """*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "PROTOLAB.PPD"
*Manufacturer: "protolab"
*Product: "(protolab)"
*ModelName: "protolab printer"
*ShortNickName: "protolab printer"
*NickName: "protolab printer"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: True
*DefaultColorSpace: RGB
*cupsSNMPSupplies: True
*OpenUI *PageSize: PickOne
*DefaultPageSize: A4
*PageSize A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*DefaultImageableArea: A4
*ImageableArea A4: "18 18 577 824"
*DefaultPaperDimension: A4
*PaperDimension A4: "595 842"
"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NetnsLab]:
    for backend in ("snmp", "socket"):
        if not (BACKENDS / backend).exists():
            pytest.fail(f"CUPS' {backend} backend is missing: run `make test`, which installs "
                        "Debian's 'cups-daemon' package", pytrace=False)
    try:
        started = start_lab(tmp_path_factory.mktemp("netns"), len(PROFILES))
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        for printer in started.api("/printers")["printers"]:  # type: ignore[index]
            # awake, and never dropping a request: CUPS asks each OID once, without retries
            started.api(f"/printers/{printer['id']}/power-save", "DELETE")
            started.api(f"/printers/{printer['id']}/quirks", "POST", {"drop_rate": 0})
        yield started
    finally:
        started.stop()


def _cups_env(folder: Path) -> dict[str, str]:
    """No snmp.conf of the host's: CUPS uses its default community (public)."""
    folder.mkdir(exist_ok=True)
    return dict(os.environ, CUPS_SERVERROOT=str(folder), CUPS_CACHEDIR=str(folder),
                CUPS_MAX_RUN_TIME="20")


def test_the_snmp_backend_discovers_every_profile(lab: NetnsLab, tmp_path: Path) -> None:
    printers = lab.api("/printers")["printers"]  # type: ignore[index]
    env = _cups_env(tmp_path / "cups")
    running = {p["address"]: lab.popen([str(BACKENDS / "snmp"), p["address"]], env)
               for p in printers}
    for printer in printers:
        out, err = running[printer["address"]].communicate(timeout=60)
        profile: Profile = PROFILES[printer["profile"]]
        lines = [line for line in out.splitlines() if line.startswith("network ")]
        assert len(lines) == 1, (printer["profile"], out, err[-500:])
        uri, make_model, _info, device_id, _location = shlex.split(lines[0])[1:6]
        assert uri == f"socket://{printer['address']}"
        fields = parse_device_id(device_id)
        assert fields["MFG"] == profile.vendor and fields["MDL"] == profile.identity.model
        assert fields["CMD"] == profile.identity.command_set
        expected = profile.identity.model if profile.identity.model.startswith(
            profile.vendor) else f"{profile.vendor} {profile.identity.model}"
        assert make_model == expected, printer["profile"]


def test_a_job_through_the_socket_backend(lab: NetnsLab, tmp_path: Path) -> None:
    hp = next(p for p in lab.api("/printers")["printers"]  # type: ignore[index]
              if p["profile"] == "hp-color-laserjet-m577")
    before = lab.api(f"/printers/{hp['id']}")
    job, ppd = tmp_path / "job.ps", tmp_path / "printer.ppd"
    job.write_bytes(JOB)
    ppd.write_text(PPD)
    env = dict(_cups_env(tmp_path / "cups"), DEVICE_URI=f"socket://{hp['address']}", PPD=str(ppd))
    done = lab.run([str(BACKENDS / "socket"), "1", "user", "title", "1", "", str(job)], env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "PAGE: total 3" in done.stderr.splitlines()
    after = lab.api(f"/printers/{hp['id']}")
    assert after["engine_cycles"] == before["engine_cycles"] + 3  # type: ignore[index]
    levels = re.findall(r"^ATTR: marker-levels=(.*)$", done.stderr, re.M)[-1].split(",")
    supplies = after["supplies"]  # type: ignore[index]
    assert len(levels) == len(supplies)
    for level, supply in zip(levels, supplies, strict=True):
        # CUPS' own arithmetic: percent of max capacity, receptacles inverted
        percent = math.ceil(supply["remaining_percent"] - 1e-9)
        expected = 100 - percent if supply["class"] == "receptacle" else percent
        assert abs(int(level) - expected) <= 1, supply


def test_hp_makeuri_builds_a_uri_for_every_hp_profile(lab: NetnsLab) -> None:
    hps = [p for p in lab.api("/printers")["printers"]  # type: ignore[index]
           if PROFILES[p["profile"]].vendor == "HP"]
    assert len(hps) == 5
    for printer in hps:
        done = lab.run(["hp-makeuri", "-c", printer["address"]])
        model = PROFILES[printer["profile"]].identity.model.replace(" ", "_")
        assert done.stdout.strip().splitlines()[-1] == f"hp:/net/{model}?ip={printer['address']}", (
            printer["profile"], done.stdout, done.stderr)
