"""Fuzzed SNMP datagrams for a live agent: ``ekm_proto.fuzzing``'s public mutator, as the
campaign's inputs."""

from __future__ import annotations

from ekm_proto.fuzzing import SnmpMessageMutator
from ekm_proto.snmp.manager.targets import Target
from tools.netfuzz.fuzz_input import FuzzInput

SYSTEM: tuple[int, ...] = (1, 3, 6, 1, 2, 1, 1)


class SnmpInputs:
    """The inputs of one campaign against ``target`` (``seed`` makes it repeatable)."""

    def __init__(self, target: Target, seed: int) -> None:
        self._mutator = SnmpMessageMutator(target, seed)

    def next_input(self) -> FuzzInput:
        message = self._mutator.next_message()
        return FuzzInput(message.data, message.kind, message.note)
