"""Site files: missing counts are 0, anything wrong is one error naming file, table and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from protolab.errors import ConfigurationError
from tools.bandwidth.site import Site, load_site


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text)
    return path


def test_missing_keys_count_zero_and_defaults_are_documented(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, "controllers = 2\ndoors = 3\n"))
    assert site == Site(controllers=2, doors=3)
    assert (site.gateway, site.controller_model, site.cards, site.floors) == (
        "multi-site", "KT-400", 0, 0)


def test_dashes_and_underscores_are_the_same_key(tmp_path: Path) -> None:
    assert load_site(write(tmp_path, "tcpip-sites = 3\n")).tcpip_sites == 3


@pytest.mark.parametrize(("text", "expected"), [
    ("bogus = 1\n", r"unknown key bogus; expected: .*access_levels"),
    ('gateway = "corporate"\n', r"gateway = 'corporate': expected one of multi-site, global"),
    ('controller_model = "KT-9"\n', r"controller_model = 'KT-9': expected one of KT-100"),
    ('cards = "200"\n', r"cards = '200': expected an integer from 0"),
    ("cards = -1\n", r"cards = -1: expected an integer from 0"),
    ("cards = 1.5\n", r"cards = 1.5: expected an integer"),
    ("relays = 4\n", r"controllers is missing: expected at least 1 controller to hold the 4 "
                     r"relays"),
    ("[reference]\ntotal = 1\n", r"\[reference\]: unknown key total; expected: "
                                 r"controller_reload_per_controller"),
    ("[reference]\ngateway_reload_total = 'x'\n", r"\[reference\]: gateway_reload_total"),
    ("reference = 3\n", r"reference = 3: expected a table"),
    ("doors = \n", r"not valid TOML"),
])
def test_bad_site_files_name_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigurationError, match=expected) as info:
        load_site(path)
    assert str(path) in str(info.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no such site file"):
        load_site(tmp_path / "nope.toml")


def test_reference_figures_are_read(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, '[reference]\nsource = "measured"\n'
                                     'idle_bytes_per_second = 4078\nnotes = ["a"]\n'))
    assert site.reference is not None
    assert (site.reference.source, site.reference.figures, site.reference.notes) == (
        "measured", {"idle_bytes_per_second": 4078}, ("a",))
