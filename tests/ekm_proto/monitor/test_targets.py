"""Where the agent looks: ranges, networks, points and CSV asset lists, parsed strictly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ekm_proto.monitor.targets import Asset, candidates, parse_range, read_assets
from protolab.errors import ConfigurationError


def test_ranges_networks_and_points() -> None:
    assert parse_range("192.168.1.10-192.168.1.12") == ("192.168.1.10", "192.168.1.11",
                                                        "192.168.1.12")
    assert parse_range("10.0.0.250-252") == ("10.0.0.250", "10.0.0.251", "10.0.0.252")
    assert len(parse_range("10.1.0.0/24")) == 254  # hosts: no network, no broadcast
    assert parse_range("10.1.0.7/32") == ("10.1.0.7",)
    assert list(candidates(["127.0.0.1-3"], ["127.0.0.2", "127.0.0.9"])) == [
        "127.0.0.2", "127.0.0.9", "127.0.0.1", "127.0.0.3"]


@pytest.mark.parametrize(("text", "words"), [
    ("10.0.0.9-10.0.0.1", "first address before the last"), ("10.0.0.1", "expected A-B"),
    ("10.0.0.0/8", "at most"), ("printer-1-printer-9", "IP address"),
    ("10.0.0.1-::1", "first address before the last"), ("10.0.0/33", "network")])
def test_bad_ranges_say_what_was_expected(text: str, words: str) -> None:
    with pytest.raises(ConfigurationError, match=words):
        parse_range(text)


def test_an_asset_list(tmp_path: Path) -> None:
    path = tmp_path / "assets.csv"
    path.write_text("IP Address,Serial Number,Asset Number,Zone\n"
                    "192.168.1.80,14848IDQ00327E,ID 1234,London\n\n192.168.1.88,,,\n")
    assert read_assets(path) == [Asset("192.168.1.80", "14848IDQ00327E", "ID 1234", "London"),
                                 Asset("192.168.1.88")]
    path.write_text("serial,zone\nX,Y\n")
    with pytest.raises(ConfigurationError, match="no address column"):
        read_assets(path)
    path.write_text("address\nnot-an-address\n")
    with pytest.raises(ConfigurationError, match=r"assets.csv:2: .*IP address"):
        read_assets(path)
    with pytest.raises(ConfigurationError, match="cannot read"):
        read_assets(tmp_path / "missing.csv")


@given(st.text(max_size=40))
def test_any_range_text_parses_or_is_a_configuration_error(text: str) -> None:
    try:
        addresses = parse_range(text)
    except ConfigurationError:
        return
    assert len(addresses) <= 1 << 20
