"""Options every ``protolab kantech`` command shares: the site key, given as a secret.

``--key-file PATH`` comes first (a flag is visible to every user of the machine through ``ps``),
then ``$PROTOLAB_KANTECH_KEY``, then ``--key TEXT``.
"""

from __future__ import annotations

import argparse

from kantech_proto.errors import ConfigurationError
from protolab.cli.support import add_secret_option, secret_option

KEY_ENV = "PROTOLAB_KANTECH_KEY"


def add_key_option(parser: argparse.ArgumentParser) -> None:
    """``--key-file``, ``--key`` and ``$PROTOLAB_KANTECH_KEY`` for the site's AES key text."""
    add_secret_option(parser, "--key", env=KEY_ENV, help="the site's AES key")


def site_key(args: argparse.Namespace, *, required_for: str | None = None) -> str | None:
    """The key from ``--key-file``, ``$PROTOLAB_KANTECH_KEY`` or ``--key``; ConfigurationError
    saying how to give it when ``required_for`` names what needs it and none was given."""
    key = secret_option(args, "key", "site key")
    if key is None and required_for is not None:
        raise ConfigurationError(f"the site key is required {required_for}: pass --key-file "
                                 f"PATH (or set ${KEY_ENV}, or pass --key TEXT)")
    return key
