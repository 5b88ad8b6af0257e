"""The embedded web server's HTML pages, laid out as each vendor's server lays them out: HP's
EWS (``/hp/device/...``), Samsung SyncThru (``/sws/...``), Kyocera Command Center
(``/startwlm/...``, ``/dvcinfo/...``), Lexmark (``/cgi-bin/dynamic/printer/...``) and Epson
(``/PRESENTATION/...``), each with its own paths, titles and labels.

Whatever the vendor, the data sits in tables a scraper can rely on (README "Printer web pages"):
``table#supplies`` rows ``tr.supply`` (``td.name``, ``td.level``), ``table#trays`` rows ``tr.tray``
(``td.name``, ``td.size``, ``td.level``, ``td.status``), ``table#alerts`` rows ``tr.alert``
(``td.severity``, ``td.code``, ``td.description``, ``td.time``), ``table#counters`` rows
``tr.counter`` (``td.name``, ``td.value``; ``data-web-only="true"`` on counters SNMP lacks) and
``dl#identity`` (``dt``/``dd`` pairs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from emulators.printers.web_data import PageData

Render = Callable[[PageData], str]


@dataclass(frozen=True)
class Layout:
    """One vendor's web server: the home page, and the path (with query) of each page."""

    title: str
    home: str
    pages: dict[str, tuple[str, Render]]  # path -> (heading, what it shows)


def _page(data: PageData, layout_title: str, heading: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{escape(layout_title)}"
            f" - {escape(data.model)}</title></head>\n<body>\n<div id=\"header\">"
            f"<span class=\"model\">{escape(data.model)}</span> <span class=\"host\">"
            f"{escape(data.name)} ({escape(data.address)})</span></div>\n<h1>{escape(heading)}"
            f"</h1>\n<div id=\"status\" data-code=\"{data.status_code}\">"
            f"{escape(data.status_text)}</div>\n{body}\n</body></html>\n")


def identity(data: PageData) -> str:
    rows = [("Model", data.model), ("Manufacturer", data.vendor), ("Serial Number", data.serial),
            ("Host Name", data.name), ("IPv4 Address", data.address),
            ("Hardware Address", data.mac), ("Location", data.location),
            ("Contact", data.contact), ("Firmware", data.firmware), ("Date and Time", data.now)]
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return f"<dl id=\"identity\">{items}</dl>"


def supplies(data: PageData) -> str:
    rows = "".join(
        f"<tr class=\"supply\" data-index=\"{s.index}\" data-kind=\"{s.kind}\"><td class=\"name\">"
        f"{escape(s.description)}</td><td class=\"level\">"
        f"{'--' if s.percent is None else f'{s.percent}%'}</td></tr>" for s in data.supplies)
    return (f"<table id=\"supplies\"><tr><th>Supply</th><th>Level</th></tr>{rows}</table>")


def trays(data: PageData) -> str:
    rows = "".join(
        f"<tr class=\"tray\" data-index=\"{t.index}\"><td class=\"name\">{escape(t.name)}</td>"
        f"<td class=\"size\">{escape(t.size)}</td><td class=\"media\">{escape(t.media)}</td>"
        f"<td class=\"level\">{'--' if t.sheets is None else t.sheets}/{t.capacity}</td>"
        f"<td class=\"status\">{t.status}</td></tr>" for t in data.trays)
    return (f"<table id=\"trays\"><tr><th>Tray</th><th>Size</th><th>Type</th><th>Sheets</th>"
            f"<th>Status</th></tr>{rows}</table>")


def alerts(data: PageData) -> str:
    rows = "".join(
        f"<tr class=\"alert\" data-index=\"{a.index}\"><td class=\"severity\">{a.severity}</td>"
        f"<td class=\"code\">{a.code}</td><td class=\"description\">{escape(a.description)}</td>"
        f"<td class=\"time\">{a.raised}</td></tr>" for a in data.alerts)
    return (f"<table id=\"alerts\"><tr><th>Severity</th><th>Code</th><th>Message</th>"
            f"<th>Time</th></tr>{rows}</table>")


_WEB_ONLY = ' data-web-only="true"'


def counters(data: PageData) -> str:
    rows = "".join(
        f"<tr class=\"counter\"{_WEB_ONLY if c.web_only else ''}>"
        f"<td class=\"name\">{escape(c.name)}</td><td class=\"value\">{c.value}</td></tr>"
        for c in data.counters)
    return f"<table id=\"counters\"><tr><th>Counter</th><th>Count</th></tr>{rows}</table>"


def status(data: PageData) -> str:
    return supplies(data) + trays(data) + alerts(data)


def render(layout: Layout, path: str, data: PageData) -> str | None:
    """The page at ``path`` (with its query), or None when the vendor has no such page."""
    found = layout.pages.get(path)
    if found is None:
        return None
    heading, body = found
    return _page(data, layout.title, heading, body(data))


LAYOUTS: dict[str, Layout] = {
    "hp": Layout("HP Embedded Web Server", "/hp/device/DeviceStatus/Index", {
        "/hp/device/DeviceStatus/Index": ("Device Status", status),
        "/hp/device/DeviceInformation/View": ("Device Information", identity),
        "/hp/device/InternalPages/Index?id=SuppliesStatus": ("Supplies Status", supplies),
        "/hp/device/InternalPages/Index?id=UsagePage": ("Usage Page", counters),
        "/hp/device/TrayConfiguration/Index": ("Trays", trays),
        "/hp/device/EventLog/Index": ("Event Log", alerts)}),
    "samsung": Layout("SyncThru Web Service", "/sws/index.html", {
        "/sws/index.html": ("Information", status),
        "/sws/app/information/home/home.html": ("Active Alerts", alerts),
        "/sws/app/information/supplies/supplies.html": ("Supplies", supplies),
        "/sws/app/information/counters/counters.html": ("Usage Counters", counters),
        "/sws/app/information/machine/machine.html": ("Machine Information", identity)}),
    "kyocera": Layout("Command Center RX", "/startwlm/Start_Wlm.htm", {
        "/startwlm/Start_Wlm.htm": ("Home", status),
        "/dvcinfo/dvcconfig/DvcConfig_Config.htm": ("Device Information", identity),
        "/dvcinfo/dvccounter/DvcInfo_Counter.htm": ("Counter", counters),
        "/dvcinfo/dvcstatus/DvcInfo_Status.htm": ("Device/Printer", alerts)}),
    "lexmark": Layout("Lexmark", "/cgi-bin/dynamic/printer/PrinterStatus.html", {
        "/cgi-bin/dynamic/printer/PrinterStatus.html": ("Printer Status", status),
        "/cgi-bin/dynamic/printer/config/reports/deviceinfo.html": ("Device Information",
                                                                    identity),
        "/cgi-bin/dynamic/printer/config/reports/devicestatistics.html": ("Device Statistics",
                                                                          counters)}),
    "epson": Layout("EPSON Web Config", "/PRESENTATION/HTML/TOP/PRTINFO.HTML", {
        "/PRESENTATION/HTML/TOP/PRTINFO.HTML": ("Printer Status", status),
        "/PRESENTATION/ADVANCED/INFO_PRTINFO/TOP": ("Product Status", identity),
        "/PRESENTATION/ADVANCED/INFO_MENTINFO/TOP": ("Maintenance", counters)}),
}
