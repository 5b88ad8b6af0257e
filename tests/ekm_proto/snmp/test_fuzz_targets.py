"""What the SNMP fuzz targets' seeds and mutators must be for fuzzing to reach past the front
door (tests/tools/test_fuzz_smoke.py runs every target over its corpus)."""

from __future__ import annotations

from tools.fuzz.smoke import load_target


def test_snmp_seeds_are_answered() -> None:
    """Seeds that the engine drops would only fuzz the front door."""
    module = load_target("snmp_message")
    engine = module._engine()
    for seed in module.seeds():
        answer = engine.handle(seed, module.ADDRESS, module.NOW)
        v1_bulk = seed[2:5] == b"\x02\x01\x00" and b"\xa5" in seed[:20]
        assert (answer is None) == v1_bulk, seed.hex()  # GETBULK is no SNMPv1 PDU


def test_v3_mutator_keeps_messages_authentic() -> None:
    module = load_target("snmp_message")
    engine = module._engine()
    v3_seeds = [seed for seed in module.seeds() if seed[2:5] == b"\x02\x01\x03"]
    mutated = [module.mutate(seed, i) for i, seed in enumerate(v3_seeds * 20)]
    for data in mutated:
        engine.handle(data, module.ADDRESS, module.NOW)
    assert engine.stats.usm["wrongDigests"] == 0
    assert engine.stats.answered > len(mutated) // 4


def test_manager_seeds_complete_their_requests() -> None:
    """Seeds the manager drops would only fuzz its front door: each must answer a request."""
    module = load_target("snmp_manager")
    answered = 0
    for seed in module.seeds():
        manager, _handles = module._manager()
        manager.datagrams_to_send()
        for target in module.TARGETS:
            manager.receive(seed, target.address, module.NOW)
        # a result, or what it released: the v1 re-send, the request discovery held back
        answered += manager.next_event() is not None or bool(manager.datagrams_to_send())
    assert answered == len(module.seeds()) == 4


def test_manager_mutator_keeps_answers_authentic() -> None:
    module = load_target("snmp_manager")
    v3 = [seed for seed in module.seeds() if seed[2:5] == b"\x02\x01\x03"]
    assert v3
    for i, seed in enumerate(v3 * 10):
        mutated = module.mutate(seed, i)
        manager, _handles = module._manager()
        manager.datagrams_to_send()
        for target in module.TARGETS:
            manager.receive(mutated, target.address, module.NOW)
        assert manager.stats.unverified == 0 or mutated[2:5] != b"\x02\x01\x03"
