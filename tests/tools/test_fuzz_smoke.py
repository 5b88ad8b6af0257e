"""Every fuzz target over its seed corpus plus deterministic mutations: the invariant holds in CI."""

import pytest

from tools.fuzz.smoke import FuzzFinding, load_target, smoke, target_names

TARGETS = target_names()


def test_there_is_a_target_for_each_kantech_parser():
    assert {"ip_frame", "serial_frame", "smartlink", "reload_records",
            "controller_events", "tftp_packet"} <= set(TARGETS)


@pytest.mark.fuzz_smoke
@pytest.mark.parametrize("name", TARGETS)
def test_target_survives_its_corpus_and_mutations(name):
    module = load_target(name)
    seeds = module.seeds()
    assert seeds, f"{name} has no seed corpus"
    for seed in seeds:
        module.TestOneInput(seed)  # seeds are valid inputs: they must decode
    assert smoke(module, mutations_per_seed=150) > len(seeds)


def test_smoke_reports_a_broken_target():
    class Broken:
        __name__ = "broken"

        @staticmethod
        def seeds():
            return [b"\x01"]

        @staticmethod
        def TestOneInput(data):
            raise KeyError("escaped")

    with pytest.raises(FuzzFinding, match="KeyError"):
        smoke(Broken, mutations_per_seed=1)  # type: ignore[arg-type]
