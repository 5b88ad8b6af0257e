"""``protolab kantech gateway ...``: drive Kantech devices from the command line, JSON out.

Every subcommand opens the gateway socket, does one thing and closes it, so each call is a
self-contained lab step a script can chain; ``tail`` and ``poll-loop`` run until stopped. A device
that does not do what was asked (no reply, NAK) exits 1; bad input exits 2.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as _dt
import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from emulators.kantech_gateway.gateway import GatewayError, SimulatedGateway
from emulators.kantech_gateway.poll_loop import poll_loop
from emulators.kantech_gateway.reload_plan import plan_frames, plan_reload
from emulators.kantech_gateway.site_description import load_site
from kantech_proto.codes import Port, RecordType
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.errors import ConfigurationError
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.wire_profile import AesMode, ChecksumKind, WireProfile
from protolab.cli.kantech_options import (
    add_capture_options,
    add_key_option,
    open_capture,
    site_key,
)
from protolab.cli.support import (
    EXIT_FAILURE,
    EXIT_OK,
    host_port,
    parse_host_port,
    run_until_stopped,
    wait_stopped,
)

Action = Callable[[SimulatedGateway, argparse.Namespace, asyncio.Event], Awaitable[Any]]


def register(kantech_commands: Any) -> argparse.ArgumentParser:
    """Add ``gateway`` and its subcommands to ``protolab kantech``; returns the new parser."""
    gateway = kantech_commands.add_parser(
        "gateway", help="a simulated EntraPass gateway: discover, query, reload, update devices")
    commands = gateway.add_subparsers(dest="gateway_command", metavar="SUBCOMMAND")
    commands.required = True

    def add(name: str, help_text: str, action: Action, device: bool = True
            ) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_text)
        _common(p, device)
        p.set_defaults(handler=_handler(action))
        return p

    p = add("discover", "broadcast DISCOVER and list the devices that announce", _discover,
            device=False)
    p.add_argument("--broadcast", type=host_port("--broadcast", int(Port.DISCOVERY_BROADCAST_UDP)),
                   default=("127.255.255.255", int(Port.DISCOVERY_BROADCAST_UDP)),
                   metavar="IP:PORT", help="where DISCOVER goes (default 127.255.255.255:18803)")
    p.add_argument("--wait", type=float, default=1.0, help="seconds to collect ANNOUNCEs")
    add("status", "a device's status (STATUS_QUERY)", _status)
    p = add("set-time", "set a device's clock (SET_DATETIME), default now", _set_time)
    p.add_argument("--when", default=None, help="ISO date and time, e.g. 2025-06-11T12:00:00")
    for name, action in (("unlock", _unlock), ("lock", _lock)):
        p = add(name, f"{name} a door (MANUAL_OP)", action)
        p.add_argument("door", type=int)
        if name == "unlock":
            p.add_argument("--seconds", type=int, default=0, help="0: until locked")
    p = add("relay", "activate or deactivate a relay (MANUAL_OP)", _relay)
    p.add_argument("relay", type=int)
    p.add_argument("state", choices=("on", "off"))
    p.add_argument("--seconds", type=int, default=0, help="with on: for this long")
    p = add("reload", "reload a device from a site TOML file (all records, or one type)",
            _reload)
    p.add_argument("site", metavar="SITE.toml", type=Path)
    p.add_argument("--report", action="store_true",
                   help="print records and bytes per type against the paper's table 7")
    p.add_argument("--scope", default="0", metavar="TYPE",
                   help="one record type (name such as CARD_KT400, or its code) instead of all")
    p.add_argument("--dry-run", action="store_true",
                   help="print the frames and their byte counts; send nothing")
    p = add("firmware", "send a firmware image (FIRMWARE_BLOCK x n, FIRMWARE_END)", _firmware)
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--loop-address", type=int, default=None, metavar="N",
                   help="the device is an IP-Link: update the controller at this loop address "
                        "(134-byte serial FIRMWARE_BLOCK frames through TUNNEL)")
    p = add("tail", "print controller events as JSON lines until Ctrl-C", _tail, device=False)
    p.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    p = add("poll-loop", "poll the serial loop behind an IP-Link through TUNNEL", _poll_loop)
    p.add_argument("--loop-size", type=int, default=1, help="controllers at addresses 1..N")
    p.add_argument("--rate", type=float, default=1000.0,
                   help="serial bytes per second per site (paper table 10 default: 1000)")
    p.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    p.add_argument("--rounds", type=int, default=None, help="stop after this many rounds")
    return gateway


def _common(p: argparse.ArgumentParser, device: bool) -> None:
    add_key_option(p)
    p.add_argument("--site-id", type=lambda t: int(t, 0), default=1)
    p.add_argument("--listen", type=host_port("--listen", int(Port.DEVICE_TO_GATEWAY_UDP)),
                   default=("127.0.0.1", int(Port.DEVICE_TO_GATEWAY_UDP)), metavar="IP:PORT",
                   help="the gateway's UDP address (port 0: any; default 127.0.0.1:18801)")
    if device:
        p.add_argument("--device", required=True, metavar="IP[:PORT]",
                       help=f"the device (port {int(Port.GATEWAY_TO_DEVICE_UDP)} by default)")
    p.add_argument("--checksum", default=ChecksumKind.CRC16_CCITT_FALSE.value,
                   choices=[k.value for k in ChecksumKind])
    p.add_argument("--mode", default=AesMode.CBC_ZERO_IV.value, choices=[m.value for m in AesMode])
    p.add_argument("--timeout", type=float, default=1.0,
                   help="seconds per attempt (3 attempts)")
    p.add_argument("--tcp-listen", type=host_port("--tcp-listen", int(Port.DEVICE_TO_GATEWAY_TCP)),
                   default=None, metavar="IP:PORT",
                   help="also accept devices over TCP here (their port 18802)")
    add_capture_options(p)


def _handler(action: Action) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        key = site_key(args, required_for="to talk to the site's devices")
        assert key is not None
        profile = WireProfile.from_names(args.checksum, args.mode)
        _read_inputs(args)  # bad input fails before any socket opens
        if getattr(args, "dry_run", False):
            print(json.dumps(_dry_run(args, key, profile)))
            return EXIT_OK

        tap = open_capture(args, key)

        async def main(stop: asyncio.Event) -> int:
            async with SimulatedGateway(key, args.site_id, args.listen, profile=profile,
                                        retry_interval=args.timeout,
                                        tcp_listen=args.tcp_listen, observer=tap) as gw:
                result = await action(gw, args, stop)
            if result is not None:
                print(json.dumps(result))
            return EXIT_OK

        try:
            return run_until_stopped(main)
        except GatewayError as exc:  # the command ran; the device's answer is "no"
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        finally:
            if tap is not None:
                tap.close()
    return run


def _read_inputs(args: argparse.Namespace) -> None:
    """Parse and read what the subcommand was given: the device address, the date, the site
    file, the firmware image."""
    if getattr(args, "device", None) is not None:
        args.address = parse_host_port(args.device, int(Port.GATEWAY_TO_DEVICE_UDP),
                                       what="--device")
    if getattr(args, "when", None):
        try:
            args.when = _dt.datetime.fromisoformat(args.when)
        except ValueError:
            raise ConfigurationError(f"--when {args.when!r}: expected an ISO date and time "
                                     "such as 2025-06-11T12:00:00") from None
    if getattr(args, "site", None) is not None:
        args.site = load_site(args.site)
        args.scope = _scope(args.scope)
    if getattr(args, "file", None) is not None:
        args.image = args.file.read_bytes()


def _scope(text: str) -> int:
    """``--scope``: 0 (all), a record type's name or its code."""
    if text.isdigit() and (int(text) == 0 or int(text) in set(RecordType)):
        return int(text)
    try:
        return int(RecordType[text.upper().replace("-", "_")])
    except KeyError:
        choices = ", ".join(t.name for t in RecordType)
        raise ConfigurationError(f"--scope {text!r}: expected 0 (all), a record type code "
                                 f"1..24 or one of {choices}") from None


