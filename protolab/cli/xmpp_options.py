"""The XMPP options every program that talks to a portal shares, and what they build.

``protolab portal run`` uses the connection options; ``protolab monitor run`` adds the agent's
(``add_agent_xmpp_options``: --xmpp-jid, --xmpp-password-file, --xmpp-server, --portal-jid,
--ca, --drain-timeout) and builds its shipper with ``shipper_settings``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ekm_proto.shipping.agent_client import ShipperSettings
from ekm_proto.shipping.connection import ServerAddress, XmppSettings, check_jid
from protolab.cli.support import (
    EXIT_FAILURE,
    EXIT_OK,
    add_secret_option,
    host_port,
    secret_option,
)
from protolab.errors import ConfigurationError

AGENT_PASSWORD_ENV = "PROTOLAB_XMPP_PASSWORD"
DEFAULT_DRAIN_TIMEOUT = 60.0


def server_address(text: str) -> ServerAddress:
    """argparse type for ``HOST:PORT`` (STARTTLS) or ``tls:HOST:PORT`` (direct TLS, XEP-0368)."""
    direct = text.startswith("tls:")
    host, port = host_port("--xmpp-server")(text[4:] if direct else text)
    return ServerAddress(host, port, direct)


server_address.__name__ = "[tls:]HOST:PORT"


def add_server_options(parser: Any) -> None:
    parser.add_argument(
        "--xmpp-server", dest="xmpp_servers", action="append", type=server_address,
        metavar="HOST:PORT",
        help="XMPP server address, STARTTLS (prefix tls: for direct TLS); repeatable, tried in "
             "order when one is unreachable (default: the JID's domain on 5222, then tls:443)")
    parser.add_argument("--ca", type=Path, metavar="FILE",
                        help="CA certificate(s) the server's certificate must chain to "
                             "(default: the system's)")


def add_agent_xmpp_options(parser: argparse.ArgumentParser) -> None:
    """The monitor's shipping options (all optional: without --xmpp-jid nothing is shipped)."""
    group = parser.add_argument_group("shipping to the portal (XMPP)")
    group.add_argument("--xmpp-jid", metavar="JID", help="the agent's JID (user@domain)")
    add_secret_option(group, "--xmpp-password", env=AGENT_PASSWORD_ENV,
                      help="the agent's XMPP password")
    add_server_options(group)
    group.add_argument("--portal-jid", metavar="JID", help="the portal's JID")
    group.add_argument("--xmpp-admin", dest="xmpp_admins", action="append", default=[],
                       metavar="JID", help="a JID besides the portal allowed to send commands "
                                           "(repeatable)")
    group.add_argument("--customer", help="customer name shipped with every batch")
    group.add_argument("--drain-timeout", type=float, default=DEFAULT_DRAIN_TIMEOUT,
                       metavar="SECONDS",
                       help="with --once: how long to wait for the portal to acknowledge "
                            f"everything (default {DEFAULT_DRAIN_TIMEOUT:g}; exit 1 after it)")


def xmpp_settings(args: argparse.Namespace, jid: str, password_dest: str, what: str
                  ) -> XmppSettings:
    password = secret_option(args, password_dest, f"{what} XMPP password")
    if password is None:
        flag = "--" + password_dest.replace("_", "-")
        raise ConfigurationError(f"the {what} XMPP password is required: pass {flag}-file PATH")
    ca = args.ca
    if ca is not None and not Path(ca).is_file():
        raise ConfigurationError(f"--ca {ca}: no such file (the CA certificate)")
    return XmppSettings(check_jid(jid, f"the {what} JID"), password,
                        tuple(args.xmpp_servers or ()), ca)


def shipper_settings(args: argparse.Namespace) -> ShipperSettings | None:
    """The shipper's settings from the monitor's options; None without --xmpp-jid."""
    if not args.xmpp_jid:
        if args.portal_jid:
            raise ConfigurationError("--portal-jid needs --xmpp-jid (the agent's own JID)")
        return None
    if not args.portal_jid:
        raise ConfigurationError("--xmpp-jid needs --portal-jid (where to ship)")
    xmpp = xmpp_settings(args, args.xmpp_jid, "xmpp_password", "agent's")
    admins = tuple(check_jid(j, "--xmpp-admin") for j in args.xmpp_admins)
    return ShipperSettings(xmpp, check_jid(args.portal_jid, "--portal-jid"), admins,
                           customer=args.customer)


def drained_exit(remaining: int, timeout: float) -> int:
    """The exit code of ``--once`` once shipping ended: 0 when the portal acknowledged
    everything, else 1 with the count still waiting on stderr."""
    if remaining:
        print(f"error: {remaining} message{'s' if remaining != 1 else ''} still waiting for the "
              f"portal after {timeout:g} s (--drain-timeout)", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK
