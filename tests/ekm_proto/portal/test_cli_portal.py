"""``protolab portal report`` and ``chart`` on a portal database, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from matplotlib.image import imread

from ekm_proto.portal.intake import Intake
from ekm_proto.portal.rules import PortalRules
from ekm_proto.portal.store import PortalStore
from protolab.cli.main import main
from tests.ekm_proto.portal.intake_helpers import AGENT, batch
from tests.ekm_proto.xmpp_lab import DAY, JULY_13_2020, alert, asset, meters


@pytest.fixture
def database(portal_db: str) -> str:
    path = portal_db
    store = PortalStore(path)
    readings = [(f"m{i}", meters("MXCK751Y", JULY_13_2020 - (5 - i) * 30 * DAY,
                                 {"Mono A4": 1000 * i, "Colour A4": 300 * i, "Colour A3": 20 * i}))
                for i in range(6)]
    Intake(store, PortalRules()).take(AGENT, "b1", batch(
        ("a1", asset("MXCK751Y")), ("a2", asset("CN84CHX00P", model="PageWide Pro 477dw")),
        ("al", alert("MXCK751Y", key="7")), *readings), JULY_13_2020)
    store.close()
    return path


def test_assets_as_one_json_array(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["portal", "report", "assets", "--db", str(database), "--json"]) == 0
    devices = json.loads(capsys.readouterr().out)
    assert [d["serial"] for d in devices] == ["CN84CHX00P", "MXCK751Y"]
    for device in devices:
        assert {"serial", "manufacturer", "model", "address", "mac", "agent", "last_seen"} <= set(
            device)
    assert devices[1]["agent"] == AGENT and devices[1]["mac"] == "F430B96F9213"


@pytest.mark.parametrize("kind", ["assets", "meters", "alerts", "consumables"])
def test_every_report_as_csv(database: str, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.csv"
    assert main(["portal", "report", kind, "--db", str(database), "--csv", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    expected = {"assets": 2, "meters": 6, "alerts": 1, "consumables": 0}[kind]
    assert len(rows) == expected
    if kind == "meters":
        assert [r["month"] for r in rows][-1] == "2020-07"
        assert rows[-1]["total_a4"] == str(1000 + 300 + 40)
    if kind == "alerts":
        assert (rows[0]["alert_class"], rows[0]["severity"]) == ("Jam", "Critical")


def test_a_table_for_people(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["portal", "report", "alerts", "--db", str(database)]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split()[:3] == ["date", "serial", "customer"] and "Untrained" in row


def test_the_monthly_usage_chart(database: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "usage.png"
    assert main(["portal", "chart", "MXCK751Y", "--db", str(database), "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width, _ = imread(out).shape
    assert (width, height) == (800, 400)
    assert "6 months of usage for MXCK751Y" in capsys.readouterr().out


def test_mistakes_are_one_line_and_exit_2(database: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["portal", "chart", "NOPE", "--db", str(database), "--out",
                 str(tmp_path / "x.png")]) == 2
    assert "no meter readings for NOPE (unknown device)" in capsys.readouterr().err
    assert main(["portal", "report", "assets", "--db", str(tmp_path / "none.db")]) == 2
    assert "no such portal database" in capsys.readouterr().err
    assert main(["portal", "report", "weather", "--db", str(database)]) == 2


def test_portal_run_needs_its_password_and_a_readable_rules_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROTOLAB_PORTAL_PASSWORD", raising=False)
    base = ["portal", "run", "--jid", "portal@xmpp.test", "--db", str(tmp_path / "p.db")]
    assert main(base) == 2
    assert "the portal's XMPP password is required: pass --password-file PATH" in (
        capsys.readouterr().err)
    secret = tmp_path / "portal.secret"
    secret.write_text("x\n")
    rules = tmp_path / "rules.toml"
    rules.write_text("[[rules]]\ncategories = ['jam']\ndestinations = ['nowhere']\n")
    assert main([*base, "--password-file", str(secret), "--rules", str(rules)]) == 2
    assert f"{rules}: [rules #1]: destinations" in capsys.readouterr().err
    assert main([*base, "--password-file", str(secret), "--ca", str(tmp_path / "no.pem")]) == 2
    assert "no such file (the CA certificate)" in capsys.readouterr().err
