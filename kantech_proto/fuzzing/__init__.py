"""Fuzzing helpers for a user's own harness (atheris, hypothesis, or a plain loop): the mutators
protolab's fuzz targets use, and seed corpora of valid messages.

- mutators, ``(data: bytes, seed: int) -> bytes`` (atheris's custom-mutator form; pure, so a
  hypothesis test can drive them with drawn seeds): ``mutate_bytes`` (libFuzzer-style edits;
  takes a ``random.Random``), ``IpFrameMutator(key, profile)`` with ``.mutate`` (edit the
  decrypted frame, re-encrypt, re-checksum) and ``.mutate_data`` (keep the header and command,
  edit the message data: event records, reload records ...), ``mutate_ip_frame`` (the former
  under ``FUZZ_KEY``), ``mutate_serial_frame`` (edit, then repair the loop checksum);
- corpora: ``ip_frame_seeds``, ``event_frame_seeds`` (frames under ``FUZZ_KEY`` or the user's
  codec), ``event_seeds``, ``reload_record_seeds``, ``serial_frame_seeds``; and the objects they
  encode: ``message_samples``, ``event_samples``, ``record_samples``.

``examples/fuzzing/`` has a harness that fuzzes a toy EVENT parser with both atheris and
hypothesis.
"""

from kantech_proto.fuzzing.corpora import (
    event_frame_seeds,
    event_seeds,
    ip_frame_seeds,
    message_samples,
    reload_record_seeds,
    serial_frame_seeds,
)
from kantech_proto.fuzzing.frame_mutators import (
    FUZZ_KEY,
    IpFrameMutator,
    mutate_ip_frame,
    mutate_serial_frame,
)
from kantech_proto.fuzzing.record_samples import event_samples, record_samples
from protolab.byte_edits import mutate_bytes

__all__ = [
    "FUZZ_KEY",
    "IpFrameMutator",
    "event_frame_seeds",
    "event_samples",
    "event_seeds",
    "ip_frame_seeds",
    "message_samples",
    "mutate_bytes",
    "mutate_ip_frame",
    "mutate_serial_frame",
    "record_samples",
    "reload_record_seeds",
    "serial_frame_seeds",
]
