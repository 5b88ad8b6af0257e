"""The one root every protolab package roots its error hierarchy in.

Callers that drive several packages (a lab harness, the CLI) catch ``ProtolabError`` once and know
that anything else escaping is a bug, not bad input.
"""


class ProtolabError(Exception):
    """Base of every error protolab raises on purpose."""
