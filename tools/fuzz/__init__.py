"""Fuzz harnesses: one atheris ``TestOneInput`` target per parser.

Conventions every target module in ``tools/fuzz/targets/`` follows:

- ``TestOneInput(data: bytes) -> None`` feeds the parser; the package's declared decode error is
  swallowed, anything else escapes (that is the finding).
- ``seeds() -> list[bytes]`` returns valid inputs built with the encoders, the seed corpus.
- optionally ``mutate(data: bytes, seed: int) -> bytes`` (atheris custom mutator form) that keeps
  outer integrity layers (checksum, encryption) valid so mutations reach the inner parser.

``python -m tools.fuzz TARGET`` runs atheris on a target; ``tools.fuzz.smoke`` runs all targets
over their seeds plus deterministic mutations for CI.
"""
