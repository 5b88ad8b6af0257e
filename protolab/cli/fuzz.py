"""``protolab fuzz kantech|snmp``: fuzz a live target over the network and stop at the first sign
of death (the liveness probe after a batch goes unanswered), saving the last inputs.

Exit 0: every input sent, the target still answers. Exit 1: the target stopped answering; the
reproducer is in ``--out``. Exit 2: bad options, or a target that did not answer to begin with.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from ekm_proto.monitor.credentials import community, v3_user
from ekm_proto.snmp.manager.targets import Target
from kantech_proto.codes import Port
from protolab.cli.kantech_options import add_key_option, site_key
from protolab.cli.support import (
    EXIT_FAILURE,
    EXIT_OK,
    add_v3_user_options,
    host_port,
    v3_user_option,
)
from protolab.errors import ConfigurationError
from tools.netfuzz.campaign import CampaignResult
from tools.netfuzz.kantech_inputs import ROLES
from tools.netfuzz.sender import fuzz_kantech, fuzz_snmp


def register(groups: Any) -> None:
    fuzz = groups.add_parser("fuzz", help="fuzz a live Kantech device or gateway, or an SNMP "
                                          "agent, over the network")
    commands = fuzz.add_subparsers(dest="fuzz_command", metavar="TARGET")
    commands.required = True

    kantech = commands.add_parser("kantech", help="mutated 0x99 frames to a device or gateway")
    kantech.add_argument("--target", required=True, metavar="ADDR:PORT",
                         type=host_port("--target", int(Port.GATEWAY_TO_DEVICE_UDP)),
                         help="the device (port 18810) or gateway (port 18801) to fuzz")
    add_key_option(kantech)
    kantech.add_argument("--site-id", type=lambda t: int(t, 0), required=True,
                         help="the site id the target belongs to")
    kantech.add_argument("--as", dest="role", choices=ROLES, default="device",
                         help="device (default): the target is a device and we play its "
                              "gateway; gateway: the target is a gateway and we play a device")
    kantech.add_argument("--timeout", type=float, default=1.0,
                         help="seconds per liveness attempt (3 attempts)")
    _common(kantech)
    kantech.set_defaults(handler=_kantech)

    snmp = commands.add_parser("snmp", help="mutated SNMP requests to an agent")
    snmp.add_argument("--target", required=True, metavar="ADDR:PORT",
                      type=host_port("--target", 161), help="the agent (port 161 by default)")
    snmp.add_argument("--community", default=None, metavar="C",
                      help="SNMPv2c community (public when no credential is given)")
    snmp.add_argument("--v1-community", default=None, metavar="C", help="SNMPv1 community")
    add_v3_user_options(snmp)
    _common(snmp)
    snmp.set_defaults(handler=_snmp)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--count", type=int, default=10_000, help="inputs to send (10,000)")
    parser.add_argument("--seed", type=int, default=0, help="the same seed sends the same inputs")
    parser.add_argument("--batch", type=int, default=100,
                        help="inputs between two liveness probes (100)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"), metavar="DIR",
                        help="where the reproducer goes when the target dies (fuzz-findings)")


def _check(args: argparse.Namespace) -> None:
    if args.count < 1 or args.batch < 1:
        raise ConfigurationError(f"--count {args.count} and --batch {args.batch}: expected at "
                                 "least 1 each")


def _kantech(args: argparse.Namespace) -> int:
    _check(args)
    key = site_key(args, required_for="to encrypt the fuzzed frames")
    assert key is not None
    result = asyncio.run(fuzz_kantech(args.target, key, args.site_id, args.role,
                                      count=args.count, seed=args.seed, out=args.out,
                                      batch=args.batch, timeout=args.timeout))
    return _report(result)


def _snmp(args: argparse.Namespace) -> int:
    _check(args)
    host, port = args.target
    given = [flag for flag, value in (("--community", args.community),
                                      ("--v1-community", args.v1_community),
                                      ("--v3-user", args.v3_user)) if value]
    if len(given) > 1:
        raise ConfigurationError(f"{' and '.join(given)}: expected one credential")
    user = v3_user_option(args)
    if user is not None:
        credential = v3_user(user.name, auth_key=user.auth_key, priv_key=user.priv_key,
                             auth_protocol=user.auth_protocol, priv_protocol=user.priv_protocol)
    elif args.v1_community:
        credential = community(args.v1_community, 1, "v1")
    else:
        credential = community(args.community or "public", 1)
    target = Target(host, port, credential.security)
    result = asyncio.run(fuzz_snmp(target, count=args.count, seed=args.seed, out=args.out,
                                   batch=args.batch))
    return _report(result)


def _report(result: CampaignResult) -> int:
    print(json.dumps(result.as_json()))
    if result.alive:
        return EXIT_OK
    print(f"error: {result.target} stopped answering after {result.sent} inputs; reproducer: "
          f"{result.reproducer}", file=sys.stderr)
    return EXIT_FAILURE