def _dry_run(args: argparse.Namespace, key: str, profile: WireProfile) -> dict[str, Any]:
    """The reload's frames as a gateway of a new session would send them, unsent."""
    when = args.when if isinstance(getattr(args, "when", None), _dt.datetime) else \
        _dt.datetime.now().replace(microsecond=0)
    plan = plan_reload(args.site.reload_groups(when, args.site_id, args.scope), scope=args.scope)
    frames = plan_frames(plan, IpFrameCodec(key, profile), args.site_id, os.urandom(6))
    return {"device": args.device, "scope": args.scope, "records": plan.record_count,
            "frames": frames, "frame_count": len(frames),
            "wire_bytes": sum(f["wire_bytes"] for f in frames),
            "data_bytes": sum(f["data_bytes"] for f in frames)}


def _device(args: argparse.Namespace) -> tuple[str, int]:
    address: tuple[str, int] = args.address
    return address


async def _discover(gw: SimulatedGateway, args: argparse.Namespace, _: asyncio.Event) -> Any:
    found = await gw.discover(args.broadcast, args.wait)
    return {"devices": [d.as_dict() for d in found]}


async def _status(gw: SimulatedGateway, args: argparse.Namespace, _: asyncio.Event) -> Any:
    return {"device": args.device, "status": (await gw.status(_device(args))).as_dict()}


