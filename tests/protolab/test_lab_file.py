"""Lab description files: the shipped one is the demo lab written down, ``--check`` names what is
wrong (file, table, key, value, expectation), ``--config`` runs a small lab from a file."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from protolab.errors import ConfigurationError
from protolab.lab import EXAMPLE_SITE, LabSettings
from protolab.lab_file import SHIPPED_LAB, load_lab
from protolab.ports import free_port


def _protolab(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "protolab", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_the_shipped_lab_file_is_the_demo_lab() -> None:
    assert load_lab(SHIPPED_LAB) == LabSettings()
    result = _protolab("lab", "--check", str(SHIPPED_LAB))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (f"{SHIPPED_LAB}: ok: 2 KT-400, 2 KT-1, 1 IP-Link (loops "
                                     "of 3) on site 1; 4 printers")


def test_keys_left_out_keep_their_defaults_and_paths_are_relative(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "mine.toml").write_text(EXAMPLE_SITE.read_text())
    lab = tmp_path / "lab.toml"
    lab.write_text('[kantech]\nsite_file = "sites/mine.toml"\nkey = "k"\n'
                   '[kantech.devices]\nkt1 = 5\n[printers]\ncount = 0\n')
    settings = load_lab(lab)
    assert (settings.kt1, settings.kt400, settings.printers, settings.key) == (5, 2, 0, "k")
    assert settings.site_file == tmp_path / "sites" / "mine.toml"


def test_the_monitoring_chain_is_set_in_its_own_tables(tmp_path: Path) -> None:
    lab = tmp_path / "lab.toml"
    lab.write_text("[monitor]\nenabled = false\nalert-every = 90\n[portal]\nxmpp-port = 0\n")
    settings = load_lab(lab)
    assert (settings.monitoring, settings.alert_every, settings.xmpp_port) == (False, 90.0, 0)
    assert load_lab(SHIPPED_LAB).monitoring == LabSettings().monitoring


BAD = [
    ('[kantech]\nsite-id = "x"\n', "[kantech]: site_id = 'x': expected an integer from 0 to 65535",
     ("kantech", "site_id")),
    ("[kantech.devices]\nkt400 = -1\n", "[kantech.devices]: kt400 = -1: expected an integer",
     ("kantech.devices", "kt400")),
    ('[printers]\nfirst-address = "10.0.0.1"\n', "first_address = '10.0.0.1': expected a "
     "loopback IPv4 address", ("printers", "first_address")),
    ('[kantech]\nkey = "seventeen-chars-x"\n', "expected a string of at most 16 characters",
     ("kantech", "key")),
    ("[kantech]\npulse = 0\n", "pulse = 0: expected a positive number of seconds",
     ("kantech", "pulse")),
    ("[printers]\ncolour = true\n", "[printers]: unknown key colour; expected: ",
     ("printers", "colour")),
    ("[kitchen]\nsink = 1\n", "unknown key kitchen; expected: kantech, monitor, portal, printers",
     (None, "kitchen")),
    ('[kantech]\nsite-file = "nowhere.toml"\n', "nowhere.toml does not exist",
     ("kantech", "site_file")),
    ("[kantech.devices]\nkt400 = 0\nkt1 = 0\niplink = 0\n[printers]\ncount = 0\n",
     "the lab runs nothing", (None, None)),
    ("[kantech\n", "not valid TOML", (None, None)),
]


@pytest.mark.parametrize(("text", "message", "where"), BAD)
def test_a_bad_lab_file_is_refused_naming_table_and_key(
        tmp_path: Path, text: str, message: str, where: tuple[str | None, str | None]) -> None:
    lab = tmp_path / "lab.toml"
    lab.write_text(text)
    with pytest.raises(ConfigurationError) as caught:
        load_lab(lab)
    assert str(caught.value).startswith(f"{lab}: ")
    assert message in str(caught.value)
    assert (caught.value.source, caught.value.table, caught.value.key) == (str(lab), *where)


def test_a_broken_site_file_is_named_by_the_check(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text("[controller]\nmodel = \"kt9000\"\n")
    lab = tmp_path / "lab.toml"
    lab.write_text('[kantech]\nsite-file = "site.toml"\n')
    result = _protolab("lab", "--check", str(lab))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {tmp_path / 'site.toml'}: ")
    assert "kt9000" in result.stderr


def test_config_runs_the_lab_the_file_describes(tmp_path: Path) -> None:
    lab = tmp_path / "small.toml"
    lab.write_text(f"""
[kantech]
key = "small-lab"
site-id = 9
site-file = "{EXAMPLE_SITE}"
pulse = 1.0
first-address = "127.61.7.1"
gateway-port = 0
discovery-port = {free_port(kind=socket.SOCK_DGRAM)}
control-port = 0
swipe-every = 0.3

[kantech.devices]
kt400 = 1
kt1 = 1
iplink = 0

[printers]
count = 2
first-address = "127.61.8.1"
port = {free_port(kind=socket.SOCK_DGRAM)}
control-port = 0
""")
    result = _protolab("--log-json", "lab", "--config", str(lab), "--duration", "4",
                       timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    reloaded = {r["device"] for r in records if r["event"] == "controller reloaded"}
    assert reloaded == {"127.61.7.1", "127.61.7.2"}
    ready = [r for r in records if r["event"] == "emulate.ready"]
    assert ready and ready[0]["printers"] == 2 and ready[0]["first"] == "127.61.8.1"
    started = [r for r in records if r["event"] == "gateway listening"]
    assert started and started[0]["site_id"] == 9
