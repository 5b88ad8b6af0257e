"""Every TOML file a user writes (bandwidth site, gateway site, printer profile, lab file, fleet
file, portal rules, monitor configuration), with
one value changed to something wrong (another type, a size no hardware has, NaN, an empty
list) or a key dropped: it loads, or it is refused with a ConfigurationError, never another
exception, and what loads is usable (a site is planned and printed, a profile compiled and
served).
"""

from __future__ import annotations

import copy
import datetime
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ekm_proto.monitor.settings import load_settings
from ekm_proto.portal.rules import load_rules
from emulators.kantech.fleet_config import build_fleet, load_fleet_file
from emulators.kantech_gateway.reload_plan import plan_frames, plan_reload
from emulators.kantech_gateway.site_description import load_site as load_gateway_site
from emulators.printers.catalog import compile_profile
from emulators.printers.fleet import PrinterFleet
from emulators.printers.profiles import PROFILE_DIR, load_profile
from emulators.printers.snmprec import format_snmprec, walk
from kantech_proto.ip_frame import IpFrameCodec
from protolab.clock import ManualClock
from protolab.config_file import load_toml
from protolab.errors import ConfigurationError
from protolab.lab_file import load_lab
from tests.emulators.printers.fleets import MONDAY_9AM
from tools.bandwidth.plan_render import plan_json, plan_text
from tools.bandwidth.planner import plan_site
from tools.bandwidth.site import load_site as load_bandwidth_site

REPO = Path(__file__).resolve().parents[2]
FLEET_TOML = """
[defaults]
site-id = 3
pulse = 5.0
replay = "window"

[[devices]]
model = "kt400"
count = 2

[[devices]]
model = "iplink"
loop-size = 3

[[devices]]
model = "KT-1"
address = "127.20.9.1"
firmware = "2.1.7"
"""
MONITOR_TOML = """
[agent]
db = "monitor.db"
time_zone = "Europe/London"
unavailable_after = 60
web_port = 8080

[agent.working_hours]
start = "07:30"
end = "19:00"
days = ["Mon", "Tue", "Wed", "Thu", "Fri"]

[agent.intervals]
alert = [3, 15]
tray = [480, 480]

[snmp]
timeout = 1.5
retries = 2
max_in_flight = 64

[discovery]
ranges = ["127.30.0.1-127.30.0.20"]
points = ["127.31.0.1"]

[[credentials]]
community = "public"

[[credentials]]
user = "monitor"
auth_key = "monitor-auth-key"
priv_key = "monitor-priv-key"
"""
WRONG: tuple[Any, ...] = (0, -1, 1, 2**31, 2**63 - 1, -(2**63), 1.5, -0.0, math.nan, math.inf,
                          True, "", "x", "-1", "KT-9000", [], [0], [""], {}, {"a": 1})


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value == math.inf else
                                                  "-inf" if value == -math.inf else repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + "}"


def toml_text(document: dict[str, Any]) -> str:
    """Any parsed document written back (every table inline: TOML 1.0 allows it anywhere)."""
    return "\n".join(f'"{key}" = {_toml_value(value)}' for key, value in document.items()) + "\n"


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(node, list) and node:
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))]
    return [path]


def mutated(document: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One leaf replaced by a wrong value, or dropped (a table key only)."""
    changed: dict[str, Any] = copy.deepcopy(document)
    path = rng.choice(_leaves(changed))
    if not path:
        return changed
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    if isinstance(parent, dict) and rng.random() < 0.2:
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(rng.choice(WRONG))
    return changed


def _use_bandwidth_site(path: Path) -> None:
    plan = plan_site(load_bandwidth_site(path))
    plan_text(plan)
    plan_json(plan)


def _use_gateway_site(path: Path) -> None:
    """Parsed, then every reload frame encoded, as ``gateway reload --dry-run`` shows them."""
    site = load_gateway_site(path)
    when = datetime.datetime(2026, 3, 2, 9, 0)
    plan = plan_reload(site.reload_groups(when, site_id=1))
    plan_frames(plan, IpFrameCodec(b"protolab-tests"), 1, bytes(6))


def _use_profile(path: Path) -> None:
    """Compiled, made into a printer and walked whole, as ``printers emulate`` would serve it."""
    fleet = PrinterFleet([compile_profile(load_profile(path))], 1, "127.30.0.1",
                         ManualClock(1000.0), start_epoch=MONDAY_9AM)
    format_snmprec(walk(fleet.view_of(fleet.printers[0])))


def _readme_rules() -> str:
    """The rules file the README shows (its first TOML block after "The rules file")."""
    readme = (REPO / "README.md").read_text()
    start = readme.index("```toml", readme.index("**The rules file**")) + len("```toml")
    return readme[start:readme.index("```", start)]


def _use_fleet(path: Path) -> None:
    assert build_fleet(fleet=load_fleet_file(path))


FILES: dict[str, tuple[Path, Callable[[Path], object]]] = {
    "bandwidth site": (REPO / "tools/bandwidth/examples/paper-example.toml", _use_bandwidth_site),
    "gateway site": (REPO / "emulators/kantech_gateway/examples/site.toml", _use_gateway_site),
    "printer profile": (PROFILE_DIR / "hp-color-laserjet-m577.toml", _use_profile),
    "lab file": (REPO / "protolab/labs/demo.toml", load_lab),
    "fleet file": (Path("fleet.toml"), _use_fleet),
    "portal rules": (Path("rules.toml"), load_rules),
    "monitor configuration": (Path("monitor.toml"), load_settings),
}
WRITTEN = {"fleet file": FLEET_TOML, "monitor configuration": MONITOR_TOML}


@pytest.mark.parametrize("kind", sorted(FILES))
def test_one_wrong_value_loads_or_is_a_configuration_error(kind: str, tmp_path: Path) -> None:
    example, use = FILES[kind]
    if not example.is_absolute():  # written here (or the README's): in the test's folder
        example = tmp_path / example
        example.write_text(WRITTEN.get(kind) or _readme_rules())
        (tmp_path / "smtp.secret").write_text("mail-password")  # the rules' password-file
    document = load_toml(example, kind).data
    if kind == "lab file":  # its paths are relative to its folder, which the copies are not in
        site = document["kantech"]["site-file"]
        document["kantech"]["site-file"] = str((example.parent / site).resolve())
    (tmp_path / "as-written.toml").write_text(toml_text(document))
    use(tmp_path / "as-written.toml")  # the writer keeps the example valid
    rng = random.Random(kind)
    refused = 0
    for attempt in range(300):
        path = tmp_path / f"{attempt}.toml"
        path.write_text(toml_text(mutated(document, rng)))
        try:
            use(path)
        except ConfigurationError as exc:
            assert str(exc), path.read_text()
            refused += 1
        except Exception as exc:
            pytest.fail(f"{kind}: {type(exc).__name__}: {exc}\n{path.read_text()}")
    assert refused > 50, "the mutations reach the checks"