async def _set_time(gw: SimulatedGateway, args: argparse.Namespace, _: asyncio.Event) -> Any:
    stamp = await gw.set_time(_device(args), args.when)
    return {"device": args.device, "set": stamp.as_json()}


async def _unlock(gw: SimulatedGateway, args: argparse.Namespace, _: asyncio.Event) -> Any:
    results = await gw.unlock(_device(args), args.door, args.seconds)
    return {"device": args.device, "results": [r.as_dict() for r in results]}


async def _lock(gw: SimulatedGateway, args: argparse.Namespace, _: asyncio.Event) -> Any:
    results = await gw.lock(_device(args), args.door)
    return {"device": args.device, "results": [r.as_dict() for r in results]}


async def _relay(gw: SimulatedGateway, args: argparse.Namespace, _: asyncio.Event) -> Any:
    results = await gw.relay(_device(args), args.relay, args.state == "on", args.seconds)
    return {"device": args.device, "results": [r.as_dict() for r in results]}


async def _reload(gw: SimulatedGateway, args: argparse.Namespace, _: asyncio.Event) -> Any:
    report = await gw.reload(_device(args), args.site, scope=args.scope)
    body = report.as_dict()
    if not args.report:
        return {k: body[k] for k in ("device", "records", "frames_out", "wire_bytes_out")}
    return body


async def _firmware(gw: SimulatedGateway, args: argparse.Namespace, _: asyncio.Event) -> Any:
    return (await gw.firmware(_device(args), args.image, args.loop_address)).as_dict()


def _print_event(source: str, event: ControllerEvent) -> None:
    print(json.dumps({"device": source, **event.as_dict()}), flush=True)


async def _tail(gw: SimulatedGateway, args: argparse.Namespace, stop: asyncio.Event) -> Any:
    async def follow() -> None:
        async for source, event in gw.events():
            _print_event(source, event)

    task = asyncio.ensure_future(follow())
    try:
        await wait_stopped(stop, args.duration)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return None


async def _poll_loop(gw: SimulatedGateway, args: argparse.Namespace, stop: asyncio.Event) -> Any:
    summary = await poll_loop(gw, _device(args), args.loop_size, rate=args.rate,
                              duration=args.duration, rounds=args.rounds,
                              on_event=_print_event, stop=stop)
    return {"summary": summary.as_dict()}
