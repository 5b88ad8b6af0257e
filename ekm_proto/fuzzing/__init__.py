"""Fuzzing helpers for SNMP parsers, public: ``SnmpMessageMutator(target, seed)`` with
``.next_message()`` (a ``MutatedMessage``: ``data``, ``kind``, ``note``), and ``mutate_bytes``
(libFuzzer-style byte edits). The Kantech mutators and corpora are in ``kantech_proto.fuzzing``.
"""

from ekm_proto.fuzzing.snmp_messages import MutatedMessage, SnmpMessageMutator
from protolab.byte_edits import mutate_bytes

__all__ = ["MutatedMessage", "SnmpMessageMutator", "mutate_bytes"]
