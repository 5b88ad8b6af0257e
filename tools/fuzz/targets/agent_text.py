"""Fuzz target: what the monitoring agent reads as text: remote command lines from XMPP chat,
IEEE 1284 device ids (a printer's own words, over SNMP), and printers' web counter pages (HTML
usage pages and SyncThru JSON).

The first byte chooses the reader; the rest is the text. A command line parses to a command of
the help list or raises CommandError (its text is the chat answer); a device id gives upper-case
keys with values that hold no separator; a counter page gives counters of zero or more (None for
what the page does not write as a number) or raises WebPageError. Nothing else may escape.
"""

from __future__ import annotations

from collections.abc import Callable

from ekm_proto.monitor.web_counters import (
    WebPageError,
    count,
    parse_html_counters,
    parse_json_counters,
)
from ekm_proto.printer_mib.device_ids import format_device_id, parse_device_id
from ekm_proto.shipping.commands import LOOPS, MAX_MINUTES, parse_command
from ekm_proto.shipping.errors import CommandError

COMMANDS = {"help", "status", "devices", "rediscover", "discover", "show", "latest counts",
            "set interval"}
COMMAND, DEVICE_ID, HTML_PAGE, JSON_PAGE = range(4)


def _command(text: str) -> None:
    try:
        command = parse_command(text)
    except CommandError as exc:
        assert str(exc), "a refusal must say why: it is the chat answer"
        return
    assert command.name in COMMANDS, command
    if command.name == "set interval":
        loop, minutes, *hours = command.arguments
        assert loop in LOOPS and 0 < float(minutes) <= MAX_MINUTES
        assert hours in ([], ["in"], ["out"])


def _device_id(text: str) -> None:
    fields = parse_device_id(text)
    for key, value in fields.items():
        assert key and key == key.upper() and key == key.strip(), key
        assert not {";", "\n"} & set(key + value) and ":" not in key, (key, value)
    again = parse_device_id("".join(f"{k}:{v};" for k, v in fields.items()))
    assert again == fields, "a parsed id written back reads the same"
    if all(fields.get(k) for k in ("MFG", "MDL", "CMD")):
        written = parse_device_id(format_device_id(fields["MFG"], fields["MDL"], fields["CMD"]))
        assert [written[k] for k in ("MFG", "MDL", "CMD")] == [
            fields[k] for k in ("MFG", "MDL", "CMD")], "the id a printer is given reads back"


def _page(text: str, parse: Callable[[str], dict[str, int | None]]) -> None:
    try:
        found = parse(text)
    except WebPageError:
        return
    for name, value in found.items():
        assert isinstance(name, str)
        assert value is None or (isinstance(value, int) and value >= 0), (name, value)


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    text = data[1:].decode("utf-8", "surrogateescape")
    which = data[0] % 4
    if which == COMMAND:
        _command(text)
    elif which == DEVICE_ID:
        _device_id(text)
    elif which == HTML_PAGE:
        _page(text, parse_html_counters)
    else:
        _page(text, parse_json_counters)
    value = count(text)
    assert value is None or value >= 0


def seeds() -> list[bytes]:
    commands = ["help", "status", "devices", "rediscover", "discover 10.0.0.1-10.0.0.20",
                "show CNBVH85138", "latest counts 192.168.1.95", "set interval alert 3 in",
                "set interval tray 480", 'show "a b', "set interval meter nan out"]
    ids = ["MFG:HP;MDL:HP Color LaserJet MFP M577;CMD:PJL,PCL,POSTSCRIPT;CLS:PRINTER;"
           "DES:HP Color LaserJet MFP M577;",
           "MANUFACTURER:Lexmark International;COMMAND SET:PCL 5e,PostScript;MODEL:MS810;",
           "mfg:Ricoh\nmdl:MP C3004;;:;CLS:"]
    html = ('<html><body><table id="counters"><tr><th>Counter</th><th>Count</th></tr>'
            '<tr class="counter" data-web-only="true"><td class="name">Scan  Images</td>'
            '<td class="value">12,345</td></tr><tr class="counter"><td class="name">Copies</td>'
            '<td class="value">--</td></tr><table><tr><td>x</td></tr></table></table>'
            '</body></html>')
    json = ('{"counters": [{"name": "Total Impressions", "value": 1234}, '
            '{"name": "Scans", "value": -1}, {"name": "Faxes", "value": true}, 7]}')
    return ([bytes([COMMAND]) + c.encode() for c in commands]
            + [bytes([DEVICE_ID]) + i.encode() for i in ids]
            + [bytes([HTML_PAGE]) + html.encode(), bytes([JSON_PAGE]) + json.encode(),
               bytes([HTML_PAGE]) + b"<table id=counters><tr class=counter><td class='name value'>"
               b"9 999</td></tr>"])
