"""Options every ``protolab kantech`` command shares: the site key, given as a secret.

``--key-file PATH`` comes first (a flag is visible to every user of the machine through ``ps``),
then ``$PROTOLAB_KANTECH_KEY``, then ``--key TEXT``.
"""

from __future__ import annotations

import argparse

from kantech_proto.errors import ConfigurationError
from protolab.cli.support import add_secret_option, secret_option
from tools.capture.capture_tap import CaptureTap

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


def add_capture_options(parser: argparse.ArgumentParser) -> None:
    """``--pcap FILE`` and ``--pcap-decrypted FILE``: what the command sends and receives."""
    parser.add_argument("--pcap", default=None, metavar="FILE",
                        help="write every frame sent and received to this pcap file (Ethernet, "
                             "IP and UDP/TCP headers; serial-loop bytes on UDP port 18899)")
    parser.add_argument("--pcap-decrypted", default=None, metavar="FILE",
                        help="also write the decrypted twin: each frame's plaintext in place of "
                             "its ciphertext (sync byte 0x9A); needs the site key")


def open_capture(args: argparse.Namespace, key: str | None) -> CaptureTap | None:
    """The tap for ``--pcap`` / ``--pcap-decrypted`` (None when neither was given)."""
    if args.pcap is None and args.pcap_decrypted is None:
        return None
    return CaptureTap.open(args.pcap, decrypted=args.pcap_decrypted, key=key)
