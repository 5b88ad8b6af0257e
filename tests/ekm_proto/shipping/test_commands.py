"""Remote commands: parsing, authorisation, answers from a monitor (a small in-memory one)."""

from __future__ import annotations

import pytest

from ekm_proto.shipping.commands import HELP, Command, CommandDesk, parse_command
from ekm_proto.shipping.errors import CommandError
from tests.ekm_proto.xmpp_lab import MemoryMonitor

PORTAL = "portal@xmpp.test"


def desk() -> tuple[CommandDesk, MemoryMonitor]:
    monitor = MemoryMonitor({"CN84CHX00P": {"model": "PageWide Pro 477dw",
                                            "address": "192.0.2.7"}})
    return CommandDesk(monitor, [PORTAL, "Admin@xmpp.test"], lambda: "shipping: ok"), monitor


@pytest.mark.parametrize(("text", "command"), [
    ("help", Command("help")), ("STATUS", Command("status")), ("devices", Command("devices")),
    ("discover 192.0.2.1-192.0.2.50", Command("discover", ("192.0.2.1-192.0.2.50",))),
    ("rediscover", Command("rediscover")),
    ("set interval alert 5", Command("set interval", ("alert", "5"))),
    ("set interval Meter 240 out", Command("set interval", ("meter", "240", "out"))),
    ("latest counts CN84CHX00P", Command("latest counts", ("CN84CHX00P",))),
    ("show 192.0.2.7", Command("show", ("192.0.2.7",))),
])
def test_commands_parse(text: str, command: Command) -> None:
    assert parse_command(text) == command


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty command"), ("reboot", "unknown command 'reboot'"),
    ("set interval coffee 5", "unknown loop 'coffee'"),
    ("set interval alert 0", "minutes '0'"), ("set interval alert x", "minutes 'x'"),
    ("set interval alert 5 sometimes", "expected in"), ("show", "unknown command"),
    ('discover "unclosed', "cannot read"),
])
def test_bad_commands_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        parse_command(text)


async def test_authorised_senders_get_answers_from_the_monitor() -> None:
    commands, monitor = desk()
    assert await commands.answer(PORTAL, "help") == HELP
    assert await commands.answer("admin@xmpp.test", "status") == (
        "monitoring 1 devices\nshipping: ok")
    assert "PageWide Pro 477dw" in await commands.answer(PORTAL, "show 192.0.2.7")
    assert await commands.answer(PORTAL, "set interval consumables 30 in") == (
        "consumables loop every 30 minutes (in of working hours)")
    assert monitor.intervals == {("consumables", "in"): 30.0}
    assert (await commands.answer(PORTAL, "latest counts CN84CHX00P")).startswith("latest counts")
    assert monitor.latest_requested == ["CN84CHX00P"]


async def test_errors_become_answers() -> None:
    commands, _ = desk()
    assert await commands.answer(PORTAL, "show NOPE") == (
        "error: no device 'NOPE'; expected a serial or an address from devices")
    assert (await commands.answer(PORTAL, "frobnicate")).startswith("error: unknown command")


async def test_strangers_are_refused_and_logged(capsys: pytest.CaptureFixture[str]) -> None:
    commands, monitor = desk()
    answer = await commands.answer("stranger@xmpp.test", "rediscover")
    assert answer == "refused: you are not authorised to command this agent"
    assert monitor.discovered == []
    assert "command refused" in capsys.readouterr().err


async def test_without_a_monitor_status_still_answers() -> None:
    commands = CommandDesk(None, [PORTAL], lambda: "shipping: 3 waiting")
    assert await commands.answer(PORTAL, "status") == "shipping: 3 waiting"
    assert await commands.answer(PORTAL, "devices") == (
        "error: devices: no monitor is attached to this agent")
